"""``newsarchive index``, ``show`` and ``verify``: the archive read straight from its WARC files."""

from __future__ import annotations

import os
import re
import sys

import click

from crawler.commands.crawl import ARCHIVE_OPTION


def _require_warcs(archive: str) -> str:
    """The archive's WARC directory; stops at the first WARC it sees, so a lookup does not list
    every WARC of a large archive to learn that it has one."""
    warcs = os.path.join(archive, "warcs")
    from archive.reader import is_warc_name

    try:
        with os.scandir(warcs) as entries:
            if any(is_warc_name(entry.name) for entry in entries):
                return warcs
    except (FileNotFoundError, NotADirectoryError):
        pass
    raise click.ClickException(f"no WARC files under {warcs}: is {archive!r} an archive directory?")


def run_index(archive: str, rebuild: bool = False, compact: bool = False) -> str:
    """Bring the CDXJ index up to date (only WARCs without an index are read), or rebuild it from
    every WARC, or merge it into one file; returns the line to print."""
    from archive.index import (UpdateResult, compact_index, index_dir, index_is_current, index_paths,
                               rebuild_index, update_index)

    where = index_dir(archive)
    try:
        current = not (rebuild or compact) and index_is_current(archive)
        if not current:
            _require_warcs(archive)
        if rebuild:
            return f"Indexed {rebuild_index(archive)} captures into {where} (rebuilt from every WARC)"
        if compact:
            return f"Indexed {compact_index(archive)} captures into {where} (one file)"
        # current: nothing changed since the last update (its stamp), so nothing is listed
        result = (UpdateResult(files=len(index_paths(archive))) if current
                  else update_index(archive, merge_at=_merge_at()))
    except OSError as exc:
        raise click.ClickException(f"cannot write the index: {exc}") from None
    return (f"Indexed {result.entries} captures of {len(result.indexed)} WARC file(s) not indexed yet "
            f"into {where} ({result.files} index files, {result.merges} merge(s))")


def _merge_at() -> int:
    from crawler import settings

    return settings.NEWSARCHIVE_INDEX_MERGE_AT


@click.command()
@ARCHIVE_OPTION
@click.option("--rebuild", is_flag=True, help="Index every WARC again from scratch, into one sorted file.")
@click.option("--compact", is_flag=True, help="Merge all index files into one sorted file.")
def index(archive, rebuild, compact):
    """Index the WARC files that have no index yet (ARCHIVE/indexes/cdxj/)."""
    click.echo(run_index(archive, rebuild=rebuild, compact=compact))


def _normalise_at(at: str | None) -> str | None:
    if at is None:
        return None
    digits = re.sub(r"[^0-9]", "", at)
    if not 4 <= len(digits) <= 14 or (len(digits) != len(at) and not re.fullmatch(r"[0-9T:Z. -]+", at)):
        raise click.BadParameter("use a timestamp such as 20261124 or 20261124021900", param_hint="--at")
    return digits


def get_capture(archive: str, url: str, at: str | None = None):
    """(index entry, record of the capture, record holding the payload) for a URL, via the index.

    A revisit holds only headers; its payload is read from the original capture it refers to.
    """
    from archive.index import find_original, index_is_current, lookup, update_index
    from archive.reader import RecordNotFound, read_record

    warcs = os.path.join(archive, "warcs")
    try:
        if not index_is_current(archive):  # a current stamp proves WARCs were there, unchanged since
            warcs = _require_warcs(archive)
            update_index(archive, merge_at=_merge_at())
    except OSError as exc:
        raise click.ClickException(f"cannot update the index: {exc}") from None
    entry = lookup(archive, url, at)
    if entry is None:
        raise click.ClickException(f"no capture of {url} in {archive}")
    try:
        record = read_record(warcs, entry["filename"], entry["offset"])
        payload = record
        if record.rec_type == "revisit":
            refers = record.rec_headers.get_header("WARC-Refers-To-Target-URI") or record.url
            original = find_original(archive, refers, record.rec_headers.get_header("WARC-Payload-Digest"))
            if original is None:
                raise click.ClickException(f"{url} is a revisit whose original capture is not in the archive")
            payload = read_record(warcs, original["filename"], original["offset"])
    except RecordNotFound as exc:
        raise click.ClickException(f"{exc}; run `newsarchive verify`") from None
    return entry, record, payload


@click.command()
@click.argument("url")
@ARCHIVE_OPTION
@click.option("--at", "at", metavar="TIMESTAMP", help="Capture closest to this time (YYYYMMDDhhmmss, any prefix).")
@click.option("--headers", "mode", flag_value="headers", help="Only the HTTP status line and headers.")
@click.option("--body", "mode", flag_value="body", help="Only the body, content encoding decoded.")
@click.option("--raw", "mode", flag_value="raw", help="The HTTP block exactly as stored in the WARC.")
def show(url, archive, at, mode):
    """Print one capture of URL straight from the WARC files."""
    at = _normalise_at(at)
    _entry, record, payload = get_capture(archive, url, at)
    out = sys.stdout.buffer
    head = record.head or record.block
    if mode == "raw":
        out.write(record.block)
    elif mode == "headers":
        out.write(head)
    else:
        try:
            body, decoded = payload.body(), True
        except Exception as exc:  # noqa: BLE001 - an undecodable body is shown as stored
            click.echo(f"warning: cannot decode the body ({exc}); shown as stored", err=True)
            body, decoded = payload.entity(), False
        if mode != "body":
            out.write(_describing(head, len(body)) if decoded and record.head else head)
        out.write(body)
    out.flush()


_CODING_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


def _describing(head: bytes, body_length: int) -> bytes:
    """The stored head made true of the decoded body printed after it: the codings that were
    removed and the stored length are kept as ``X-Archive-Orig-*`` (as pywb does), and a new
    Content-Length follows. Saved to a file, the output is one consistent HTTP message."""
    lines = head.decode("latin-1").rstrip("\r\n").splitlines()
    names = [line.split(":", 1)[0].strip().lower() for line in lines[1:]]
    if not any(name in ("content-encoding", "transfer-encoding") for name in names):
        return head
    out = lines[:1]
    for name, line in zip(names, lines[1:]):
        out.append("X-Archive-Orig-" + line.lstrip() if name in _CODING_HEADERS else line)
    out.append(f"Content-Length: {body_length}")
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")


@click.command()
@ARCHIVE_OPTION
@click.option("--repair", is_flag=True, help="Cut truncated tails after a crash and close .open files.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="Dataset whose WARC pointers to check (default: ARCHIVE/archive.db).")
def verify(archive, repair, db_path):
    """Check every WARC file, record, index entry and dataset pointer; exit 1 on any problem."""
    from archive.verify import verify_archive
    from crawler.dataset.invariants import dataset_problems

    if not os.path.isdir(archive):
        raise click.ClickException(f"no archive directory at {archive}")
    try:
        if repair:
            from crawler.commands.crawl import writing_or_exit

            with writing_or_exit(archive):  # repairing writes: a dead run is recovered whole first
                report = verify_archive(archive, repair=True, db_path=db_path)
        else:
            report = verify_archive(archive, db_path=db_path)
    except OSError as exc:
        raise click.ClickException(f"cannot verify {archive}: {exc}") from None
    db = db_path or os.path.join(archive, "archive.db")
    if os.path.exists(db):
        report.problems.extend(dataset_problems(db))
    click.echo(report.format())
    if not report.ok:
        raise click.ClickException(f"{len(report.problems)} problem(s) found in {archive}")
