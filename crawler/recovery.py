"""Bringing an archive level again after a run died (SIGKILL, power loss, a full disk).

The WARC files are written record by record, the dataset and the digest index in batches, so a
run that dies leaves captures in its WARCs that the dataset never heard of: the next crawl would
then store them in full a second time instead of as revisits, and their articles would be missing.
Every writing command therefore opens the archive through ``writing()``: it takes the writer lock
(``crawler.writelock``) and, holding it, knows that any ``crawls`` row still ``running`` and any
``.open`` WARC file of its own belong to a dead process.  It then, before anything else,

1. cuts each such ``.open`` file after its last complete record and closes it (as
   ``verify --repair`` does),
2. re-reads the records those runs wrote (files named since the run started) that the dataset
   does not already hold, through the re-extraction path (``crawler.reextract.read_into``), into
   the captures, articles, versions and the digest index,
3. marks the runs ``crashed`` with what was recovered, and says so in one line.

A scaled-out worker is its own writer: its shard ``shards/WORKER.db`` and the WARC files named
with its worker id.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from archive.reader import OPEN_SUFFIX, closed_name, warc_files
from crawler.writelock import WriterLock

HTML_TYPES = ("text/html", "application/xhtml+xml")
CLOCK_SLACK = timedelta(seconds=2)  # a file's name stamp vs. its run's `started`, same clock


@dataclass
class Recovery:
    runs: list[int] = field(default_factory=list)
    closed_files: int = 0
    cut_bytes: int = 0
    files_read: int = 0
    records: int = 0
    captures: int = 0
    articles: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        runs = ", ".join(f"#{r}" for r in self.runs) or "none recorded"
        cut = f", cut {self.cut_bytes} bytes of an unfinished record" if self.cut_bytes else ""
        errors = f"; {len(self.errors)} error(s), first: {self.errors[0]}" if self.errors else ""
        return (f"recovered a crashed run ({runs}): closed {self.closed_files} open WARC file(s){cut}; "
                f"re-read {self.files_read} WARC file(s): {self.captures} captures, {self.articles} "
                f"articles and {self.digests} digests the dataset had not committed{errors}")

    def stats(self) -> dict:
        return {"recovered": {"closed_files": self.closed_files, "cut_bytes": self.cut_bytes,
                              "files_read": self.files_read, "captures": self.captures,
                              "articles": self.articles, "digests": self.digests,
                              "errors": self.errors[:20]}}


def name_parts(name: str) -> tuple[datetime, str | None] | None:
    """(time stamp, worker id or None) of ``PREFIX-TIMESTAMP-SERIAL-HOST[-WORKER].warc.gz``."""
    parts = closed_name(name).split(".warc")[0].split("-")
    if len(parts) not in (4, 5):
        return None
    try:
        stamp = datetime.strptime(parts[1][:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return stamp, parts[4] if len(parts) == 5 else None


def _started(text: str) -> datetime:
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def dead_runs(db_path: Path) -> list[tuple[int, datetime]]:
    """(id, started) of the runs still marked running; the caller holds the lock, so they died."""
    if not db_path.exists():
        return []
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = conn.execute("SELECT id, started FROM crawls WHERE status = 'running' ORDER BY id").fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    return [(crawl_id, _started(started)) for crawl_id, started in rows]


def _held(conn: sqlite3.Connection, names: list[str]) -> set[str]:
    """Record ids of these files the dataset already holds completely: captures that are not an
    HTML page, or whose article version is stored (an HTML capture without one is read again, as
    its article may have been in the batch the kill lost)."""
    marks = ",".join("?" * len(names))
    rows = conn.execute(
        f"SELECT c.warc_record_id FROM captures c WHERE c.warc_filename IN ({marks}) "
        "AND c.warc_record_id IS NOT NULL AND (c.revisit = 1 OR coalesce(c.status, 0) != 200 "
        f"OR coalesce(c.mime, 'text/html') NOT IN ({','.join('?' * len(HTML_TYPES))}) "
        "OR c.id IN (SELECT capture_id FROM article_versions WHERE capture_id IS NOT NULL))",
        (*names, *HTML_TYPES))
    return {row[0] for row in rows}


def _digested(conn: sqlite3.Connection, names: list[str]) -> int:
    try:
        return conn.execute(f"SELECT count(*) FROM warc_digests WHERE filename IN ({','.join('?' * len(names))})",
                            names).fetchone()[0]
    except sqlite3.Error:
        return 0


def recover(archive: Path | str, db_path: Path | str | None = None, worker: str | None = None) -> Recovery | None:
    """Recover what dead runs of this writer left; None when there is nothing to recover.

    Only call it holding the writer lock of ``db_path``."""
    from archive.dedup import DigestIndex
    from archive.verify import verify_file
    from archive.writer import _safe_segment
    from crawler.reextract import ReextractResult, file_entries, read_into
    from crawler.dataset.writer import DatasetWriter

    archive = Path(archive)
    db_path = Path(db_path or archive / "archive.db")
    warcs = archive / "warcs"
    unit = _safe_segment(worker) if worker else None
    mine = {n: p for n in warc_files(str(warcs)) if (p := name_parts(n)) is not None and p[1] == unit}
    runs = dead_runs(db_path)
    open_files = [n for n in mine if n.endswith(OPEN_SUFFIX)]
    if not runs and not open_files:
        return None
    report = Recovery(runs=[r for r, _ in runs])
    for name in open_files:
        result = verify_file(str(warcs / name), repair=True)
        report.closed_files += 1
        report.cut_bytes += result.cut_bytes or 0
        report.errors.extend(result.problems)
    since = min((s for _, s in runs), default=None)
    names = sorted({closed_name(n) for n, (stamp, _) in mine.items()
                    if n in open_files or (since is not None and stamp >= since - CLOCK_SLACK)})
    names = [n for n in names if (warcs / n).exists()]
    report.files_read = len(names)
    with DatasetWriter(db_path) as writer:
        if names:
            before = _digested(writer.conn, names)
            skip = _held(writer.conn, names)
            digests = DigestIndex(str(db_path), batch_size=1000)
            try:
                result = ReextractResult(files=len(names))
                for crawl_id, files in _by_run(runs, names).items():
                    read_into(writer, file_entries(warcs, result, files), crawl_id, result,
                              skip=skip, digests=digests)
                writer.flush()
                digests.flush()
                report.digests = _digested(writer.conn, names) - before
            finally:
                digests.close()
            report.records, report.captures, report.articles = result.records, result.captures, result.articles
            report.errors.extend(result.errors)
        for crawl_id, _ in runs:
            writer.end_crawl(crawl_id, status="crashed", stats=report.stats())
    return report


def _by_run(runs: list[tuple[int, datetime]], names: list[str]) -> dict[int | None, list[str]]:
    """Each file goes to the latest dead run started before it was named (None: no run recorded)."""
    out: dict[int | None, list[str]] = {}
    for name in names:
        stamp = name_parts(name)[0]
        owner = None
        for crawl_id, started in runs:
            if started - CLOCK_SLACK <= stamp:
                owner = crawl_id
        if owner is None and runs:
            owner = runs[0][0]
        out.setdefault(owner, []).append(name)
    return out


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def writing(archive: Path | str, db_path: Path | str | None = None, worker: str | None = None,
            command: str | None = None, echo: Callable[[str], None] = _stderr):
    """Hold the archive's writer lock, after recovering what a dead writer left behind."""
    archive = Path(archive)
    db_path = Path(db_path or archive / "archive.db")
    from crawler.errors import CrawlError
    from crawler.dataset.errors import DatasetError

    with WriterLock(db_path, command) as lock:
        if not lock.nested:
            try:
                report = recover(archive, db_path, worker)
            except (DatasetError, OSError, sqlite3.Error) as exc:
                raise CrawlError(f"cannot recover the crashed run in {archive}: {exc}") from None
            if report is not None:
                echo(report.line())
        yield lock
