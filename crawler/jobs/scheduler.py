"""The long-running scheduler: starts each job when its schedule says it is due.

Each run is a child process (``newsarchive jobs run NAME``): a Twisted reactor runs once per
process, and a crashed crawl must not take the scheduler with it.  A job's last run is read from
its own dataset (``crawls``), so the schedule survives restarts, and a run missed while the
scheduler was down is made up once, not once per missed slot.  Schedules are evaluated with
croniter; the loop itself is a few lines and needs no job store of its own.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from crawler.jobs.jobfile import Job, JobsFileError, load_jobs
from crawler.jobs.run import COMPLETE as CLEAN
from crawler.jobs.run import is_running, job_runs
from crawler.writelock import is_locked

logger = logging.getLogger("newsarchive.scheduler")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def utc_text(value: datetime | str | None) -> str:
    """Every time a command shows, in one convention: UTC, seconds, with ``Z``."""
    if not value:
        return "-"
    when = parse_time(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def last_run(job: Job) -> datetime | None:
    runs = job_runs(job, limit=1)
    return parse_time(runs[0]["started"]) if runs else None


def run_outcome(run: dict) -> tuple[str, int, str | None]:
    """(status, exit code, error line) of a recorded run."""
    import json

    try:
        stats = json.loads(run.get("stats") or "{}")
    except ValueError:
        stats = {}
    status = run.get("status") or "?"
    code = stats.get("exit_code")
    if code is None:
        code = 0 if status in CLEAN else 1
    return status, int(code), stats.get("error")


def describe_run(run: dict) -> str:
    status, code, error = run_outcome(run)
    return f"{status} (exit {code})" + (f": {error}" if error else "")


def next_run(job: Job, now: datetime) -> datetime | None:
    """When the job is next due; a job never run is due at once, a missed slot only once."""
    if job.schedule is None:
        return None
    last = last_run(job)
    if last is None:
        return now
    return job.schedule.next_after(last)


def due_jobs(jobs: dict[str, Job], now: datetime) -> list[Job]:
    return [job for job in jobs.values()
            if job.schedule is not None and (nxt := next_run(job, now)) is not None and nxt <= now]


def job_command(jobs_file: Path, name: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "jobs", "run", name, "--jobs", str(jobs_file)]


class Scheduler:
    def __init__(self, jobs_file: Path, clock: Callable[[], datetime] = utc_now, max_parallel: int = 2,
                 echo: Callable[[str], None] = print):
        self.jobs_file = Path(jobs_file)
        self.clock = clock
        self.max_parallel = max_parallel
        self.echo = echo
        self.jobs = load_jobs(self.jobs_file)
        self.children: dict[str, subprocess.Popen] = {}
        self.last_seen: dict[str, int | None] = {}  # job -> id of its latest run before this start
        self.stopping = False

    def archive_busy(self, job: Job) -> bool:
        """One writer per archive: a job waits while another run writes its archive."""
        archive = job.archive_path.resolve()
        return any(self.jobs[name].archive_path.resolve() == archive for name in self.children
                   if name in self.jobs) or is_locked(job.archive_path / "archive.db")

    def start(self, job: Job) -> bool:
        if job.name in self.children or is_running(job):
            self.echo(f"{job.name}: still running, not starting another run")
            return False
        if self.archive_busy(job):
            self.echo(f"{job.name}: its archive {job.archive_path} is being written, starting it later")
            return False
        self.echo(f"{job.name}: starting ({job.schedule.describe() if job.schedule else 'manual'})")
        runs = job_runs(job, limit=1)
        self.last_seen[job.name] = runs[0]["id"] if runs else None
        self.children[job.name] = subprocess.Popen(job_command(self.jobs_file, job.name))
        return True

    def reap(self) -> dict[str, int]:
        done = {name: proc.returncode for name, proc in self.children.items() if proc.poll() is not None}
        for name, code in done.items():
            del self.children[name]
            self.echo(f"{name}: {self.outcome(name, code)}")
        return done

    def outcome(self, name: str, code: int) -> str:
        """What the run's own record says (``status`` and ``jobs history`` read the same row);
        a child that died before recording anything is described by its exit code alone."""
        job = self.jobs.get(name)
        runs = job_runs(job, limit=1) if job is not None else []
        run = runs[0] if runs and runs[0]["id"] != self.last_seen.get(name) else None
        if run is None:
            return f"failed (exit {code}): no run was recorded"
        return describe_run(run)

    def run_once(self) -> dict[str, int]:
        """Run every job due now, wait for them, return exit codes by job."""
        results: dict[str, int] = {}
        for job in due_jobs(self.jobs, self.clock()):
            while len(self.children) >= self.max_parallel or (self.children and self.archive_busy(job)):
                results.update(self.reap())
                time.sleep(0.2)
            self.start(job)
        while self.children:
            results.update(self.reap())
            time.sleep(0.2)
        return results

    def reload(self) -> None:
        try:
            self.jobs = load_jobs(self.jobs_file)
        except JobsFileError as exc:
            self.echo(f"jobs file not reloaded, keeping the previous one: {exc}")

    def stop(self, *_args) -> None:
        self.stopping = True

    def run_forever(self, tick: float = 30.0) -> int:
        """Until SIGTERM/SIGINT; then children finish their in-flight records and close cleanly."""
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.echo(f"scheduler: {len(self.jobs)} job(s) from {self.jobs_file}")
        while not self.stopping:
            self.reload()
            self.reap()
            now = self.clock()
            for job in due_jobs(self.jobs, now):
                if len(self.children) >= self.max_parallel:
                    break
                if job.name not in self.children:
                    self.start(job)
            upcoming = [n for j in self.jobs.values() if j.name not in self.children
                        and (n := next_run(j, now)) is not None]
            wait = min([tick, *[max(0.5, (n - now).total_seconds()) for n in upcoming]])
            deadline = time.monotonic() + wait
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(max(0.0, min(0.5, deadline - time.monotonic())))
                if self.reap():
                    break
        for proc in self.children.values():
            proc.send_signal(signal.SIGTERM)  # Scrapy closes the spider gracefully on the first one
        for name, proc in list(self.children.items()):
            proc.wait()
            self.echo(f"{name}: stopped (exit {proc.returncode}); it resumes on its next run")
        self.children.clear()
        self.echo("scheduler: stopped")
        return 0
