"""Running one job: a lock so a job never runs twice at once, and a Scrapy JOBDIR so an
interrupted run resumes where it stopped instead of refetching what it already archived."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import sqlite3
from pathlib import Path

from crawler.jobs.jobfile import Job
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
    from crawler.writelock import file_is_locked

    return file_is_locked(job.state_dir() / "lock")


def job_runs(job: Job, limit: int | None = None, status: str | None = None) -> list[dict]:
    """This job's runs from its dataset (only those with *status*, if given), newest first."""
    db = job.archive_path / "archive.db"
    if not db.exists():
        return []
    from crawler.dataset.connection import connect_ro
    from crawler.dataset.errors import DatasetError

    try:
        conn = connect_ro(db)
    except DatasetError:
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


def run_job(job: Job, progress: bool = False, log_level: str | None = "WARNING") -> CrawlResult:
    from crawler.recovery import writing
    from crawler.writelock import ArchiveBusy

    state = job.state_dir()
    with JobLock(state / "lock", job.name):
        crashed = crashed_runs(job)
        try:
            # the archive's writer lock, held for the whole run; taking it recovers any dead run
            with writing(job.archive_path):
                jobdir = state / "scrapy-state"
                if crashed:
                    # Scrapy saves JOBDIR only on a clean stop, so after a kill it is not trusted;
                    # the refresh policy keeps this run from fetching again what the dead run archived
                    shutil.rmtree(jobdir, ignore_errors=True)
                resuming = jobdir.exists()
                kwargs = job.crawl_kwargs()
                kwargs["settings_overrides"] = {**kwargs["settings_overrides"], "JOBDIR": str(jobdir)}
                result = run_crawl(**kwargs, progress=progress, log_level=log_level)
        except ArchiveBusy:
            raise  # another process writes the archive: this run did not start, nothing to record
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
    from crawler.dataset.errors import DatasetError
    from crawler.dataset.writer import DatasetWriter

    stats = dict(result.stats) if result is not None else {}
    crawl_id = result.crawl_id if result is not None else None
    try:
        with DatasetWriter(job.archive_path / "archive.db") as writer:
            if crawl_id is None:
                crawl_id = writer.begin_crawl(job=job.name, spider="news")
            writer.end_crawl(crawl_id, status=status,
                             stats={**stats, "exit_code": exit_code, "error": error})
    except DatasetError as exc:
        logger.error("%s: the run's outcome was not recorded: %s", job.name, exc)
