"""A crawl killed with SIGKILL: complete records stay valid, repair makes the file clean, and the
next run of the job does not fetch again what was archived."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.verify import verify_file
from cli_helpers import NEWSARCHIVE, ROOT, run_cli, warcio_check
from crawler.demo.manifest import manifest

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def test_sigkill_then_repair_then_resume(tmp_path):
    from crawler.demo.server import DemoServer

    kinds = {r["path"]: r["kind"] for r in manifest()}
    with DemoServer() as server:
        jobs = tmp_path / "jobs.toml"
        jobs.write_text(f"""
[jobs.killed]
seeds = ["{server.url}/"]
sitemaps = ["{server.url}/sitemap.xml"]
archive = "archive"
[jobs.killed.politeness]
delay = 0.25
concurrency_per_domain = 1
[jobs.killed.settings]
AUTOTHROTTLE_ENABLED = false
DATASET_FLUSH_SECONDS = 60
""")
        proc = subprocess.Popen([*NEWSARCHIVE, "jobs", "run", "killed", "--jobs", str(jobs)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(n for p, n in server.hits.items()
                                                  if kinds.get(p) == "article") < 5:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # the crawl and its extraction pool, as a kill -9 of the job
        proc.wait(timeout=10)
        first_hits = dict(server.hits)

        archive = tmp_path / "archive"
        open_files = sorted((archive / "warcs").glob("*.warc.gz.open"))
        assert len(open_files) == 1, "the killed crawl left its file open"
        result = verify_file(str(open_files[0]))
        assert result.records > 3
        assert all("truncated" in p for p in result.problems), result.problems  # only the record in flight

        report = run_cli("verify", "--archive", archive)
        assert "still open" in report.stdout
        # a kill between two records leaves a valid file; a kill inside one leaves a truncated tail
        assert (report.returncode != 0) == (result.truncated_at is not None), report.stdout
        run_cli("verify", "--archive", archive, "--repair", check=True)
        closed = sorted((archive / "warcs").glob("*.warc.gz"))
        assert len(closed) == 1 and not list((archive / "warcs").glob("*.open"))
        assert warcio_check(closed) == []
        with open(closed[0], "rb") as fh:
            archived = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                        if r.rec_type == "response"}
        archived_articles = {u for u in archived if kinds.get(u[len(server.url):]) == "article"}
        assert archived_articles

        server.hits.clear()
        run_cli("jobs", "run", "killed", "--jobs", jobs, timeout=180, check=True)
        refetched = {server.url + p for p in server.hits} & archived_articles
        assert refetched == set(), "archived articles were fetched again"
        all_articles = {server.url + p for p, k in kinds.items() if k == "article"}
        assert all_articles <= archived | {server.url + p for p in server.hits}
    run_cli("verify", "--archive", archive, check=True)
    assert first_hits
