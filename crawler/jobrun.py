"""Running one job: a lock so a job never runs twice at once, and a Scrapy JOBDIR so an
interrupted run resumes where it stopped instead of refetching what it already archived."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

from crawler.jobs import Job
from crawler.runner import CrawlError, CrawlResult, run_crawl

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


def run_job(job: Job, progress: bool = False, log_level: str | None = "WARNING") -> CrawlResult:
    state = job.state_dir()
    with JobLock(state / "lock", job.name):
        jobdir = state / "scrapy-state"
        resuming = jobdir.exists()
        kwargs = job.crawl_kwargs()
        kwargs["settings_overrides"] = {**kwargs["settings_overrides"], "JOBDIR": str(jobdir)}
        result = run_crawl(**kwargs, progress=progress, log_level=log_level)
        result.stats["job/resumed"] = resuming
        if result.stats.get("finish_reason") in COMPLETE:
            shutil.rmtree(jobdir, ignore_errors=True)
        return result
