"""``newsarchive replay``: browse the archive as it was fetched, through pywb.

pywb runs from its own virtualenv (it conflicts with scrapy-redis); this command only prepares
its configuration, starts it bound to loopback unless told otherwise, and stops it on Ctrl-C.
"""

from __future__ import annotations

import os
import signal

import click

from archive.replay import COLLECTION, REPLAY_VENV_ENV, ReplayError, ReplayServer
from archive.replay import start_replay as _start_replay
from crawler.commands.crawl import ARCHIVE_OPTION


def start_replay(archive_dir: str | os.PathLike, bind: str = "127.0.0.1", port: int = 8080,
                 **options) -> ReplayServer:
    """Start pywb on ``archive_dir``; the handle has ``.url`` and ``.stop()``. Raises ReplayError."""
    return _start_replay(archive_dir, bind, port, **options)


def configured_venv() -> str | None:
    """NEWSARCHIVE_REPLAY_VENV from the project's settings, if set there (None: the default venv)."""
    from crawler import settings

    return getattr(settings, "NEWSARCHIVE_REPLAY_VENV", None)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@click.command()
@ARCHIVE_OPTION
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the archive to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--reindex", is_flag=True, help="Rebuild the CDXJ index even if it looks up to date.")
@click.option("--venv", "venv", envvar=REPLAY_VENV_ENV, type=click.Path(file_okay=False),
              help=f"The pywb virtualenv (env {REPLAY_VENV_ENV}, else the setting of that name, "
                   "else the project's .venv-replay).")
def replay(archive, bind, port, reindex, venv):
    """Serve ARCHIVE with pywb until Ctrl-C, as the collection `archive`."""
    try:
        from crawler import settings

        server = start_replay(archive, bind, port, venv=venv or configured_venv(), reindex=reindex,
                              index_merge_at=settings.NEWSARCHIVE_INDEX_MERGE_AT)
    except ReplayError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Replaying {os.path.abspath(archive)} at {server.url}")
    click.echo(f"  original bytes: {server.url}<timestamp>id_/<url>   browse: {server.url}<timestamp>/<url>")
    click.echo("Press Ctrl-C to stop.")
    # pywb runs in its own session, so a SIGTERM to us must be passed on, as Ctrl-C is.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = server.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        server.stop()
    if code not in (0, -2, -15):
        raise click.ClickException(f"pywb stopped with exit code {code}; see {server.log_path}")
    click.echo(f"Stopped replay of collection {COLLECTION!r}.")
