"""``newsarchive reextract``: the dataset from the WARCs alone."""

from __future__ import annotations

from pathlib import Path

import click

from crawler.commands import archive_option


@click.command()
@archive_option("Archive directory holding warcs/.")
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help="Dataset to build or update (default: ARCHIVE/archive.db).")
@click.option("--new", "only_new", is_flag=True,
              help="Only the WARC files the dataset holds no capture of yet (e.g. copied in from elsewhere).")
def reextract(archive, db_path, only_new):
    """Rebuild or update the dataset from the WARC files, without the network."""
    from archive.reader import warc_files
    from crawler.commands.crawl import writing_or_exit
    from crawler.reextract import not_extracted
    from crawler.reextract import reextract as run

    warcs = Path(archive) / "warcs"
    if not warc_files(str(warcs)):
        raise click.ClickException(f"no WARC files in {warcs}")
    with writing_or_exit(archive, db_path):
        names = warc_files(str(warcs), include_open=False)  # recovery may have closed some
        if only_new:
            every = len(names)
            names = not_extracted(archive, db_path, names)
            if not names:
                click.echo(f"Nothing new: the dataset has captures of all {every} WARC file(s)")
                return
        total = sum((warcs / n).stat().st_size for n in names)
        with click.progressbar(length=total, label="re-extracting", file=click.get_text_stream("stderr"),
                               show_pos=False) as bar:
            result = run(archive, db_path, progress=lambda _n, length: bar.update(length), names=names)
    for error in result.errors[:20]:
        click.echo(f"error: {error}", err=True)
    click.echo(result.summary(Path(db_path or Path(archive) / "archive.db")))
    if result.errors:
        raise SystemExit(1)
