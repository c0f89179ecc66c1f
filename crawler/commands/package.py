"""``newsarchive package``: hand the archive over as one self-contained, validated WACZ file."""

from __future__ import annotations

import click

from archive.wacz import PackageError, package_wacz
from crawler.commands.crawl import ARCHIVE_OPTION


@click.command()
@ARCHIVE_OPTION
@click.option("--wacz", "output", required=True, type=click.Path(dir_okay=False),
              help="The WACZ file to write (replaced only once the new one validates).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="The dataset to list articles from (default: ARCHIVE/archive.db).")
@click.option("--text/--no-text", "include_text", default=True, show_default=True,
              help="Put each article's extracted text in pages.jsonl, for full-text search in ReplayWeb.page.")
@click.option("--crawl", "crawl_id", type=int, default=None, metavar="ID",
              help="Only this crawl (an id of the crawls table): its WARCs and its articles.")
@click.option("--since", metavar="DATE", help="Only captures fetched on or after DATE (2026-11-24, ISO time).")
@click.option("--until", metavar="DATE", help="Only captures fetched on or before DATE (the whole day).")
def package(archive, output, db_path, include_text, crawl_id, since, until):
    """Package ARCHIVE's WARCs as a WACZ whose pages are the dataset's articles."""
    if crawl_id is not None and (since or until):
        raise click.ClickException("use either --crawl or --since/--until, not both")
    try:
        result = package_wacz(archive, output, db_path=db_path, include_text=include_text,
                              crawl_id=crawl_id, since=since, until=until)
    except PackageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.summary())
    if result.skipped_open:
        click.echo(f"warning: left out {len(result.skipped_open)} WARC file(s) still being written: "
                   f"{', '.join(result.skipped_open)}", err=True)
    if result.unmatched:
        shown = ", ".join(result.unmatched[:5]) + (" ..." if len(result.unmatched) > 5 else "")
        click.echo(f"warning: {len(result.unmatched)} article(s) have no capture in the packed WARCs: "
                   f"{shown}", err=True)
