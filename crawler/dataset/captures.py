"""A capture (``archive.capture.Capture``) as a ``captures`` row, and back: the SQLite edge.

A record id names exactly one WARC record, so storing the same capture twice (a re-extraction
from the WARCs, or an article arriving with its capture) finds the existing row.
"""

from __future__ import annotations

import sqlite3

from archive.capture import Capture
from crawler.dataset import records, schema


def store_capture(conn: sqlite3.Connection, capture: Capture, crawl_id: int | None,
                  known: dict | None = None, columns: dict | None = None) -> int | None:
    """Insert ``capture`` unless its record is already there; returns the row id.

    ``known`` maps record ids to row ids already looked up or inserted, so the capture an
    article arrives with, stored moments before from the WARC signal, is not looked up again.
    Keys are only added, at the end (a caller rolling back an entry drops the newest ones).
    ``columns``: the crawl's own knowledge of it (``schema.CAPTURE_POLICY_COLUMNS``: how it was
    found, robots directives), written with a new row.
    """
    if capture is None or not capture.url:
        return None
    record_id = records.text(capture.record_id)
    if record_id:
        if known is not None and record_id in known:
            return known[record_id]
        row = conn.execute("SELECT id FROM captures WHERE warc_record_id = ?", (record_id,)).fetchone()
        if row:
            if known is not None:
                known[record_id] = row[0]
            return row[0]
    refers_to = capture.refers_to or {}
    status = capture.status
    # robots directives and provenance (migration 6): only a crawl or reextract knows them, so
    # migration 2, which stores captures before those columns exist, never names them
    extra = {c: columns[c] for c in schema.CAPTURE_POLICY_COLUMNS if (columns or {}).get(c) is not None}
    cur = conn.execute(
        "INSERT INTO captures (url, status, mime, fetched_at, payload_digest, warc_filename, "
        "warc_offset, warc_length, warc_record_id, revisit, refers_to_record_id, ip, error, "
        f"crawl_id, replay_url{''.join(', ' + c for c in extra)}) "
        f"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?{',?' * len(extra)})",
        (capture.url, int(status) if status is not None else None,
         records.text(capture.mime), records.text(capture.fetched_at),
         records.text(capture.payload_digest), records.text(capture.filename),
         capture.offset, capture.length, record_id,
         1 if capture.revisit else 0,
         records.text(refers_to.get("record_id")) if isinstance(refers_to, dict) else None,
         records.text(capture.ip), records.text(capture.error), crawl_id,
         records.replay_url(capture.fetched_at, capture.url) if record_id else None,
         *extra.values()))
    if record_id and known is not None:
        known[record_id] = cur.lastrowid
    return cur.lastrowid


def capture_of_row(row: sqlite3.Row) -> Capture:
    """The capture a ``captures`` row holds (a shard's, for the merge). The row keeps only the
    id of a revisit's original, and neither ``truncated`` nor the request record's id."""
    return Capture(
        url=row["url"], status=row["status"], mime=row["mime"], fetched_at=row["fetched_at"],
        filename=row["warc_filename"], offset=row["warc_offset"], length=row["warc_length"],
        record_id=row["warc_record_id"], payload_digest=row["payload_digest"], revisit=bool(row["revisit"]),
        refers_to={"record_id": row["refers_to_record_id"]} if row["refers_to_record_id"] else None,
        ip=row["ip"], error=row["error"])
