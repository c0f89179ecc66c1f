"""``report``: the archive's figures as one self-contained HTML file."""

from __future__ import annotations

import click

from crawler.commands.dataset import ARCHIVE_OPTION
from crawler.dataset.errors import DatasetError


@click.command()
@ARCHIVE_OPTION
@click.option("--crawl", type=click.IntRange(min=1), default=None, help="Only this crawl (its id in `status`).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Where to write it [default: ARCHIVE/reports/report.html, or crawl-N.html].")
@click.option("--datasette-url", default="http://127.0.0.1:8001", show_default=True,
              help="Where `newsarchive browse` serves the dataset (the report's links point there).")
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="Hosts shown in the host chart.")
def report(archive, crawl, output, datasette_url, top):
    """Write an HTML report (charts, no network needed to view) of the archive or one crawl."""
    from crawler.report import write_report

    try:
        path = write_report(archive, output=output, crawl=crawl, datasette_url=datasette_url, top=top)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"report: {path}")
