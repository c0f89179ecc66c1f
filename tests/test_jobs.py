"""Recurring jobs: validation, scheduling with an injected clock, locking, resume, incremental runs.

Every crawl here is real (the CLI in a subprocess against the demo site on 127.0.0.1).
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.demo.stories import MISSING_ASSETS
from cli_helpers import NEWSARCHIVE, ROOT, reachable_paths, run_cli
from crawler.demo.manifest import manifest

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def jobs_toml(server, jobs: dict) -> str:
    """A jobs file crawling the demo site, one [jobs.NAME] per entry: {name: (schedule, extra)}."""
    out = []
    for name, (schedule, politeness) in jobs.items():
        out.append(f"""
[jobs.{name}]
seeds = ["{server.url}/"]
sitemaps = ["{server.url}/sitemap.xml"]
feeds = ["{server.url}/feeds/rss.xml"]
archive = "{name}-archive"
[jobs.{name}.politeness]
{politeness}
[jobs.{name}.schedule]
{schedule}
[jobs.{name}.settings]
AUTOTHROTTLE_ENABLED = false
""")
    return "".join(out)


FAST = "delay = 0\nconcurrency_per_domain = 8"
SLOW = "delay = 0.3\nconcurrency_per_domain = 1"


def runs(archive) -> list[tuple]:
    db = archive / "archive.db"
    if not db.exists():
        return []
    return sqlite3.connect(db).execute("select job, status from crawls order by id").fetchall()


def warc_responses(archive) -> Counter:
    seen = Counter()
    for path in sorted((archive / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    seen[record.rec_headers.get_header("WARC-Target-URI")] += 1
    return seen


@pytest.mark.parametrize("body, field", [
    ('[jobs.a]\nseeds = ["nope"]\n', "seeds"),
    ('[jobs.a]\nseeds = ["http://x.example/"]\n[jobs.a.schedule]\ncron = "61 * * * *"\n', "schedule.cron"),
    ('[jobs.a]\nseeds = ["http://x.example/"]\n[jobs.a.limits]\npages = "many"\n', "limits.pages"),
    ('[jobs.a]\nseeds = ["http://x.example/"]\ncolour = "red"\n', "colour"),
    ('[jobs.a]\nseeds = ["http://x.example/"]\n[jobs.a.schedule]\ninterval = "1h"\ntimezone = "Mars/Base"\n',
     "schedule.timezone"),
])
def test_invalid_jobs_file_gives_one_line_and_exit_2(tmp_path, body, field):
    path = tmp_path / "jobs.toml"
    path.write_text(body)
    proc = run_cli("jobs", "list", "--jobs", path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:")
    assert str(path) in lines[0] and "job 'a'" in lines[0] and field in lines[0]


def test_invalid_toml_syntax(tmp_path):
    path = tmp_path / "jobs.toml"
    path.write_text("[jobs.a\nseeds = 1")
    proc = run_cli("scheduler", "--once", "--jobs", path)
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr and "Traceback" not in proc.stderr


def test_scheduler_once_runs_exactly_the_due_job(demo_server, tmp_path):
    # the daily job's cron hour is twelve hours away, so the two hours skipped below never reach it
    far_hour = (datetime.now(timezone.utc).hour + 12) % 24
    jobs = tmp_path / "jobs.toml"
    jobs.write_text(jobs_toml(demo_server, {"hourly": ('interval = "1h"', FAST),
                                            "daily": (f'cron = "0 {far_hour} * * *"', FAST)}))
    # never run: both are due at once
    run_cli("scheduler", "--once", "--jobs", jobs, check=True)
    assert runs(tmp_path / "hourly-archive") == [("hourly", "finished")]
    assert runs(tmp_path / "daily-archive") == [("daily", "finished")]
    # two hours later the hourly job is due again, the daily one is not
    now = datetime.now(timezone.utc) + timedelta(hours=2)
    proc = run_cli("scheduler", "--once", "--jobs", jobs, "--now", now.isoformat(), check=True)
    assert "hourly: starting" in proc.stderr and "daily" not in proc.stderr
    assert len(runs(tmp_path / "hourly-archive")) == 2
    assert len(runs(tmp_path / "daily-archive")) == 1
    # and a day later the daily one is due too: a missed slot runs once
    proc = run_cli("scheduler", "--once", "--jobs", jobs, "--now", (now + timedelta(days=1)).isoformat(),
                   check=True)
    assert "daily: starting" in proc.stderr
    assert len(runs(tmp_path / "daily-archive")) == 2
    # nothing is due a minute after the last runs
    proc = run_cli("scheduler", "--once", "--jobs", jobs, "--now",
                   (datetime.now(timezone.utc) + timedelta(minutes=1)).isoformat(), check=True)
    assert "nothing due" in proc.stderr


def test_second_run_of_unchanged_site_fetches_only_feeds_sitemaps_and_listings(tmp_path):
    from crawler.demo.server import DemoServer

    kinds = {row["path"]: row["kind"] for row in manifest()}
    with DemoServer() as server:
        jobs = tmp_path / "jobs.toml"
        jobs.write_text(jobs_toml(server, {"inc": ('interval = "1d"', FAST)}))
        run_cli("jobs", "run", "inc", "--jobs", jobs, check=True)
        first = dict(server.hits)
        server.hits.clear()
        run_cli("jobs", "run", "inc", "--jobs", jobs, check=True)
        second = dict(server.hits)
    fetched_kinds = Counter(kinds.get(path.split("#")[0], "unknown") for path in second)
    assert fetched_kinds["article"] == 0 and fetched_kinds["asset"] == 0
    discovery = {p for p, k in kinds.items() if k in ("home", "section", "feed", "sitemap")}
    assert discovery <= set(second)
    assert set(fetched_kinds) <= {"home", "section", "feed", "sitemap", "robots", "redirect", "notfound"}
    # the only 404 asked again is the home page's missing image: it may be back
    assert {p for p in second if kinds.get(p) == "notfound"} <= set(MISSING_ASSETS)
    assert len(second) < len(first) / 2


def test_running_job_is_not_started_twice_and_resumes_after_sigterm(tmp_path):
    from crawler.demo.server import DemoServer

    with DemoServer() as server:
        jobs = tmp_path / "jobs.toml"
        jobs.write_text(jobs_toml(server, {"slow": ('interval = "1d"', SLOW)}))
        archive = tmp_path / "slow-archive"
        first = subprocess.Popen([*NEWSARCHIVE, "jobs", "run", "slow", "--jobs", str(jobs)], cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lock = archive / "jobs" / "slow" / "lock"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and sum(server.hits.values()) < 6:
            time.sleep(0.1)
        assert lock.exists() and lock.read_text().strip() == str(first.pid)

        second = run_cli("jobs", "run", "slow", "--jobs", jobs)
        assert second.returncode != 0 and "already running" in second.stderr

        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=60)
        assert "interrupted" in out, err
        assert (archive / "jobs" / "slow" / "scrapy-state").is_dir()
        interrupted_hits = sum(server.hits.values())
        assert interrupted_hits < len(manifest())

        resumed = run_cli("jobs", "run", "slow", "--jobs", jobs, timeout=120, check=True)
        assert "interrupted" not in resumed.stdout
    assert not (archive / "jobs" / "slow" / "scrapy-state").exists()
    captures = warc_responses(archive)
    duplicates = {url: n for url, n in captures.items() if n > 1 and not url.endswith("/robots.txt")}
    assert duplicates == {}
    allowed = {server.url + path for path in reachable_paths(manifest())}
    assert allowed <= set(captures)
    assert [status for _, status in runs(archive)] == ["shutdown", "finished"]
