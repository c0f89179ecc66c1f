"""Browser capture (``NEWSARCHIVE_BROWSER=auto``) end to end: a real crawl of the demo site's two
JavaScript app articles through the CLI, Debian's Chromium driven by scrapy-playwright.

The article whose text only a script draws is fetched again in the browser (its HTML gave no
body and looks like an app shell) and extracted from the rendered DOM; the one whose story is in
``__NEXT_DATA__`` already gave a body without a browser, so it is not fetched again. The WARC
holds the browser capture as records that say so, the rendered DOM and a screenshot as ``urn:``
resources, and pywb replays the page so that a browser renders the story again.
"""

from __future__ import annotations

import http.client
import shutil
import sqlite3

import pytest
from warcio.archiveiterator import ArchiveIterator

from cli_helpers import FAST, run_cli
from crawler.demo.apps import APP_ARTICLES, HYDRATED_PATH, RENDERED_PATH

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]  # a crawl, Chromium and pywb
CHROMIUM = "/usr/bin/chromium"
RENDERED = next(a for a in APP_ARTICLES if a["path"] == RENDERED_PATH)
HYDRATED = next(a for a in APP_ARTICLES if a["path"] == HYDRATED_PATH)


def _need_browser():
    if shutil.which(CHROMIUM) is None:
        pytest.fail("chromium is not installed (make test installs it: apt-get install chromium)")
    pytest.importorskip("scrapy_playwright", reason="the browser extra is not installed (make test installs it)")


@pytest.fixture(scope="module")
def browser_crawl(tmp_path_factory):
    _need_browser()
    from crawler.demo.server import DemoServer

    archive = tmp_path_factory.mktemp("browser-archive")
    with DemoServer(edition=1) as server:
        run_cli("crawl", server.url + RENDERED_PATH, server.url + HYDRATED_PATH, "--depth", "0",
                "--archive", archive, *FAST, "-s", "NEWSARCHIVE_BROWSER=auto", "-s", "NEWS_FETCH_EMBEDS=False",
                check=True, timeout=240)
        hits = dict(server.hits)
        base = server.url
    records = []
    for path in sorted((archive / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                records.append((rec.rec_type, dict(rec.rec_headers.headers), rec.content_stream().read()))
    db = sqlite3.connect(archive / "archive.db")
    db.row_factory = sqlite3.Row
    rows = {r["url"][len(base):]: dict(r) for r in db.execute("select * from articles")}
    db.close()
    return {"archive": archive, "base": base, "hits": hits, "records": records, "rows": rows}


def test_js_only_article_is_extracted_from_the_rendered_dom(browser_crawl):
    row = browser_crawl["rows"][RENDERED_PATH]
    assert row["body"] == "\n\n".join(RENDERED["paragraphs"])
    assert (row["headline"], row["verdict"]) == (RENDERED["headline"], "ok")
    # the dataset row points at the browser capture, not at the wire capture of the app shell
    pointed = [h for t, h, _ in browser_crawl["records"] if h["WARC-Record-ID"] == row["warc_record_id"]]
    assert len(pointed) == 1 and pointed[0].get("WARC-Capture-Mode") == "browser"


def test_hydrated_article_needs_no_browser(browser_crawl):
    row = browser_crawl["rows"][HYDRATED_PATH]
    assert row["body"] == "\n\n".join(HYDRATED["paragraphs"])
    assert '"body-from-embedded-data"' in row["verdict_reasons"]
    assert browser_crawl["hits"][HYDRATED_PATH] == 1 and browser_crawl["hits"][RENDERED_PATH] == 2
    url = browser_crawl["base"] + HYDRATED_PATH
    assert not [h for t, h, _ in browser_crawl["records"]
                if h.get("WARC-Target-URI", "").endswith(url) and h.get("WARC-Capture-Mode")]


def test_browser_capture_records(browser_crawl):
    url = browser_crawl["base"] + RENDERED_PATH
    responses = [(h, b) for t, h, b in browser_crawl["records"] if t == "response" and h["WARC-Target-URI"] == url]
    assert len(responses) == 2  # the wire capture of the shell, then the browser's
    wire, browser = responses
    assert "WARC-Capture-Mode" not in wire[0] and browser[0]["WARC-Capture-Mode"] == "browser"
    body = browser[1]  # warcio hands over the HTTP payload
    assert body == wire[1] and b'<div id="app"></div>' in body  # the browser received what the server sent
    resources = {h["WARC-Target-URI"]: (h, b) for t, h, b in browser_crawl["records"] if t == "resource"}
    dom_head, dom = resources[f"urn:dom:{url}"]
    view_head, png = resources[f"urn:view:{url}"]
    assert dom_head["WARC-Concurrent-To"] == view_head["WARC-Concurrent-To"] == browser[0]["WARC-Record-ID"]
    assert RENDERED["paragraphs"][-1].encode() in dom and RENDERED["paragraphs"][-1].encode() not in body
    assert view_head["Content-Type"] == "image/png" and png.startswith(b"\x89PNG\r\n\x1a\n")
    proc = run_cli("verify", "--archive", browser_crawl["archive"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_browser_capture_replays_in_pywb_and_renders_again(browser_crawl, tmp_path):
    from playwright.sync_api import sync_playwright

    from archive.replay import start_replay

    row = browser_crawl["rows"][RENDERED_PATH]
    ts = "".join(ch for ch in row["fetched_at"] if ch.isdigit())[:14]
    url = browser_crawl["base"] + RENDERED_PATH
    server = start_replay(browser_crawl["archive"], "127.0.0.1", 0, work_dir=tmp_path / "pywb")
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        conn.request("GET", f"/archive/{ts}id_/{url}")
        response = conn.getresponse()
        assert response.status == 200 and b'<div id="app"></div>' in response.read()
        conn.close()
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
            try:
                page = chromium.new_page()
                # pywb's framed replay: its banner on top, the archived page (and its script) in the frame
                page.goto(f"http://127.0.0.1:{server.port}/archive/{ts}/{url}", wait_until="load")
                story = page.frame_locator("iframe").first.locator("article")
                story.locator("p").nth(len(RENDERED["paragraphs"])).wait_for(timeout=30_000)
                text = story.inner_text()
            finally:
                chromium.close()
    finally:
        server.stop()
    assert all(p in text for p in RENDERED["paragraphs"])


@pytest.mark.parametrize("setting, message", [
    ("NEWSARCHIVE_BROWSER=sometimes", "NEWSARCHIVE_BROWSER must be one of off, auto, always"),
    ("NEWSARCHIVE_BROWSER_EXECUTABLE=/nonexistent/chromium", "no browser at '/nonexistent/chromium'"),
])
def test_browser_settings_errors_are_one_line(tmp_path, setting, message):
    proc = run_cli("crawl", "http://127.0.0.1:9/", "--archive", tmp_path, "-s", "NEWSARCHIVE_BROWSER=auto",
                   "-s", setting)
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].startswith("Error: ") and message in proc.stderr
    assert "Traceback" not in proc.stderr
