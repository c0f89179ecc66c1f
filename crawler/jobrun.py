"""Running one job: a lock so a job never runs twice at once, and a Scrapy JOBDIR so an
interrupted run resumes where it stopped instead of refetching what it already archived."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from crawler.jobs import Job
from crawler.runner import CrawlError, CrawlResult, run_crawl

logger = logging.getLogger(__name__)

# Reasons after which the run is complete: the next run starts afresh (feeds, listings, due articles).
COMPLETE = {"finished", "closespider_timeout", "max_pages", "bytes_limit", "closespider_pagecount",
            "closespider_itemcount"}


class JobRunning(CrawlError):
    """A run of this job is already in progress."""


class JobLock:
    """An exclusive lock file; the kernel releases it when the holder dies, so it never goes stale."""

    def __init__(self, path: Path, job: str):
        self.path = path
        self.job = job
        self.fh = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            pid = self.fh.read().strip() or "?"
            self.fh.close()
            raise JobRunning(f"job '{self.job}' is already running (pid {pid}); not starting a second run") from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        self.fh.seek(0)
        self.fh.truncate()
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def is_running(job: Job) -> bool:
    path = job.state_dir() / "lock"
    if not path.exists():
        return False
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def job_runs(job: Job, limit: int | None = None, status: str | None = None) -> list[dict]:
    """This job's runs from its dataset (only those with *status*, if given), newest first."""
    db = job.archive_path / "archive.db"
    if not db.exists():
        return []
    from crawler.store.connection import connect_ro
    from crawler.store.errors import StoreError

    try:
        conn = connect_ro(db)
    except StoreError:
        return []
    conn.row_factory = sqlite3.Row
    sql = "SELECT * FROM crawls WHERE job = ?" + (" AND status = ?" if status else "")
    sql += " ORDER BY started DESC, id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    try:
        rows = conn.execute(sql, (job.name, status) if status else (job.name,)).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [dict(r) for r in rows]


def crashed_runs(job: Job) -> list[tuple[int, str]]:
    """Runs of this job still marked running: with the job's lock held, they died (SIGKILL, power loss)."""
    return [(run["id"], run["started"]) for run in job_runs(job, status="running")]


def recover(job: Job, crashed: list[tuple[int, str]]) -> list[str]:
    """Make a dead run's WARC files whole and bring the dataset level with them.

    The WARCs are flushed record by record but the dataset in batches, so after a kill the files
    hold captures the dataset never heard of.  Cutting each file after its last complete record and
    re-extracting the run's files from the WARCs (idempotent) restores them; the refresh policy then
    keeps the next run from fetching those articles again.  Scrapy's JOBDIR is only saved on a clean
    stop, so after a kill it is discarded rather than trusted.
    """
    from archive.verify import verify_file
    from crawler.reextract import reextract
    from crawler.store.writer import StoreWriter

    warcs = job.archive_path / "warcs"
    since = min(datetime.fromisoformat(started.replace("Z", "+00:00")).timestamp() for _, started in crashed)
    prefix = (job.warc_prefix or job.name) + "-"
    notes = []
    names = []
    for path in sorted(warcs.glob(prefix + "*")) if warcs.is_dir() else []:
        if not path.name.endswith((".warc.gz", ".warc.gz.open")) or path.stat().st_mtime < since - 1:
            continue
        result = verify_file(str(path), repair=True)
        if result.repaired:
            notes.append(f"repaired {result.name} (cut {result.cut_bytes or 0} bytes of an unfinished record)")
        names.append(result.name)
    if names:
        done = reextract(job.archive_path, names=names)
        notes.append(f"re-read {done.captures} captures and {done.articles} articles from the WARCs")
    with StoreWriter(job.archive_path / "archive.db") as writer:
        for crawl_id, _ in crashed:
            writer.end_crawl(crawl_id, status="crashed", stats={})
    shutil.rmtree(job.state_dir() / "scrapy-state", ignore_errors=True)
    return notes


def run_job(job: Job, progress: bool = False, log_level: str | None = "WARNING") -> CrawlResult:
    state = job.state_dir()
    with JobLock(state / "lock", job.name):
        crashed = crashed_runs(job)
        if crashed:
            for note in recover(job, crashed):
                logger.warning("%s: recovering from a crashed run: %s", job.name, note)
        jobdir = state / "scrapy-state"
        resuming = jobdir.exists()
        kwargs = job.crawl_kwargs()
        kwargs["settings_overrides"] = {**kwargs["settings_overrides"], "JOBDIR": str(jobdir)}
        try:
            result = run_crawl(**kwargs, progress=progress, log_level=log_level)
        except CrawlError as exc:
            record_outcome(job, getattr(exc, "result", None), "failed", 1, str(exc))
            raise
        result.stats["job/resumed"] = resuming
        if result.stats.get("finish_reason") in COMPLETE:
            shutil.rmtree(jobdir, ignore_errors=True)
        if result.problems:
            record_outcome(job, result, "failed", 1, f"the archive has {len(result.problems)} problem(s); "
                           "run `newsarchive verify`")
        else:
            record_outcome(job, result, result.stats.get("finish_reason") or "finished", 0, None)
        return result


def record_outcome(job: Job, result: CrawlResult | None, status: str, exit_code: int,
                   error: str | None) -> None:
    """Write how the run ended (status, exit code, error line) into its ``crawls`` row, so the
    scheduler, ``status`` and ``jobs history`` all read one record; a run that failed before it
    crawled anything gets a row of its own."""
    from crawler.store.errors import StoreError
    from crawler.store.writer import StoreWriter

    stats = dict(result.stats) if result is not None else {}
    crawl_id = stats.get("store/crawl_id")
    try:
        with StoreWriter(job.archive_path / "archive.db") as writer:
            if crawl_id is None:
                crawl_id = writer.begin_crawl(job=job.name, spider="news")
            writer.end_crawl(crawl_id, status=status,
                             stats={**stats, "exit_code": exit_code, "error": error})
    except StoreError as exc:
        logger.error("%s: the run's outcome was not recorded: %s", job.name, exc)
