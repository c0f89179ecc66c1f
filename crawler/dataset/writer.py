"""``DatasetWriter``: the only way rows get into archive.db.

Writes are buffered and committed in batches (``batch_size``, or when ``flush_seconds`` have
passed since the last commit, or on ``flush()``): one fsync per batch instead of one per row,
and transactions short enough that Datasette, ``search`` and a second
crawl writing the same file are never kept waiting long. Each batch stores its captures before
its articles, so an article links to a capture written in the same batch.
"""

from __future__ import annotations

import json
import sqlite3
import time

from archive.capture import Capture
from archive.testpoints import testpoint
from crawler.dataset import records, schema
from crawler.dataset.captures import store_capture
from crawler.dataset.connection import BUSY_TIMEOUT_SECONDS, connect_rw
from crawler.dataset.errors import DatasetError
from crawler.dataset.migrations import migrate
from crawler.dataset.versions import store_article

# What bad data in one entry raises; anything else (locks, a full disk) fails the whole batch.
ENTRY_ERRORS = (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.DataError,
                sqlite3.ProgrammingError, OverflowError, TypeError, ValueError)
# Names are few next to articles; past this many the remembered ids are simply dropped.
NAME_IDS_MAX = 200_000


class DatasetWriter:
    def __init__(self, db_path, batch_size: int = 500, flush_seconds: float = 2.0,
                 busy_timeout: float = BUSY_TIMEOUT_SECONDS):
        self.db_path = db_path
        self.batch_size = max(1, int(batch_size))
        self.flush_seconds = float(flush_seconds)
        self.conn = connect_rw(db_path, busy_timeout)
        try:
            migrate(self.conn)
        except BaseException:
            self.conn.close()
            raise
        self._pending: list[tuple] = []   # ("capture", capture, crawl_id, columns) | ("article", ...)
        self._last_flush = time.monotonic()
        self.counts = {"captures": 0, "articles_new": 0, "versions": 0, "unchanged": 0,
                       "failed": 0}
        self.errors: list[str] = []
        self.closed = False
        # (table, name) -> id of the authors and tags rows this connection has met: ids never
        # change, so a known name costs no statement; an unknown one is looked up (another
        # crawl process may have added it) and remembered once its transaction commits.
        self._name_ids: dict = {}

    # --- crawls: written at once, they bracket a run -----------------------------------

    def begin_crawl(self, started: str | None = None, status: str = "running", job=None,
                    args=None, **extra) -> int:
        """Record a run; extra keyword arguments are kept in ``args`` (JSON)."""
        all_args = {**(args or {}), **extra}
        with self._transaction():
            cur = self.conn.execute(
                "INSERT INTO crawls (started, status, job, args) VALUES (?, ?, ?, ?)",
                (started or records.utc_now(), status, job,
                 json.dumps(all_args, default=str) if all_args else None))
        return cur.lastrowid

    def end_crawl(self, crawl_id: int, status: str = "finished", stats: dict | None = None,
                  finished: str | None = None) -> None:
        self.flush()
        with self._transaction():
            self.conn.execute("UPDATE crawls SET finished = ?, status = ?, stats = ? WHERE id = ?",
                              (finished or records.utc_now(), status,
                               json.dumps(stats or {}, default=str, sort_keys=True), crawl_id))

    # --- buffered rows --------------------------------------------------------------

    def add_capture(self, capture: Capture, crawl_id: int | None = None, columns: dict | None = None) -> None:
        """``columns``: what the crawl knows of the capture beyond the WARC (how it was found, robots
        directives: ``schema.CAPTURE_POLICY_COLUMNS``)."""
        self._buffer(("capture", capture, crawl_id, columns))

    def add_article(self, article: dict, capture: Capture | None = None,
                    crawl_id: int | None = None, provenance: dict | None = None) -> None:
        """``capture``: the fetch that gave it (None: unknown, seen now). ``provenance``: columns of ``schema.ARTICLE_POLICY_COLUMNS``
        (how it was found, noarchive) to set, None included; those not named keep their value;
        and ``published`` when discovery dated a page without a date (the flat row only). Not part
        of the article's content: they make no version."""
        self._buffer(("article", dict(article or {}), capture, crawl_id, provenance))

    def _buffer(self, entry) -> None:
        if self.closed:
            raise DatasetError("the dataset writer is already closed")
        self._pending.append(entry)
        if (len(self._pending) >= self.batch_size
                or time.monotonic() - self._last_flush >= self.flush_seconds):
            self.flush()

    def flush(self) -> None:
        """Commit everything buffered in one transaction.

        An entry SQLite rejects (bad data) is rolled back alone, counted in ``failed`` and
        described in ``errors``; the rest of the batch is kept. If the transaction itself
        cannot commit (lock timeout, disk full), the whole batch stays buffered for the next
        flush and a DatasetError says why.
        """
        self._last_flush = time.monotonic()
        if not self._pending:
            return
        batch = self._pending
        ordered = [e for e in batch if e[0] == "capture"] + [e for e in batch if e[0] == "article"]
        counts = dict.fromkeys(self.counts, 0)
        errors = []
        capture_ids: dict = {}  # record id -> captures.id, for this batch's articles
        names_before = len(self._name_ids)
        try:
            with self._transaction():
                for entry in ordered:
                    store = self._capture_entry if entry[0] == "capture" else self._article_entry
                    outcome = store(entry, capture_ids, errors)
                    if outcome:
                        counts[outcome] += 1
                testpoint("store_flush")  # rows written, not committed
        except BaseException:
            _forget_newest(self._name_ids, names_before)  # rolled back with the transaction
            raise
        if len(self._name_ids) > NAME_IDS_MAX:
            self._name_ids.clear()
        self._pending = self._pending[len(batch):]
        for key, value in counts.items():
            self.counts[key] += value
        self.errors.extend(errors)
        del self.errors[:-100]  # the latest ones are enough to diagnose

    def _capture_entry(self, entry, capture_ids: dict, errors: list) -> str | None:
        """One INSERT at most: a statement SQLite rejects leaves nothing behind, so a capture
        fails alone without the cost of a savepoint."""
        _, capture, crawl_id, columns = entry
        try:
            stored = store_capture(self.conn, capture, crawl_id, capture_ids, columns)
        except ENTRY_ERRORS as exc:
            errors.append(f"capture {capture.url!r}: {exc}")
            return "failed"
        return "captures" if stored is not None else None

    def _article_entry(self, entry, capture_ids: dict, errors: list) -> str:
        """An article, its version, links and maybe its capture: all of it or nothing."""
        _, article, capture, crawl_id, provenance = entry
        names_before, captures_before = len(self._name_ids), len(capture_ids)
        self.conn.execute("SAVEPOINT entry")
        try:
            outcome = self._store_article(article, capture, crawl_id, capture_ids, provenance)
        except ENTRY_ERRORS as exc:
            self.conn.execute("ROLLBACK TO entry")
            _forget_newest(self._name_ids, names_before)
            _forget_newest(capture_ids, captures_before)
            outcome = "failed"
            errors.append(f"article {article.get('url')!r}: {exc}")
        self.conn.execute("RELEASE entry")
        return outcome

    def _store_article(self, article: dict, capture: Capture | None, crawl_id, capture_ids: dict,
                       provenance: dict | None = None) -> str:
        article = records.normalise(article)
        article["url"] = article["url"] or (capture.url if capture is not None else None)
        if not article["url"]:
            raise ValueError("article without a URL")
        capture_id = store_capture(self.conn, capture, crawl_id, capture_ids) if capture is not None else None
        seen = (capture.fetched_at if capture is not None else None) or records.utc_now()
        outcome = store_article(self.conn, article, capture, capture_id, seen,
                                name_ids=self._name_ids)
        columns = {c: provenance[c] for c in (*schema.ARTICLE_POLICY_COLUMNS, "published")
                   if c in (provenance or ()) and (c != "published" or provenance[c])}
        if columns:
            self.conn.execute(f"UPDATE articles SET {', '.join(c + ' = ?' for c in columns)} WHERE url = ?",
                              (*columns.values(), article["url"]))
        return {"new": "articles_new", "version": "versions"}.get(outcome, outcome)

    def _transaction(self):
        return _Transaction(self.conn)

    def close(self) -> None:
        if self.closed:
            return
        try:
            self.flush()
        finally:
            self.closed = True
            try:
                self.conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self.conn.close()

    def abandon(self) -> None:
        """Close without committing what is buffered (it could not be written)."""
        self._pending = []
        self.closed = True
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _forget_newest(ids: dict, keep: int) -> None:
    """Drop the keys added after the first ``keep``: those of rolled-back rows."""
    while len(ids) > keep:
        ids.popitem()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK and a one-line DatasetError."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise DatasetError(f"cannot write archive.db: {exc}") from None

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return False
            except sqlite3.Error as commit_exc:
                exc = commit_exc
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise DatasetError(f"writing archive.db failed, the batch was kept: {exc}") from None
        return False
