"""``newsarchive crawl``: flags become Scrapy settings and spider arguments."""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager

import click

from crawler.commands import archive_option

ARCHIVE_OPTION = archive_option()


def parse_setting_overrides(pairs) -> dict:
    """``-s NAME=VALUE`` exactly as ``scrapy crawl -s`` takes it."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.UsageError(f"-s expects NAME=VALUE, got {pair!r}")
        out[name.strip()] = value
    return out


@contextmanager
def writing_or_exit(archive, db_path=None):
    """The archive's writer lock for a command (recovering a dead run first, said on stderr);
    a busy archive ends the command with one ``Error:`` line."""
    from crawler.recovery import writing
    from crawler.runner import CrawlError

    stack = ExitStack()
    try:
        stack.enter_context(writing(archive, db_path, echo=lambda line: click.echo(line, err=True)))
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    with stack:
        yield


def run_and_report(**kwargs):
    from crawler.runner import CrawlError, run_crawl

    try:
        result = run_crawl(**kwargs)
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
    if result.write_error:
        raise click.ClickException("the crawl stopped: the archive could not be written (see above); every "
                                   "record written is valid, and the next crawl recovers what it holds")
    if result.problems:
        for problem in result.problems:
            click.echo(f"problem: {problem}", err=True)
        raise click.ClickException(f"the archive has {len(result.problems)} problem(s); "
                                   "run `newsarchive verify` for details")
    return result


POLITENESS_HELP = """\b
Politeness and policy (set with -s NAME=VALUE; defaults in crawler/settings.py, see docs/politeness.md):
  NEWSARCHIVE_CRAWL_DELAY=true        honour robots.txt Crawl-delay per host
  NEWSARCHIVE_MAX_CRAWL_DELAY=30      longest Crawl-delay honoured (s); longer ones are capped, logged once
  NEWSARCHIVE_RETRY_AFTER=true        a 429/503 Retry-After holds that host's next request and the retry
  NEWSARCHIVE_MAX_RETRY_AFTER=120     longest Retry-After waited (s); longer ones are capped, shown in the summary
  NEWSARCHIVE_HOST_MAX_FAILURES=20    pause a host after this many failures in a row (0: never)
  NEWSARCHIVE_NOARCHIVE=record        noarchive pages: record (archive, flag the rows) or skip (no article row)
  NEWS_FOLLOW_ARTICLE_FEEDS=false     follow an article's own feeds (its comment feed) found on it
"""


@click.command(epilog=POLITENESS_HELP)
@click.argument("urls", nargs=-1)
@click.option("--sitemap", "sitemaps", multiple=True, metavar="URL", help="A sitemap or sitemap index (repeatable).")
@click.option("--feed", "feeds", multiple=True, metavar="URL", help="An RSS or Atom feed (repeatable).")
@ARCHIVE_OPTION
@click.option("--max-pages", type=click.IntRange(min=0), default=None, help="Stop after this many pages answered, error statuses included (0: no limit); page "
                   "requisites, robots.txt, sitemaps and feeds are not counted, and the pages' "
                   "requisites are still fetched.")
@click.option("--depth", type=click.IntRange(min=0), default=None, help="Maximum depth from the seeds, for links and for the feeds and sitemaps found on pages.")
@click.option("--allow-domain", "allow_domains", multiple=True, metavar="DOMAIN",
              help="Domains in scope (repeatable; default: the seeds' domains).")
@click.option("--include", multiple=True, metavar="REGEX", help="Only follow URLs matching (repeatable).")
@click.option("--exclude", multiple=True, metavar="REGEX", help="Never follow URLs matching (repeatable).")
@click.option("-s", "--set", "setting", multiple=True, metavar="NAME=VALUE",
              help="Override a Scrapy setting, as `scrapy crawl -s` does (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log instead of a progress line.")
def crawl(urls, sitemaps, feeds, archive, max_pages, depth, allow_domains, include, exclude, setting, verbose):
    """Crawl news sites into ARCHIVE: WARC files plus the article dataset."""
    run_and_report(
        start_urls=urls, sitemap_urls=sitemaps, feed_urls=feeds, archive=archive,
        max_pages=max_pages, depth=depth, allow_domains=allow_domains,
        include=include, exclude=exclude, settings_overrides=parse_setting_overrides(setting),
        progress=sys.stderr.isatty() and not verbose,
        log_level="INFO" if verbose else "WARNING",
    )
