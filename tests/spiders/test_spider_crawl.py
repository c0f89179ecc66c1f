"""Real crawls of a local fixture site with the real spider and the project's settings.

Each crawl runs in a subprocess (a Twisted reactor runs once per process); the server runs here
and counts every hit, so "fetched exactly once" and "never fetched" are facts, not log reading.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from crawler.analysis.classify import classify
from spider_site import A1, A2, A3, A4, A5, A6, A7, ARTICLES, SiteServer

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def run_crawl(tmp_path: Path, args: dict, settings: dict | None = None):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    config = {"args": args, "settings": settings or {}}
    proc = subprocess.run([sys.executable, str(HERE / "spider_crawl_runner.py"), str(out), json.dumps(config)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": f"{HERE}:{ROOT}", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    items = [json.loads(line) for line in (out / "items.jsonl").read_text().splitlines()]
    result = json.loads((out / "result.json").read_text())
    return items, result, proc.stderr


@pytest.fixture
def site():
    with SiteServer() as server:
        yield server


def paths(items):
    return sorted(i["url"].split("/", 3)[3].join(["/", ""]) for i in items)


def test_full_crawl_fetches_each_url_once_and_yields_each_article_once(site, tmp_path):
    items, result, log = run_crawl(tmp_path, {
        "start_urls": site.url + "/", "sitemap_urls": [site.url + "/sitemap_index.xml"],
        "feed_urls": site.url + "/feed.xml",
    }, {"WARC_ENABLED": True, "NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path / "archive")})
    expected = {"/robots.txt", "/", "/sitemap_index.xml", "/sitemap-news.xml", "/sitemap-pages.xml.gz",
                "/feed.xml", "/world/", "/world/page/2", "/tech/", "/about", "/files/report.pdf",
                "/missing-page", "/old/a4", "/img/storm.jpg", *ARTICLES}
    assert set(site.hits) == expected
    assert all(n == 1 for n in site.hits.values()), {p: n for p, n in site.hits.items() if n != 1}
    assert "/private/secret" not in site.hits and "/media/clip.mp4" not in site.hits

    assert paths(items) == sorted(ARTICLES)
    by_path = {p: i for p, i in zip(paths(items), sorted(items, key=lambda i: i["url"]))}
    by_path = {i["url"][len(site.url):]: i for i in items}
    a5 = by_path[A5]["hints"]
    assert a5["source"] == "sitemap" and a5["depth"] == 1
    assert a5["referer"] == site.url + "/sitemap-news.xml"
    assert (a5["news_title"], a5["news_publication_date"], a5["news_keywords"]) == (
        "Markets rally after report", "2026-11-20T09:30:00+01:00", "markets, stocks")
    assert (a5["news_name"], a5["news_language"], a5["lastmod"]) == ("Fixture Times", "en", "2026-11-20T10:00:00+00:00")
    a7 = by_path[A7]["hints"]
    assert (a7["source"], a7["feed_title"], a7["feed_published"]) == (
        "feed", "Quantum leap in computing", "2026-11-18T08:00:00+00:00")
    a6 = by_path[A6]["hints"]
    assert (a6["source"], a6["depth"], a6["referer"]) == ("link", 3, site.url + "/world/page/2")
    assert by_path[A4]["status"] == 200   # reached through the /old/a4 redirect, reported at its final URL
    for item in items:
        assert item["content_type"].startswith("text/html") and item["body_len"] > 500
        # The WARC middleware's pointer travels on the item; its date is the item's date.
        assert item["warc_url"] == item["url"]
        assert item["fetched_at"] == item["warc_fetched_at"] and item["fetched_at"].endswith("Z")

    stats = result["stats"]
    assert result["reason"] == "finished"
    assert stats["news/articles"] == 7
    assert stats["news/sitemaps"] == 3 and stats["news/feeds"] == 1
    assert stats["news/http_error/404"] == 1
    assert stats["news/failed/robots"] == 1
    assert stats["news/skipped/offsite"] == 2       # a link and a sitemap on elsewhere.example
    assert stats["news/skipped/extension"] == 1     # the .mp4
    assert stats["news/non_html"] == 1              # the PDF: fetched, archived, not parsed
    assert stats["news/embeds"] == 1                # A1's own image; not the offsite or data: one
    # pages, requisites and discovery documents are counted apart: every page but the PDF and
    # the 404 was classified; the image is a requisite; robots.txt, 3 sitemaps and the feed discovery
    assert sum(v for k, v in stats.items() if k.startswith("news/classify/")) == stats["news/pages"] - 2
    assert stats["fetched/page"] == stats["news/pages"]
    assert (stats["fetched/requisite"], stats["fetched/discovery"]) == (1, 5)
    assert stats["failed/page/http_4xx"] == 1 and stats["failed/page/robots"] == 1
    failures = [line for line in log.splitlines() if "fetch failed" in line]
    assert failures == [line for line in failures if line.endswith(f"fetch failed: {site.url}/missing-page HTTP 404")]
    assert len(failures) == 1
    assert "Traceback" not in log


def test_depth_and_exclude(site, tmp_path):
    items, result, _ = run_crawl(tmp_path, {"start_urls": site.url + "/", "max_depth": "2", "exclude": r"/tech/"})
    assert paths(items) == sorted([A1, A2])
    # depth 3 (home -> /world/ -> /world/page/2 -> A6) is beyond max_depth; /tech/ is excluded
    assert A6 not in site.hits and "/world/page/2" in site.hits
    assert not [p for p in site.hits if p.startswith("/tech/")]
    assert result["stats"]["news/skipped/depth"] >= 1
    assert result["stats"]["news/skipped/excluded"] >= 3


def test_sitemap_as_start_url_without_link_following_and_include(site, tmp_path):
    items, result, _ = run_crawl(tmp_path, {
        "start_urls": [site.url + "/sitemap_index.xml", site.url + "/feed.xml"],
        "sitemap_urls": site.url + "/sitemap.txt",
        "follow_links": "false", "include": r"/business/,/world/",
    })
    assert paths(items) == sorted([A5, A2, A6, A1])   # A6 from the plain-text sitemap
    # A3 and A7 (feed) are not included; A1 came from the feed without its utm_* tags.
    assert A3 not in site.hits and A7 not in site.hits and A1 in site.hits
    assert "/about" not in site.hits
    assert result["stats"]["news/sitemaps"] == 4 and result["stats"]["news/feeds"] == 1
    a5 = next(i for i in items if i["url"].endswith(A5))
    assert a5["hints"]["news_title"] == "Markets rally after report"


def test_max_pages_closes_cleanly(site, tmp_path):
    items, result, log = run_crawl(tmp_path, {"start_urls": site.url + "/", "max_pages": 3},
                                   {"CONCURRENT_REQUESTS": 1})
    assert result["reason"] == "max_pages"
    # Requests already in flight when the limit is hit still complete (at most CONCURRENT_REQUESTS).
    # N pages means N pages: requisites, robots.txt and the feed are not counted
    pages = result["stats"]["news/pages"]
    assert pages == result["stats"]["fetched/page"] == 3
    assert sum(n for p, n in site.hits.items() if p not in ("/robots.txt", "/feed.xml")) == pages
    assert len(site.hits) < 8   # the site has 20 reachable URLs: the crawl really stopped
    # Breadth first: what was fetched is the seed and the pages it links to, the feed first.
    depth_0_1 = {"/robots.txt", "/", "/feed.xml", "/world/", "/tech/", A1, "/about", "/files/report.pdf",
                 "/missing-page"}
    assert set(site.hits) <= depth_0_1 and "/feed.xml" in site.hits
    assert "Traceback" not in log


def test_bad_seeds_give_one_line_each(site, tmp_path):
    items, result, log = run_crawl(tmp_path, {
        "start_urls": ["htp:/broken", "http://127.0.0.1:1/", site.url + "/files/report.pdf", site.url + A4],
        "max_depth": 0,
    })
    assert "Traceback" not in log
    assert [line for line in log.splitlines() if "invalid seed URL" in line][0].endswith(
        "invalid seed URL: 'htp:/broken' (need an absolute http:// or https:// URL)")
    refused = [line for line in log.splitlines() if "fetch failed: http://127.0.0.1:1/" in line]
    assert len(refused) == 1 and refused[0].endswith("connection refused")
    assert len([line for line in log.splitlines() if "seed is not an HTML page" in line]) == 1
    assert paths(items) == [A4]               # the good seed still works; depth 0 follows nothing
    assert set(site.hits) == {"/robots.txt", "/files/report.pdf", A4}
    stats = result["stats"]
    assert stats["news/failed/invalid_url"] == 1 and stats["news/failed/refused"] == 1
    assert result["reason"] == "finished"



@pytest.mark.parametrize("obey", [True, False])
def test_robots_sitemaps_only_when_asked(site, tmp_path, obey):
    items, result, _ = run_crawl(tmp_path, {"start_urls": site.url + "/", "follow_links": False,
                                            "use_robots_sitemaps": True}, {"ROBOTSTXT_OBEY": obey})
    # robots.txt is read once either way: from the robots middleware, or fetched by the spider.
    assert site.hits["/robots.txt"] == 1
    assert {"/sitemap_index.xml", "/sitemap-news.xml", "/sitemap-pages.xml.gz"} <= set(site.hits)
    assert paths(items) == sorted([A2, A5])
    a5 = next(i["hints"] for i in items if i["url"].endswith(A5))
    assert a5["news_title"] == "Markets rally after report" and a5["depth"] == 1


# --- the bundled demo site -------------------------------------------------------------------

def test_demo_site_pages_classified_as_the_manifest_says():
    demo = pytest.importorskip("crawler.demo.site")
    want = {"home": "listing", "section": "listing", "article": "article"}
    for path, res in demo.get_site(1).items():
        if res.kind in want:
            verdict = classify("http://demo.example" + path, res.body)
            assert verdict.label == want[res.kind], (path, verdict)


def test_demo_site_crawl(tmp_path):
    server_mod = pytest.importorskip("crawler.demo.server")
    from crawler.demo.manifest import manifest

    with server_mod.DemoServer() as server:
        items, result, log = run_crawl(tmp_path, {
            "start_urls": server.url + "/", "sitemap_urls": server.url + "/sitemap.xml",
            "feed_urls": server.url + "/feeds/rss.xml"})
        hits = dict(server.hits)
    entries = {m["path"]: m for m in manifest()}
    must = {p for p, m in entries.items()
            if not m["disallowed"] and (m["linked"] or m["kind"] in ("sitemap", "robots", "feed"))}
    assert must <= set(hits), sorted(must - set(hits))
    assert {p for p, n in hits.items() if n != 1} == set()
    assert not [p for p, m in entries.items() if m["disallowed"] and p in hits]
    assert set(hits) <= set(entries)
    got = [i["url"][len(server.url):] for i in items]
    assert sorted(got) == sorted(p for p, m in entries.items() if m["kind"] == "article")
    for item in items:
        hints = item["hints"]
        title = hints["news_title"] or hints["feed_title"]
        if title:   # what the sitemap or feed said matches the page's own headline
            assert title == entries[item["url"][len(server.url):]]["headline"]
    assert result["reason"] == "finished" and "Traceback" not in log


def test_too_large_response_is_one_counted_line(site, tmp_path):
    items, result, log = run_crawl(tmp_path, {"start_urls": site.url + A1, "max_depth": 0},
                                   {"DOWNLOAD_MAXSIZE": 600, "DOWNLOAD_WARNSIZE": 0})
    assert items == [] and "Traceback" not in log
    assert result["stats"]["news/failed/too_large"] == 1
    lines = [line for line in log.splitlines() if f"fetch failed: {site.url}{A1}" in line]
    assert len(lines) == 1 and lines[0].endswith("response larger than DOWNLOAD_MAXSIZE"), lines
