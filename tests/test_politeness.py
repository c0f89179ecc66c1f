"""What sites ask of crawlers, end to end: one real crawl of the demo site's policy corner
(``crawler/demo/policies.py``: Crawl-delay 2, a 429 with Retry-After 3, noarchive pages, a
WordPress-style article with its comment feed, a news sitemap) beside a host that answers 503 to
everything (127.0.0.2). Timings are read from the servers' own request logs."""

from __future__ import annotations

import pytest

from cli_helpers import run_cli
from crawler.demo import policies as P
from crawler.demo.server import DemoServer
from crawler.politeness import parse_retry_after

DOWN_SEEDS = 6
MAX_FAILURES = 4


@pytest.fixture(scope="module")
def polite_crawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("polite-archive")
    with DemoServer(policies="polite") as polite, DemoServer(host="127.0.0.2", policies="down") as down:
        proc = run_cli("crawl", "--sitemap", polite.url + P.SITEMAP,
                       *(f"{down.url}/news/story-{i}" for i in range(DOWN_SEEDS)),
                       "--depth", "1", "--archive", archive,
                       "-s", "DOWNLOAD_DELAY=0.2", "-s", "AUTOTHROTTLE_ENABLED=False",
                       "-s", f"NEWSARCHIVE_HOST_MAX_FAILURES={MAX_FAILURES}", timeout=240)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return {"archive": archive, "proc": proc, "url": polite.url, "log": list(polite.request_log),
                "hits": dict(polite.hits), "down_log": list(down.request_log)}


@pytest.mark.slow
def test_crawl_delay_from_robots_txt_spaces_every_request(polite_crawl):
    log = polite_crawl["log"]
    assert log[0]["path"] == "/robots.txt" and len(log) >= 6
    gaps = sorted(round(b["time"] - a["time"], 2) for a, b in zip(log, log[1:]))
    # the delay runs between the crawler's sends; the server sees a request a connect later
    # (without the delay the gaps are DOWNLOAD_DELAY, 0.1 to 0.3 s)
    assert gaps[0] >= P.CRAWL_DELAY - 0.25 and gaps[len(gaps) // 2] >= P.CRAWL_DELAY - 0.02, gaps
    assert "crawl delays       127.0.0.1 2 s (robots.txt Crawl-delay)" in polite_crawl["proc"].stdout


@pytest.mark.slow
def test_retry_after_holds_the_retry(polite_crawl):
    busy = [r for r in polite_crawl["log"] if r["path"] == P.BUSY]
    assert [r["status"] for r in busy] == [429, 200]
    assert busy[1]["time"] - busy[0]["time"] >= P.RETRY_AFTER - 0.05
    assert "retry-after        1 response(s) asked to wait; longest wait 3 s" in polite_crawl["proc"].stdout


@pytest.mark.slow
def test_failing_host_is_paused_with_one_line(polite_crawl):
    # robots.txt, its retry and the first page: MAX_FAILURES answers of 503, then nothing more
    # (one request may already be on its way), against 2 * (DOWN_SEEDS + 1) without pausing
    sent = len(polite_crawl["down_log"])
    assert MAX_FAILURES <= sent <= MAX_FAILURES + 1
    stderr = polite_crawl["proc"].stderr
    assert stderr.count("pausing 127.0.0.2") == 1, stderr
    assert "hosts paused       127.0.0.2" in polite_crawl["proc"].stdout
    assert "Traceback" not in stderr


@pytest.mark.slow
def test_feeds_found_on_pages_obey_scope(polite_crawl):
    # the WordPress article (depth 1) links the site feed (depth 2 > --depth 1) and its own
    # comment feed: neither is fetched, and the summary says why
    hits = polite_crawl["hits"]
    assert P.WORDPRESS in hits and P.SITE_FEED not in hits and P.COMMENT_FEED not in hits
    assert "skipped by scope   2 (too deep 1, article feeds 1)" in polite_crawl["proc"].stdout


@pytest.mark.parametrize("value, seconds", [
    ("3", 3.0), (b"120", 120.0), ("Thu, 03 Dec 2026 12:00:30 GMT", 30.0),
    ("Thu, 03 Dec 2026 11:00:00 GMT", 0.0), ("soon", None), ("", None),
])
def test_parse_retry_after(value, seconds):
    from datetime import datetime, timezone

    now = datetime(2026, 12, 3, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after(value, now) == seconds
