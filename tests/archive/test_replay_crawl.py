"""Replay of what a real Scrapy crawl wrote through the WARC middleware, crawled twice, so that the
second crawl's unchanged pages are revisit records that pywb must resolve to the original body."""

from __future__ import annotations

import gzip
import http.client
import json
import time

import pytest

from archive.index import iter_index
from archive.replay import start_replay
from warc_site import Site, run_crawl

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = tmp_path_factory.mktemp("replay-crawl") / "archive"
    site = Site().start()
    try:
        run_crawl(archive, site.url + "/")
        first_bodies = dict(site.bodies)
        time.sleep(1 - time.time() % 1)  # the two crawls' captures must differ in their 14-digit timestamp
        run_crawl(archive, site.url + "/")
        second_bodies = dict(site.bodies)
    finally:
        site.stop()
    server = start_replay(archive, "127.0.0.1", 0)
    try:
        captures: dict[str, list[tuple[str, dict]]] = {}
        for line in (line.decode().rstrip("\n") for line in iter_index(str(archive))):
            _key, ts, fields = line.split(" ", 2)
            data = json.loads(fields)
            captures.setdefault(data["url"][len(site.url):], []).append((ts, data))
        for entries in captures.values():
            entries.sort(key=lambda entry: entry[0])
        yield {"server": server, "url": site.url, "captures": captures,
               "bodies": (first_bodies, second_bodies)}
    finally:
        server.stop()


def replay(crawled, path: str, ts: str, headers: dict | None = None):
    server = crawled["server"]
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", f"/archive/{ts}id_/{crawled['url']}{path}", headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/", "/plain", "/gzip", "/chunked", "/big"])
def test_both_crawls_replay_the_original_body(crawled, path):
    (ts1, first), (ts2, second) = crawled["captures"][path]
    assert first["mime"] == "text/html" and second["mime"] == "warc/revisit"
    for ts in (ts1, ts2):
        status, _location, body = replay(crawled, path, ts)
        assert (status, body) == (200, crawled["bodies"][0][path])


def test_gzip_capture_replays_its_exact_compressed_bytes(crawled):
    for ts, _fields in crawled["captures"]["/gzip"]:
        status, _location, body = replay(crawled, "/gzip", ts, {"Accept-Encoding": "gzip"})
        assert (status, body) == (200, gzip.compress(crawled["bodies"][0]["/gzip"], mtime=0))


def test_a_changed_page_replays_each_version(crawled):
    (ts1, _), (ts2, second) = crawled["captures"]["/changing"]
    assert second["mime"] == "text/html"
    assert replay(crawled, "/changing", ts1)[2] == crawled["bodies"][0]["/changing"]
    assert replay(crawled, "/changing", ts2)[2] == crawled["bodies"][1]["/changing"]
    assert crawled["bodies"][0]["/changing"] != crawled["bodies"][1]["/changing"]


def test_redirect_and_404_replay_as_they_were(crawled):
    ts = crawled["captures"]["/redirect"][0][0]
    status, location, _body = replay(crawled, "/redirect", ts)
    assert (status, location) == (301, "/plain")
    ts = crawled["captures"]["/missing"][0][0]
    status, _location, body = replay(crawled, "/missing", ts)
    assert (status, body) == (404, crawled["bodies"][0]["/missing"])
