"""The payload-digest index that turns an unchanged re-fetch into a revisit record.

It lives in ``ARCHIVE/archive.db`` (table ``warc_digests``) next to the dataset, so that a
re-crawl months later still knows what the WARCs hold; ``rebuild_digest_index`` recreates it
from the WARCs alone. Rows are buffered and committed in batches, and lookups consult the
buffer first, so a crawl sees its own captures before they are committed.
"""

from __future__ import annotations

import os
import sqlite3

TABLE = "warc_digests"
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    url TEXT NOT NULL,
    payload_digest TEXT NOT NULL,
    record_id TEXT NOT NULL PRIMARY KEY,
    warc_date TEXT NOT NULL,
    filename TEXT NOT NULL,
    offset INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_{TABLE}_url ON {TABLE} (url, warc_date);
"""


class DigestIndex:
    """Latest full capture (never a revisit) per URL: what a revisit may point at."""

    def __init__(self, db_path: str, batch_size: int = 200, busy_timeout_ms: int = 30000):
        self.db_path = str(db_path)
        self.batch_size = batch_size
        os.makedirs(os.path.dirname(os.path.abspath(self.db_path)), exist_ok=True)
        self.conn = sqlite3.connect(self.db_path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.executescript(SCHEMA)
        self._pending: dict[str, dict] = {}
        self._count = 0

    def latest(self, url: str) -> dict | None:
        row = self._pending.get(url)
        if row is not None:
            return row
        cur = self.conn.execute(
            f"SELECT url, payload_digest, record_id, warc_date, filename, offset FROM {TABLE} "
            "WHERE url = ? ORDER BY warc_date DESC LIMIT 1",
            (url,),
        )
        found = cur.fetchone()
        if found is None:
            return None
        keys = ("url", "payload_digest", "record_id", "warc_date", "filename", "offset")
        return dict(zip(keys, found))

    def add(self, url, payload_digest, record_id, warc_date, filename, offset) -> None:
        row = dict(url=url, payload_digest=payload_digest, record_id=record_id,
                   warc_date=warc_date, filename=filename, offset=int(offset))
        previous = self._pending.get(url)
        if previous is not None:
            self._write([previous])  # keep every capture, not only the last per URL
        self._pending[url] = row
        if len(self._pending) >= self.batch_size:
            self.flush()

    def _write(self, rows) -> None:
        if not rows:
            return
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(
                f"INSERT OR REPLACE INTO {TABLE} (url, payload_digest, record_id, warc_date, filename, offset) "
                "VALUES (:url, :payload_digest, :record_id, :warc_date, :filename, :offset)",
                rows,
            )

    def flush(self) -> None:
        rows = list(self._pending.values())
        self._write(rows)
        self._pending.clear()

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.conn.close()

    def count(self) -> int:
        return self.conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] + len(self._pending)


def rebuild_digest_index(archive_dir: str, db_path: str | None = None) -> int:
    """Recreate ``warc_digests`` from every response record under ``ARCHIVE/warcs``; returns rows."""
    from archive.reader import iter_records

    db_path = db_path or os.path.join(archive_dir, "archive.db")
    index = DigestIndex(db_path, batch_size=1000)
    try:
        with index.conn:
            index.conn.execute("BEGIN IMMEDIATE")
            index.conn.execute(f"DELETE FROM {TABLE}")
        rows = 0
        for entry in iter_records(os.path.join(archive_dir, "warcs")):
            rec = entry.record
            if rec.rec_type != "response":
                continue
            digest = rec.rec_headers.get_header("WARC-Payload-Digest")
            if not digest:
                continue
            index.add(rec.url, digest, rec.record_id, rec.date, entry.filename, entry.offset)
            rows += 1
        index.flush()
        return rows
    finally:
        index.close()
