"""What sites ask of crawlers, end to end: one real crawl of the demo site's policy corner
(``crawler/demo/policies.py``: Crawl-delay 2, a 429 with Retry-After 3, noarchive pages, a
WordPress-style article with its comment feed, a news sitemap) beside a host that answers 503 to
everything (127.0.0.2). Timings are read from the servers' own request logs."""

from __future__ import annotations

import json

import pytest

from cli_helpers import FAST, run_cli
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


def _rows(archive, sql, *args):
    import sqlite3

    db = sqlite3.connect(archive / "archive.db")
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute(sql, args)]
    finally:
        db.close()


@pytest.mark.slow
def test_robots_directives_recorded_and_noarchive_flagged(polite_crawl):
    archive, base = polite_crawl["archive"], polite_crawl["url"]
    caps = {r["url"][len(base):]: r for r in _rows(
        archive, "select url, robots, noarchive from captures where url like ? and status = 200", base + "/policy/%")}
    assert json.loads(caps[P.HEADER_NOARCHIVE]["robots"]) == {"header": {"*": ["noarchive"], "examplebot": ["nofollow"]}}
    assert json.loads(caps[P.META_NOARCHIVE]["robots"]) == {
        "meta": {"robots": ["noarchive", "max-snippet:120"], "examplebot": ["noindex"]}}
    assert caps[P.HEADER_NOARCHIVE]["noarchive"] == caps[P.META_NOARCHIVE]["noarchive"] == "recorded"
    assert caps[P.BUSY]["robots"] is None and caps[P.BUSY]["noarchive"] is None
    # "record" (the default): archived and extracted, the article rows flagged
    arts = {r["url"][len(base):]: r for r in _rows(archive, "select url, noarchive from articles")}
    assert {p for p, r in arts.items() if r["noarchive"] == "recorded"} == {P.HEADER_NOARCHIVE, P.META_NOARCHIVE}
    assert "noarchive          2 capture(s) asked not to be archived: recorded" in polite_crawl["proc"].stdout


@pytest.mark.slow
def test_discovery_provenance_in_the_dataset(polite_crawl):
    archive, base = polite_crawl["archive"], polite_crawl["url"]
    sitemap = base + P.SITEMAP
    caps = {r["url"][len(base):]: r for r in _rows(
        archive, "select * from captures where url like ? and status = 200", base + "/policy/%")}
    wp = caps[P.WORDPRESS]
    assert (wp["found_by"], wp["found_on"], wp["depth"]) == ("sitemap", sitemap, 1)
    assert (wp["news_title"], wp["news_published"], wp["news_keywords"], wp["news_language"]) == (
        "Riverside market reopens after flood", "2026-11-25T07:45:00+00:00", "markets, flood", "en")
    arts = {r["url"][len(base):]: r for r in _rows(archive, "select * from articles")}
    # no date on the page: the news sitemap's is the article's, and says so
    assert (arts[P.WORDPRESS]["published"], arts[P.WORDPRESS]["published_from"]) == (
        "2026-11-25T07:45:00+00:00", "news_sitemap")
    # the page says 23 November, the news sitemap 25 November: kept, and the disagreement recorded
    school = arts[P.META_NOARCHIVE]
    assert school["published"].startswith("2026-11-23T16:00") and school["published_from"] == "page"
    assert (school["discovered_published"], school["published_disagrees"]) == ("2026-11-25T08:15:00+00:00", 1)
    busy = arts[P.BUSY]
    assert (busy["found_by"], busy["found_on"], busy["published_disagrees"]) == ("sitemap", sitemap, 0)


def _provenance(db):
    """The robots and provenance columns of every capture (by WARC-Record-ID) and article (by
    URL), and each article's published date."""
    from crawler.dataset.schema import ARTICLE_POLICY_COLUMNS, CAPTURE_POLICY_COLUMNS

    caps = {r["warc_record_id"]: r for r in _rows(
        db, f"select warc_record_id, {', '.join(CAPTURE_POLICY_COLUMNS)} from captures where warc_record_id is not null "
            "and status is not null")}
    arts = {r["url"]: r for r in _rows(db, f"select url, published, {', '.join(ARTICLE_POLICY_COLUMNS)} from articles")}
    return caps, arts


def _rebuild(archive, db):
    """The dataset rebuilt from the WARCs alone, into an empty file."""
    proc = run_cli("reextract", "--archive", archive, "--db", db / "archive.db", timeout=120)
    assert proc.returncode == 0 and "errors 0" in proc.stdout, proc.stdout + proc.stderr
    return _provenance(db)


