"""The demo site answers what its manifest promises, byte for byte and frame by frame."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import socket
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from protego import Protego

from crawler.demo import DemoServer, manifest
from crawler.demo.manifest import articles as manifest_articles, dangling_links
from crawler.demo.stories import MISSING_ASSETS

SEED = Path("/work/shared/corpus/seed")
if not SEED.exists():  # CI clones main with shared/ beside it
    SEED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seed"
TODAY = "/popculture/story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
      "news": "http://www.google.com/schemas/sitemap-news/0.9",
      "atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def server():
    with DemoServer() as srv:
        yield srv


def raw_request(port: int, path: str, method: str = "GET", headers: dict | None = None,
                version: str = "HTTP/1.1") -> tuple[int, dict, bytes]:
    """One request on a fresh socket; returns status, lower-cased headers and the body as framed on the wire."""
    lines = [f"{method} {path} {version}", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    hdrs = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        hdrs[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), hdrs, body


def dechunk(wire: bytes) -> bytes:
    """Decode chunked framing strictly: every size line, CRLF and the terminating chunk must be right."""
    out, rest = b"", wire
    while True:
        size_line, sep, rest = rest.partition(b"\r\n")
        assert sep, "chunk size line without CRLF"
        size = int(size_line, 16)
        if size == 0:
            assert rest == b"\r\n", "junk after the last chunk"
            return out
        out += rest[:size]
        assert rest[size:size + 2] == b"\r\n", "chunk not followed by CRLF"
        rest = rest[size + 2:]


def fetch_decoded(port: int, path: str) -> bytes:
    status, hdrs, wire = raw_request(port, path, headers={"Accept-Encoding": "gzip, deflate"})
    body = dechunk(wire) if hdrs.get("transfer-encoding") == "chunked" else wire
    return gzip.decompress(body) if hdrs.get("content-encoding") == "gzip" else body


# --- the manifest --------------------------------------------------------------------------
def test_manifest_covers_a_realistic_site():
    entries = manifest()
    kinds = [m["kind"] for m in entries]
    assert len(entries) >= 30
    assert len({m["path"] for m in entries}) == len(entries)
    assert kinds.count("section") >= 4 and "/news/?page=2" in {m["path"] for m in entries}
    for kind in ("home", "sitemap", "feed", "robots", "asset", "redirect", "notfound", "private"):
        assert kind in kinds, kind
    arts = manifest_articles()
    assert all(a["headline"] for a in arts)
    assert {a["transfer"] for a in arts} >= {"identity", "gzip", "chunked"}
    assert any(a["charset"] not in ("utf-8", None) for a in arts)


def test_every_internal_link_is_served():
    assert dangling_links(1) == set()
    assert dangling_links(2) == set()
    private = next(m for m in manifest() if m["kind"] == "private")
    assert private["linked"] and private["disallowed"]
    for kind in ("redirect", "notfound"):
        assert all(m["linked"] or m["embedded"] for m in manifest() if m["kind"] == kind), kind
    missing = [m for m in manifest() if m["kind"] == "notfound" and m["embedded"]]
    assert [m["path"] for m in missing] == MISSING_ASSETS and not missing[0]["linked"]


# --- HTTP ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_every_path_answers_as_the_manifest_says(server):
    for m in manifest():
        status, hdrs, wire = raw_request(server.port, m["path"], headers={"Accept-Encoding": "gzip, deflate"})
        assert status == m["status"], m["path"]
        assert hdrs["content-type"] == m["content_type"], m["path"]
        if m["transfer"] == "chunked":
            assert hdrs.get("transfer-encoding") == "chunked" and "content-length" not in hdrs, m["path"]
            body = dechunk(wire)
        else:
            assert "transfer-encoding" not in hdrs, m["path"]
            assert int(hdrs["content-length"]) == len(wire), m["path"]
            body = wire
        if m["transfer"] == "gzip":
            assert hdrs["content-encoding"] == "gzip", m["path"]
            assert body[:2] == b"\x1f\x8b"
            body = gzip.decompress(body)
        else:
            assert "content-encoding" not in hdrs, m["path"]
        if m["redirect_to"]:
            assert hdrs["location"] == f"{server.url}{m['redirect_to']}"
        if m["kind"] == "article":
            charset = m["charset"]
            assert charset in m["content_type"]
            assert m["headline"] in body.decode(charset).replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&"), m["path"]
        if m["kind"] == "asset":
            magic = {"image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}[m["content_type"]]
            assert body.startswith(magic)
    assert server.hits[TODAY] >= 1


@pytest.mark.slow
def test_gzip_is_negotiated_and_deterministic(server):
    gz = next(m["path"] for m in manifest_articles() if m["transfer"] == "gzip")
    status, hdrs, plain = raw_request(server.port, gz)  # no Accept-Encoding
    assert status == 200 and "content-encoding" not in hdrs and int(hdrs["content-length"]) == len(plain)
    _, hdrs1, wire1 = raw_request(server.port, gz, headers={"Accept-Encoding": "gzip"})
    _, _, wire2 = raw_request(server.port, gz, headers={"Accept-Encoding": "gzip"})
    assert wire1 == wire2 and gzip.decompress(wire1) == plain
    assert hdrs1["vary"] == "Accept-Encoding"


@pytest.mark.slow
def test_non_utf8_page_declares_and_uses_its_charset(server):
    page = next(m for m in manifest_articles() if m["charset"] != "utf-8")
    _, hdrs, body = raw_request(server.port, page["path"])
    assert f"charset={page['charset']}" in hdrs["content-type"]
    assert f"charset={page['charset']}".encode() in body[:400]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert page["headline"] in body.decode(page["charset"]).replace("&#x27;", "'")
    assert any(ord(ch) > 127 for ch in page["headline"])


@pytest.mark.slow
def test_keep_alive_head_404_and_405(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/")
        first = conn.getresponse()
        home = first.read()
        assert first.status == 200 and first.getheader("Connection") == "keep-alive"
        conn.request("HEAD", "/")
        head = conn.getresponse()
        assert head.read() == b"" and int(head.getheader("Content-Length")) == len(home)
        conn.request("GET", "/no/such/story")
        missing = conn.getresponse()
        assert missing.status == 404 and b"couldn" in missing.read()
        conn.request("POST", "/", body=b"x=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
        post = conn.getresponse()
        assert post.status == 405 and post.getheader("Allow") == "GET, HEAD"
        post.read()
        conn.request("GET", "/robots.txt")  # the same connection still works after all that
        assert conn.getresponse().status == 200
    finally:
        conn.close()


@pytest.mark.slow
def test_http10_gets_a_close_delimited_body_instead_of_chunks(server):
    chunked = next(m["path"] for m in manifest_articles() if m["transfer"] == "chunked")
    status, hdrs, body = raw_request(server.port, chunked, version="HTTP/1.0")
    assert status == 200 and "transfer-encoding" not in hdrs and hdrs["connection"] == "close"
    assert body == fetch_decoded(server.port, chunked)


# --- content -------------------------------------------------------------------------------
@pytest.mark.slow
def test_today_page_is_byte_identical_to_the_seed(server):
    assert fetch_decoded(server.port, TODAY) == (SEED / "today-office-first-kiss.html").read_bytes()
    expected = (SEED / "today-office-first-kiss.expected.json").read_bytes()
    bundled = Path(__file__).resolve().parents[1] / "crawler/demo/site/expected/today-office-first-kiss.expected.json"
    assert bundled.read_bytes() == expected
    today = next(m for m in manifest_articles() if m["path"] == TODAY)
    assert today["headline"] == "The story behind Jim and Pam's first kiss on 'The Office' is so romantic"


@pytest.mark.slow
def test_robots_txt_disallows_the_private_page(server):
    body = fetch_decoded(server.port, "/robots.txt").decode()
    robots = Protego.parse(body)
    ua = "newsarchive/0.1.0 (+https://example.org/newsarchive-contact)"
    assert not robots.can_fetch(f"{server.url}/private/draft-article", ua)
    for m in manifest():
        if m["kind"] != "robots":
            assert robots.can_fetch(f"{server.url}{m['path']}", ua) == (not m["disallowed"]), m["path"]
    assert list(robots.sitemaps) == [f"{server.url}/sitemap.xml"]


def _locs(tree, xpath):
    return [el.text for el in tree.findall(xpath, NS)]


@pytest.mark.slow
def test_sitemaps_and_feeds_list_articles_on_this_host(server):
    index = ET.fromstring(fetch_decoded(server.port, "/sitemap.xml"))
    children = _locs(index, "sm:sitemap/sm:loc")
    assert children == [f"{server.url}/sitemaps/news.xml", f"{server.url}/sitemaps/pages.xml"]
    news = ET.fromstring(fetch_decoded(server.port, "/sitemaps/news.xml"))
    urls = news.findall("sm:url", NS)
    assert urls
    for url in urls:
        assert url.find("news:news/news:publication/news:name", NS).text == "The Riverbend Courier"
        assert url.find("news:news/news:publication/news:language", NS).text in ("en", "de")
        assert url.find("news:news/news:publication_date", NS).text.startswith("2026-11-")
        assert url.find("news:news/news:title", NS).text
    pages = ET.fromstring(fetch_decoded(server.port, "/sitemaps/pages.xml"))
    rss = ET.fromstring(fetch_decoded(server.port, "/feeds/rss.xml"))
    atom = ET.fromstring(fetch_decoded(server.port, "/feeds/atom.xml"))
    listed = {
        "news": set(_locs(news, "sm:url/sm:loc")),
        "pages": set(_locs(pages, "sm:url/sm:loc")),
        "rss": set(_locs(rss, "channel/item/link")),
        "atom": {link.get("href") for link in atom.findall("atom:entry/atom:link", NS)},
    }
    for name, urls in listed.items():
        assert all(urlsplit(u).netloc == f"127.0.0.1:{server.port}" for u in urls), name
    article_urls = {server.url + a["path"] for a in manifest_articles()}
    for url in article_urls:
        assert url in listed["news"] | listed["rss"] | listed["atom"], url
        assert url in listed["pages"], url
    served = {server.url + m["path"] for m in manifest()}
    assert set().union(*listed.values()) <= served


@pytest.mark.slow
def test_urls_follow_the_requested_host(server):
    body = raw_request(server.port, "/robots.txt", headers={})[2]
    assert f"Sitemap: {server.url}/sitemap.xml".encode() in body
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /sitemap.xml HTTP/1.1\r\nHost: localhost:8123\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert b"<loc>http://localhost:8123/sitemaps/news.xml</loc>" in data


# --- editions ------------------------------------------------------------------------------
@pytest.mark.slow
def test_edition_two_changes_exactly_three_articles(server):
    with DemoServer(edition=2) as second:
        paths = [m["path"] for m in manifest(1)]
        assert paths == [m["path"] for m in manifest(2)]
        changed = []
        for path in paths:
            a = fetch_decoded(server.port, path).replace(str(server.port).encode(), b"PORT")
            b = fetch_decoded(second.port, path).replace(str(second.port).encode(), b"PORT")
            if a != b:
                changed.append(path)
        edited = [m for m in manifest_articles(2) if m["edited"]]
        assert sorted(changed) == sorted(m["path"] for m in edited)
        assert len(changed) == 3
        before = {m["path"]: m for m in manifest_articles(1)}
        for m in edited:
            assert m["headline"] != before[m["path"]]["headline"]
            html = fetch_decoded(second.port, m["path"]).decode(m["charset"])
            assert '<p class="correction">Correction:' in html
            assert m["headline"].replace("'", "&#x27;") in html


@pytest.mark.slow
def test_stop_closes_the_port():
    srv = DemoServer().start()
    port = srv.port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("GET", "/")
    assert conn.getresponse().status == 200  # an open keep-alive connection must not block stop()
    srv.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    conn.close()


# --- a real Scrapy crawl -------------------------------------------------------------------
CRAWL_SCRIPT = r'''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

base, out = sys.argv[1], sys.argv[2]

class Follow(scrapy.Spider):
    name = "follow"
    start_urls = [base + "/"]
    links = LinkExtractor(deny_extensions=[])  # allow_domains would compare against "host:port"

    def parse(self, response):
        row = {"url": response.url, "status": response.status, "depth": response.meta.get("depth", 0),
               "redirected_from": (response.meta.get("redirect_urls") or [None])[0]}
        if isinstance(response, scrapy.http.TextResponse):
            row["encoding"] = response.encoding
            row["h1"] = response.css("h1::text").get()
            for link in self.links.extract_links(response):
                if link.url.startswith(base + "/"):
                    yield response.follow(link, self.parse)
        yield row

process = CrawlerProcess({
    "ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "DEPTH_LIMIT": 3,
    "HTTPERROR_ALLOW_ALL": True, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False, "COOKIES_ENABLED": False,
    "DEFAULT_REQUEST_HEADERS": {"Accept-Encoding": "gzip, deflate"},
    "FEEDS": {out: {"format": "jsonlines"}},
})
process.crawl(Follow)
process.start()
'''


@pytest.mark.slow
def test_a_polite_scrapy_crawl_reaches_every_linked_page_once(tmp_path):
    import json
    import subprocess
    import sys

    script = tmp_path / "crawl.py"
    script.write_text(CRAWL_SCRIPT)
    out = tmp_path / "rows.jsonl"
    with DemoServer() as srv:
        proc = subprocess.run([sys.executable, str(script), srv.url, str(out)], capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        hits = dict(srv.hits)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    fetched = {urlsplit(r["url"]).path + (f"?{urlsplit(r['url']).query}" if urlsplit(r["url"]).query else "")
               for r in rows}
    entries = manifest()
    expected = {m["path"] for m in entries if m["linked"] and not m["disallowed"] and m["kind"] != "redirect"}
    assert fetched == expected | {"/"}
    assert "/private/draft-article" not in hits
    hits.pop("/")  # start URLs are exempt from Scrapy's duplicate filter; the home page links to itself
    assert all(count == 1 for count in hits.values()), {p: c for p, c in hits.items() if c != 1}
    assert {m["path"] for m in manifest_articles()} <= fetched
    by_path = {urlsplit(r["url"]).path: r for r in rows}
    for art in manifest_articles():
        row = by_path[art["path"]]
        assert row["status"] == 200 and row["depth"] <= 3
        if art["charset"] != "utf-8":
            assert row["encoding"] == "cp1252" and row["h1"] == art["headline"]
    redirect = next(m for m in entries if m["kind"] == "redirect")
    assert hits[redirect["path"]] == 1
    assert by_path["/news/2026/10/02/ferry-schedule-withdrawn"]["status"] == 404


# --- foreground serving (``newsarchive demo --serve``) ---------------------------------------
def serve_cmd(port: int, edition: int) -> list[str]:
    import sys

    return [sys.executable, "-m", "crawler.cli", "demo", "--serve", "--port", str(port), "--edition", str(edition)]


@pytest.mark.slow
def test_serve_forever_prints_its_url_and_stops_on_sigterm():
    import signal
    import subprocess

    proc = subprocess.Popen(serve_cmd(0, 2), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        port = int(urlsplit(url).port)
        assert url == f"http://127.0.0.1:{port}"
        edited = next(m for m in manifest_articles(2) if m["edited"])
        assert edited["headline"].encode() in fetch_decoded(port, edited["path"])
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in proc.stderr.read()


@pytest.mark.slow
def test_serve_forever_on_a_busy_port_is_one_clear_error(server):
    import subprocess

    proc = subprocess.run(serve_cmd(server.port, 1), capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert f"cannot listen on 127.0.0.1:{server.port}" in proc.stderr


def test_article_answer_key_matches_the_pages():
    import html as htmllib

    from crawler.demo.site import get_site

    site = get_site(1)
    for m in manifest_articles():
        text = htmllib.unescape(site[m["path"]].body.decode(m["charset"]))
        for needle in m["boilerplate"] + [m["first_paragraph"] or ""] + m["authors"]:
            assert needle in text, (m["path"], needle)
    shapes = {m["shape"] for m in manifest_articles()}
    assert {"courier/graph", "courier/array", "courier/org-author", "courier/opengraph", "courier/paywall",
            "microdata/microdata", "blog/blog", "live/liveblog"} <= shapes
    assert {m["language"] for m in manifest_articles()} == {"en", "de"}


@pytest.mark.slow
def test_edition_can_change_on_a_running_server():
    edited = next(m for m in manifest_articles(2) if m["edited"])
    with DemoServer() as srv:
        first = fetch_decoded(srv.port, edited["path"])
        srv.edition = 2
        second = fetch_decoded(srv.port, edited["path"])
        assert first != second and edited["headline"].encode() in second
        assert srv.hits[edited["path"]] == 2


@pytest.mark.slow
def test_malformed_requests_get_400_and_the_server_survives(server):
    for junk in (b"NONSENSE\r\n\r\n", b"GET / HTTP/1.1 extra\r\n\r\n", b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(junk)
            assert sock.recv(100).startswith(b"HTTP/1.1 400 ")
    assert raw_request(server.port, "/")[0] == 200
