"""``newsarchive worker|seed|merge|frontier``: one crawl spread over machines with scrapy-redis."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from crawler.commands import archive_option

REDIS_OPTION = click.option("--redis", "redis_url", required=True, envvar="NEWSARCHIVE_REDIS_URL",
                            metavar="redis://[:PASSWORD@]HOST:PORT/DB",
                            help="The Redis holding the shared frontier (or $NEWSARCHIVE_REDIS_URL).")
JOB_OPTION = click.option("--job", required=True, help="The crawl's name: workers of one job share a frontier.")


def _frontier_errors(fn):
    from functools import wraps

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from crawler.scaleout.frontier import FrontierError
        from crawler.runner import CrawlError

        try:
            return fn(*args, **kwargs)
        except (FrontierError, CrawlError) as exc:
            raise click.ClickException(str(exc)) from None
    return wrapper


@click.command()
@REDIS_OPTION
@JOB_OPTION
@click.argument("urls", nargs=-1)
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL")
@click.option("--feed", "feeds", multiple=True, metavar="URL")
@click.option("--allow-domain", "allow_domains", multiple=True, metavar="DOMAIN")
@click.option("--include", multiple=True, metavar="REGEX")
@click.option("--exclude", multiple=True, metavar="REGEX")
@click.option("--depth", type=click.IntRange(min=0), default=None)
@click.option("--continue", "continue_run", is_flag=True,
              help="Add seeds to the current run instead of starting a new one.")
@_frontier_errors
def seed(redis_url, job, urls, sitemaps, feeds, allow_domains, include, exclude, depth, continue_run):
    """Start a run of JOB on the shared frontier with these seeds."""
    from crawler.scaleout.frontier import connect, seed as push
    from crawler.runner import check_url

    seeds = [check_url(u) for u in urls]
    sitemaps = [check_url(u) for u in sitemaps]
    feeds = [check_url(u) for u in feeds]
    if not (seeds or sitemaps or feeds):
        raise click.UsageError("give at least one URL, --sitemap or --feed")
    config = {
        "allowed_domains": list(allow_domains) or sorted({urlsplit(u).hostname for u in [*seeds, *sitemaps, *feeds]}),
        "include": list(include), "exclude": list(exclude), "max_depth": depth,
    }
    keys = push(connect(redis_url), job, seeds, sitemaps, feeds, config=config, new_run=not continue_run)
    click.echo(f"job {job}: run {keys.run} seeded with {len(seeds) + len(sitemaps) + len(feeds)} URL(s)")


@click.command()
@REDIS_OPTION
@JOB_OPTION
@archive_option("Where this worker writes warcs/ and shards/WORKER.db.")
@click.option("--worker-id", default=None, help="Name in WARC file names and the shard (default HOST-PID).")
@click.option("-s", "--set", "setting", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log.")
@_frontier_errors
def worker(redis_url, job, archive, worker_id, setting, verbose):
    """Crawl from JOB's shared frontier until it is empty and no worker is busy."""
    from crawler.commands.crawl import parse_setting_overrides
    from crawler.scaleout.worker import run_worker

    result = run_worker(redis_url, job, archive, worker_id, parse_setting_overrides(setting),
                        progress=sys.stderr.isatty() and not verbose, log_level="INFO" if verbose else "WARNING")
    click.echo(result.summary().replace(str(Path(archive) / "archive.db"),
                                        str(Path(archive) / "shards" / "*.db")))
    if result.problems:
        raise click.ClickException(f"{len(result.problems)} problem(s) in this worker's WARC files")


@click.command()
@REDIS_OPTION
@JOB_OPTION
@_frontier_errors
def frontier(redis_url, job):
    """Progress of JOB's current run: queued requests, seen URLs, workers."""
    from crawler.scaleout.frontier import connect, current_run, frontier_status

    server = connect(redis_url)
    status = frontier_status(server, current_run(server, job))
    click.echo(f"job {job} run {status['run']}: {status['queued']} queued, {status['seeds']} seeds waiting, "
               f"{status['fingerprints']} URLs seen")
    for name, state in sorted(status["workers"].items()):
        click.echo(f"  {name:30} {'stale' if state['stale'] else ('busy' if state['busy'] else 'idle')}")


@click.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False),
              help="The archive directory whose archive.db receives the shards.")
def merge(shards, into):
    """Merge worker shards (ARCHIVE/shards/*.db) into INTO/archive.db; merging twice adds nothing."""
    from crawler.scaleout.merge import merge_shards
    from crawler.dataset.errors import DatasetError

    from crawler.commands.crawl import writing_or_exit
    from crawler.runner import CrawlError

    db = Path(into) / "archive.db"
    with writing_or_exit(into):
        try:
            result = merge_shards([Path(s) for s in shards], db)
        except (DatasetError, CrawlError) as exc:  # CrawlError: a shard a live worker still writes
            raise click.ClickException(str(exc)) from None
    click.echo(result.summary(db))
