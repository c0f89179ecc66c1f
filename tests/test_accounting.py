"""Honest accounting and one truth for run states (issue 21, items 2 and 3).

Pages, page requisites and discovery fetches are counted apart in the summary, the Scrapy stats,
the ``crawls`` row and ``status``; a requisite's 404 is a missing requisite logged at INFO, not an
error; ``--max-pages N`` is N pages and a clean finish; the scheduler, ``status`` and ``jobs
history`` tell one story about a run, with times in one convention (UTC, ``Z``).
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from cli_helpers import FAST, run_cli
from crawler.demo.manifest import manifest
from crawler.demo.stories import DEAD_LINKS, MISSING_ASSETS

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def summary_value(out: str, label: str) -> str:
    line = next(line for line in out.splitlines() if line.startswith(label))
    return line[len(label):].strip()


def test_demo_summary_counts_pages_requisites_and_discovery_apart(demo_crawl):
    out, err = demo_crawl["proc"].stdout, demo_crawl["proc"].stderr
    hits = demo_crawl["hits"]
    rows = {row["path"]: row for row in manifest()}
    kind = {path: row["kind"] for path, row in rows.items()}
    # a page's images, scripts and styles are requisites; a document it links to is a page
    requisites = [p for p in hits if rows[p].get("embedded") and not rows[p].get("linked") or p in MISSING_ASSETS]
    discovery = [p for p in hits if kind[p] in ("robots", "sitemap", "feed")]
    # a redirect and its target are one page
    pages = [p for p in hits if p not in requisites and p not in discovery and kind[p] != "redirect"]
    assert MISSING_ASSETS[0] in requisites and len(discovery) == 6
    assert summary_value(out, "pages") == f"{len(pages)} (1 more denied by robots.txt)"
    assert summary_value(out, "page requisites") == f"{len(requisites)} (1 missing or failed: HTTP 4xx 1)"
    assert summary_value(out, "discovery fetches") == f"{len(discovery)} (robots.txt, sitemaps, feeds)"
    # "errors" are pages that could not be archived: the dead link, not the missing image
    assert summary_value(out, "errors") == "1 (pages not archived: HTTP 4xx 1)"
    assert DEAD_LINKS[0] in err and MISSING_ASSETS[0] not in err  # the image's 404 is at INFO

    db = sqlite3.connect(demo_crawl["archive"] / "archive.db")
    stats = json.loads(db.execute("SELECT stats FROM crawls").fetchone()[0])
    assert (stats["fetched/page"], stats["fetched/requisite"], stats["fetched/discovery"]) == (
        len(pages), len(requisites), len(discovery))
    assert stats["failed/requisite/http_4xx"] == 1 and stats["failed/page/http_4xx"] == 1
    assert stats["failed/page/robots"] == 1 and not any(k.startswith("failed/discovery/") for k in stats)

    status = run_cli("status", "--archive", demo_crawl["archive"], check=True).stdout
    assert re.search(rf"finished +pages {len(pages)} +requisites {len(requisites)} +discovery 6 +"
                     r"articles 26 +errors 1\b", status), status
    assert "did not finish cleanly" not in status


def test_verbose_log_names_the_missing_requisite_at_info(demo_server, tmp_path):
    proc = run_cli("crawl", demo_server.url + "/", "--archive", tmp_path / "a", "--depth", "0", *FAST, "-v",
                   check=True)
    line = next(line for line in proc.stderr.splitlines() if MISSING_ASSETS[0] in line and "HTTP" in line)
    assert line.startswith("INFO: missing requisite of " + demo_server.url + "/"), line
    assert summary_value(proc.stdout, "errors") == "0"


def test_max_pages_means_pages_and_is_a_clean_finish(demo_server, tmp_path):
    archive = tmp_path / "a"
    proc = run_cli("crawl", demo_server.url + "/", "--sitemap", demo_server.url + "/sitemap.xml",
                   "--archive", archive, "--max-pages", "7", *FAST, check=True)
    assert summary_value(proc.stdout, "pages") == "7"
    assert int(summary_value(proc.stdout, "page requisites").split()[0]) >= 1  # the pages' own, still fetched
    db = sqlite3.connect(archive / "archive.db")
    status_col, stats = db.execute("SELECT status, stats FROM crawls").fetchone()
    assert status_col == "max_pages" and json.loads(stats)["fetched/page"] == 7
    status = run_cli("status", "--archive", archive, check=True).stdout
    assert "max_pages" in status and "did not finish cleanly" not in status


UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"


def test_scheduler_status_and_history_tell_one_story(demo_server, tmp_path):
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f"""
[jobs.good]
seeds = ["{demo_server.url}/"]
archive = "good-archive"
[jobs.good.limits]
pages = 3
[jobs.good.politeness]
delay = 0
[jobs.good.schedule]
interval = "1d"
timezone = "Europe/Berlin"

[jobs.dead]
seeds = ["http://127.0.0.1:1/"]
archive = "dead-archive"
[jobs.dead.schedule]
cron = "0 6 * * *"
timezone = "Europe/Berlin"
""")
    once = run_cli("scheduler", "--once", "--jobs", jobs)
    assert once.returncode == 1, once.stdout + once.stderr  # a job failed
    said = dict(line.split(": ", 1) for line in once.stderr.splitlines() if line.startswith(("good: ", "dead: "))
                and not line.split(": ", 1)[1].startswith("starting"))
    assert said["good"] == "max_pages (exit 0)"
    assert said["dead"] == "failed (exit 1): no seed could be fetched: http://127.0.0.1:1/ connection refused"
    history = run_cli("jobs", "history", "--jobs", jobs, check=True).stdout
    for name, text in said.items():
        assert re.search(rf"#\d+ +{UTC}  {UTC} +{re.escape(text)}$", history, re.M), history
    status = run_cli("status", "--jobs", jobs, "--archive", tmp_path / "dead-archive", check=True).stdout
    for name, text in said.items():
        assert re.search(rf"^{name} +idle +{UTC} +{UTC} +{re.escape(text)}$", status, re.M), status
    assert re.search(rf"runs that did not finish cleanly:\n  #1 dead {UTC} {re.escape(said['dead'])}", status)
    listed = run_cli("jobs", "list", "--jobs", jobs, check=True).stdout
    times = re.findall(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(?::\d\d)?\S*(?: [A-Z]{3,4})?", listed + status + history)
    assert times and all(re.fullmatch(UTC, t) for t in times), times
