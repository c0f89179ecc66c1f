"""Click commands, one module per area; each is a thin wrapper over a plain function."""

import click

from archive.location import DEFAULT_ARCHIVE_DIR, ArchiveLocationError, archive_location


def archive_option(help: str = "Archive directory (archive.db, warcs/, indexes/)."):
    """``--archive DIR`` of every command: one default, and never a directory inside newsarchive's
    own source (one ``Error:`` line and exit 1 instead)."""

    def check(ctx, param, value):
        try:
            return str(archive_location(value))
        except ArchiveLocationError as exc:
            raise click.ClickException(str(exc)) from None

    return click.option("--archive", "archive", default=DEFAULT_ARCHIVE_DIR, show_default=True,
                        type=click.Path(file_okay=False), callback=check, help=help)
