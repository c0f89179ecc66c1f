"""Recording one fetch (a WARC pointer ``capture`` dict) as a ``captures`` row.

A record id names exactly one WARC record, so storing the same capture twice (a re-extraction
from the WARCs, or an article arriving with its capture) finds the existing row.
"""

from __future__ import annotations

import sqlite3

from crawler.dataset import records, schema


def store_capture(conn: sqlite3.Connection, capture: dict, crawl_id: int | None,
                  known: dict | None = None) -> int | None:
    """Insert ``capture`` unless its record is already there; returns the row id.

    ``known`` maps record ids to row ids already looked up or inserted, so the capture an
    article arrives with, stored moments before from the WARC signal, is not looked up again.
    Keys are only added, at the end (a caller rolling back an entry drops the newest ones).
    """
    if not capture or not capture.get("url"):
        return None
    record_id = records.text(capture.get("record_id"))
    if record_id:
        if known is not None and record_id in known:
            return known[record_id]
        row = conn.execute("SELECT id FROM captures WHERE warc_record_id = ?", (record_id,)).fetchone()
        if row:
            if known is not None:
                known[record_id] = row[0]
            return row[0]
    refers_to = capture.get("refers_to") or {}
    status = capture.get("status")
    # robots directives and provenance (migration 6): only a crawl or reextract knows them, so
    # migration 2, which stores captures before those columns exist, never names them
    extra = {c: capture[c] for c in schema.CAPTURE_POLICY_COLUMNS if capture.get(c) is not None}
    cur = conn.execute(
        "INSERT INTO captures (url, status, mime, fetched_at, payload_digest, warc_filename, "
        "warc_offset, warc_length, warc_record_id, revisit, refers_to_record_id, ip, error, "
        f"crawl_id, replay_url{''.join(', ' + c for c in extra)}) "
        f"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?{',?' * len(extra)})",
        (capture["url"], int(status) if status is not None else None,
         records.text(capture.get("mime")), records.text(capture.get("fetched_at")),
         records.text(capture.get("payload_digest")), records.text(capture.get("filename")),
         capture.get("offset"), capture.get("length"), record_id,
         1 if capture.get("revisit") else 0,
         records.text(refers_to.get("record_id")) if isinstance(refers_to, dict) else None,
         records.text(capture.get("ip")), records.text(capture.get("error")), crawl_id,
         records.replay_url(capture.get("fetched_at"), capture["url"]) if record_id else None,
         *extra.values()))
    if record_id and known is not None:
        known[record_id] = cur.lastrowid
    return cur.lastrowid