@pytest.mark.slow
def test_a_rebuild_from_the_warcs_restores_provenance_and_robots(polite_crawl, tmp_path):
    archive, base = polite_crawl["archive"], polite_crawl["url"]
    crawled_caps, crawled_arts = _provenance(archive)
    caps, arts = _rebuild(archive, tmp_path)
    assert caps == crawled_caps and arts == crawled_arts  # row by row, every column
    # not vacuous: the sitemap's fields, the robots directives and the news-sitemap date are there
    assert len(caps) >= 8 and {r["found_by"] for r in caps.values()} >= {"seed", "sitemap"}
    wp = arts[base + P.WORDPRESS]
    assert (wp["published"], wp["published_from"]) == ("2026-11-25T07:45:00+00:00", "news_sitemap")
    assert arts[base + P.META_NOARCHIVE]["published_disagrees"] == 1
    assert {u[len(base):] for u, r in arts.items() if r["noarchive"] == "recorded"} == {P.HEADER_NOARCHIVE, P.META_NOARCHIVE}
    assert len({r["news_title"] for r in caps.values() if r["news_keywords"]}) == 4  # the 429 too


@pytest.mark.slow
def test_noarchive_skip_and_capped_crawl_delay_and_retry_after(tmp_path):
    """One small crawl for three things: NEWSARCHIVE_NOARCHIVE=skip, a Crawl-delay of 2 s capped
    at 0.5 s, and the 429's Retry-After of 3 s capped at 1 s."""
    with DemoServer(policies="polite") as polite:
        proc = run_cli("crawl", polite.url + P.HEADER_NOARCHIVE, polite.url + P.META_NOARCHIVE,
                       polite.url + P.BUSY, polite.url + P.BUSY.replace("council", "nowhere"), "--depth", "0",
                       "--archive", tmp_path, "-s", "NEWSARCHIVE_NOARCHIVE=skip",
                       "-s", "NEWSARCHIVE_MAX_CRAWL_DELAY=0.5", "-s", "NEWSARCHIVE_MAX_RETRY_AFTER=1",
                       *FAST, timeout=120)
        log = list(polite.request_log)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Crawl-delay 2 capped at 0.5 s: said once, applied, shown with what was asked
    assert proc.stderr.count("asks for a Crawl-delay of 2 s: capped at 0.5 s") == 1, proc.stderr
    assert "crawl delays       127.0.0.1 0.5 s (asked 2 s) (robots.txt Crawl-delay)" in proc.stdout
    gaps = sorted(b["time"] - a["time"] for a, b in zip(log, log[1:]))
    # robots.txt, four pages and the 429's retry; no gap near the 2 s asked or the 3 s Retry-After
    assert len(gaps) == 5 and gaps[1] >= 0.48 and gaps[-1] < P.CRAWL_DELAY, gaps
    # Retry-After 3 capped at 1 s: the retry waited at least the cap, and not what was asked
    busy = [r for r in log if r["path"] == P.BUSY]
    assert [r["status"] for r in busy] == [429, 200]
    assert 1 - 0.05 <= busy[1]["time"] - busy[0]["time"] < P.RETRY_AFTER - 0.5, busy
    assert ("retry-after        1 response(s) asked to wait; longest wait 1 s (1 capped, the longest asked "
            "3 s: NEWSARCHIVE_MAX_RETRY_AFTER)") in proc.stdout
    # skip: the noarchive pages are archived but have no article row; the other page has one
    assert [r["url"] for r in _rows(tmp_path, "select url from articles")] == [polite.url + P.BUSY]
    caps = _rows(tmp_path, "select url, noarchive, warc_record_id from captures where status = 200")
    assert sorted(str(c["noarchive"]) for c in caps if "/policy/" in c["url"]) == ["None", "skipped", "skipped"]
    assert all(c["warc_record_id"] for c in caps)  # the WARC keeps the response all the same
    assert "noarchive          2 capture(s) asked not to be archived: skipped" in proc.stdout
    # the crawl's decision is in the WARC: a rebuild stores no article row for them either
    crawled = _provenance(tmp_path)
    assert _rebuild(tmp_path, tmp_path / "fresh") == crawled
    assert set(crawled[1]) == {polite.url + P.BUSY}


@pytest.mark.slow
def test_bad_noarchive_policy_is_one_line(tmp_path):
    proc = run_cli("crawl", "http://127.0.0.1:9/", "--archive", tmp_path, "-s", "NEWSARCHIVE_NOARCHIVE=maybe")
    assert proc.returncode != 0
    assert proc.stderr.strip() == "Error: NEWSARCHIVE_NOARCHIVE must be record or skip, not 'maybe'"
