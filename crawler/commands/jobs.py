"""``newsarchive jobs|scheduler|status``: recurring crawls for archivists."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path

import click

from crawler.commands import archive_option

JOBS_OPTION = click.option("--jobs", "jobs_file", default=lambda: os.environ.get("NEWSARCHIVE_JOBS", "jobs.toml"),
                           show_default="jobs.toml or $NEWSARCHIVE_JOBS", type=click.Path(dir_okay=False),
                           help="The jobs file (TOML; see jobs.example.toml).")


class BadJobsFile(click.ClickException):
    exit_code = 2


def load(jobs_file):
    from crawler.jobs.jobfile import JobsFileError, load_jobs

    try:
        return load_jobs(jobs_file)
    except JobsFileError as exc:
        raise BadJobsFile(str(exc)) from None


def pick(jobs: dict, name: str):
    if name not in jobs:
        raise click.ClickException(f"no job named '{name}' (jobs: {', '.join(sorted(jobs))})")
    return jobs[name]


def _when(dt: datetime | None) -> str:
    from crawler.jobs.scheduler import utc_text

    return utc_text(dt)


def _run_stats(run: dict) -> dict:
    try:
        return json.loads(run.get("stats") or "{}")
    except ValueError:
        return {}


@click.group()
def jobs():
    """List, show and run the jobs of a jobs file, and see their history."""


@jobs.command("list")
@JOBS_OPTION
def list_jobs(jobs_file):
    """One line per job: schedule, last run, next run."""
    from crawler.jobs.scheduler import last_run, next_run, utc_now

    now = utc_now()
    for job in load(jobs_file).values():
        schedule = job.schedule.describe() if job.schedule else "manual"
        click.echo(f"{job.name:20} {schedule:32} last {_when(last_run(job)):24} next {_when(next_run(job, now))}")


@jobs.command("show")
@click.argument("name")
@JOBS_OPTION
def show_job(name, jobs_file):
    """Everything a job will do, as the crawler will see it."""
    job = pick(load(jobs_file), name)
    click.echo(f"job         {job.name}")
    click.echo(f"archive     {job.archive}")
    click.echo(f"schedule    {job.schedule.describe() if job.schedule else 'manual'}")
    for label, values in (("seeds", job.seeds), ("sitemaps", job.sitemaps), ("feeds", job.feeds),
                          ("domains", job.domains), ("include", job.include), ("exclude", job.exclude)):
        if values:
            click.echo(f"{label:11} {', '.join(values)}")
    click.echo(f"limits      pages {job.max_pages or '-'}, depth {job.depth if job.depth is not None else 'default'}, "
               f"duration {job.duration or '-'} s, bytes {job.max_bytes or '-'}")
    click.echo("settings    " + ", ".join(f"{k}={v}" for k, v in sorted(job.settings_overrides().items())))


@jobs.command("run")
@click.argument("name")
@JOBS_OPTION
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log.")
def run_job_command(name, jobs_file, verbose):
    """Run one job now (resuming its interrupted run, if any)."""
    from crawler.jobs.run import run_job
    from crawler.runner import CrawlError

    job = pick(load(jobs_file), name)
    try:
        result = run_job(job, progress=sys.stderr.isatty() and not verbose,
                         log_level="INFO" if verbose else "WARNING")
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
    reason = result.stats.get("finish_reason")
    if reason == "shutdown":
        click.echo(f"{name}: interrupted; the next run resumes where this one stopped")
    if result.problems:
        raise click.ClickException(f"the archive has {len(result.problems)} problem(s); run `newsarchive verify`")


@jobs.command("history")
@click.argument("name", required=False)
@JOBS_OPTION
@click.option("--limit", default=20, show_default=True, help="Runs per job.")
def history(name, jobs_file, limit):
    """Past runs, newest first: when, how they ended, pages, articles, errors."""
    from crawler.accounting import run_line
    from crawler.jobs.run import job_runs
    from crawler.jobs.scheduler import describe_run, utc_text

    all_jobs = load(jobs_file)
    for job in [pick(all_jobs, name)] if name else all_jobs.values():
        runs = job_runs(job, limit)
        click.echo(f"{job.name}: {len(runs)} run(s) shown")
        for run in runs:
            click.echo(f"  #{run['id']:<5} {utc_text(run['started'])}  {utc_text(run.get('finished')):20}  "
                       f"{describe_run(run)}")
            click.echo(f"         {run_line(_run_stats(run))}")


@click.command()
@JOBS_OPTION
@click.option("--once", is_flag=True, help="Run what is due now, wait for it, and exit (for cron and systemd timers).")
@click.option("--now", "now_text", default=None, metavar="ISO-TIME",
              help="Pretend it is this time when deciding what is due (for testing schedules).")
@click.option("--max-parallel", default=2, show_default=True, type=click.IntRange(min=1),
              help="Jobs running at the same time.")
def scheduler(jobs_file, once, now_text, max_parallel):
    """Run jobs when their schedules say so, until stopped (SIGTERM stops cleanly)."""
    from crawler.jobs.scheduler import Scheduler, parse_time, utc_now

    load(jobs_file)  # one clear line for a bad file, before anything starts
    if now_text:
        try:
            fixed = parse_time(now_text)
        except ValueError:
            raise click.BadParameter(f"not an ISO time: {now_text!r}", param_hint="--now") from None
        clock = lambda: fixed  # noqa: E731
    else:
        clock = utc_now
    sched = Scheduler(Path(jobs_file), clock=clock, max_parallel=max_parallel,
                      echo=lambda m: click.echo(m, err=True))
    if once:
        results = sched.run_once()
        if not results:
            click.echo("nothing due", err=True)
        if any(code != 0 for code in results.values()):
            raise SystemExit(1)
        return
    raise SystemExit(sched.run_forever())


@click.command()
@archive_option()
@click.option("--jobs", "jobs_file", default=None, type=click.Path(dir_okay=False),
              help="Also summarise the jobs of this file (default: jobs.toml when present).")
def status(archive, jobs_file):
    """Jobs (last and next runs), archive totals, and recent failures."""
    from crawler.status import archive_status, job_status

    jobs_file = jobs_file or os.environ.get("NEWSARCHIVE_JOBS") or ("jobs.toml" if Path("jobs.toml").exists() else None)
    if jobs_file:
        for line in job_status(load(jobs_file)):
            click.echo(line)
        click.echo("")
    for line in archive_status(Path(archive)):
        click.echo(line)
