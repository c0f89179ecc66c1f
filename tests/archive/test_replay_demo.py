"""The issue's replay acceptance test: pywb serves the demo crawl's captures (made by the real CLI
crawl) byte for byte in ``id_`` mode, the TODAY article included, and its redirect as a redirect."""

from __future__ import annotations

import http.client
import json
import sqlite3

import pytest

from archive.index import iter_index
from archive.replay import start_replay
from crawler.demo.site import TODAY_PATH, get_site

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def demo_replay(demo_crawl, tmp_path_factory):
    archive = demo_crawl["archive"]
    # The crawl's archive is shared with other tests: pywb's scratch files go elsewhere.
    server = start_replay(archive, "127.0.0.1", 0, work_dir=tmp_path_factory.mktemp("demo-replay"))
    try:
        index = {}
        for line in (line.decode().rstrip("\n") for line in iter_index(str(archive))):
            _key, ts, fields = line.split(" ", 2)
            data = json.loads(fields)
            index.setdefault(data["url"], []).append((ts, data))
        yield {"server": server, "base": demo_crawl["url"], "index": index, "archive": archive}
    finally:
        server.stop()


def replay(server, ts: str, url: str):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", f"/archive/{ts}id_/{url}")
        response = conn.getresponse()
        return response.status, response.getheader("Location"), response.read()
    finally:
        conn.close()


def test_every_demo_article_replays_byte_identical(demo_replay):
    site, base = get_site(1), demo_replay["base"]
    host = base.split("://", 1)[1]
    db = sqlite3.connect(f"file:{demo_replay['archive'] / 'archive.db'}?mode=ro", uri=True)
    rows = db.execute("SELECT url, fetched_at FROM articles").fetchall()
    db.close()
    assert len(rows) >= 15
    transfers = set()
    for url, fetched_at in rows:
        resource = site[url[len(base):]]
        ts = "".join(ch for ch in fetched_at if ch.isdigit())[:14]
        status, _location, body = replay(demo_replay["server"], ts, url)
        assert (url, status) == (url, 200)
        assert body == resource.body_for(host), url
        transfers.add(resource.transfer)
    assert transfers == {"identity", "gzip", "chunked"}
    assert base + TODAY_PATH in {url for url, _ in rows}


def test_today_article_replays_its_original_file(demo_replay):
    url = demo_replay["base"] + TODAY_PATH
    ts, _fields = demo_replay["index"][url][0]
    status, _location, body = replay(demo_replay["server"], ts, url)
    assert status == 200
    assert body == get_site(1)[TODAY_PATH].body
    assert len(body) > 10_000


def test_demo_redirect_replays_as_a_redirect(demo_replay):
    site, base = get_site(1), demo_replay["base"]
    redirects = [path for path, res in site.items() if res.kind == "redirect"]
    assert redirects
    for path in redirects:
        ts, fields = demo_replay["index"][base + path][0]
        assert fields["status"] == "301"
        status, location, _body = replay(demo_replay["server"], ts, base + path)
        assert (status, location) == (301, base + site[path].redirect_to)


def test_dataset_replay_urls_resolve_on_the_replay_server(demo_replay):
    """The store's ``replay_url`` column is a path on this server: every one serves its article."""
    db = sqlite3.connect(f"file:{demo_replay['archive'] / 'archive.db'}?mode=ro", uri=True)
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    if "replay_url" not in columns:
        db.close()
        pytest.skip("this dataset has no replay_url column")
    rows = db.execute("SELECT url, replay_url FROM articles").fetchall()
    db.close()
    site, base = get_site(1), demo_replay["base"]
    host = base.split("://", 1)[1]
    server = demo_replay["server"]
    for url, path in rows:
        assert path.startswith("/archive/") and path.endswith("id_/" + url)
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, site[url[len(base):]].body_for(host)), url
        conn.close()
