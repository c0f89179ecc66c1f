"""Schema versions of archive.db, and upgrading an older file in place.

Each migration runs in its own IMMEDIATE transaction and is recorded in ``schema_version``,
so a failure leaves the previous, valid version; two processes opening a fresh or old file at
once take turns, and the second finds nothing left to do. A file is never recreated: a schema
newer than this code, or tables that are not ours, stop with a clear error instead.
Migrations are history: once released, a migration's statements must not change; new columns
or tables go into a new migration.
"""

from __future__ import annotations

import json
import sqlite3

from archive.capture import Capture
from crawler.dataset import records, schema
from crawler.dataset.captures import store_capture
from crawler.dataset.errors import DatasetError
from crawler.dataset.versions import store_article

VERSION_TABLE = "schema_version"
# Tables other parts of newsarchive keep in archive.db: they may exist before the dataset does.
CO_TENANT_TABLES = {"warc_digests"}  # archive/dedup.py


def _m1_foundation(conn):
    for sql in schema.create_table_statements(schema.V1_TABLES):
        conn.execute(sql)


def _m2_versions(conn):
    """captures, one row per article with versions, authors, images, tags; v1 rows carried over."""
    conn.execute("ALTER TABLE articles RENAME TO articles_v1")
    for sql in schema.create_table_statements(schema.V2_TABLES):
        conn.execute(sql)
    for sql in schema.create_index_statements(schema.V2_INDEXES):
        conn.execute(sql)
    cols = [c[1] for c in conn.execute("PRAGMA table_info(articles_v1)")]
    for values in conn.execute("SELECT rowid, * FROM articles_v1 ORDER BY rowid").fetchall():
        row = dict(zip(["rowid", *cols], values))
        article = records.normalise({**row, "authors": _json_list(row.get("authors")),
                                     "captions": _json_list(row.get("captions"))})
        # a v1 row kept no status, type nor record length
        capture = Capture(url=row["url"], status=None, mime=None, fetched_at=row.get("fetched_at"),
                          filename=row.get("warc_filename"), offset=row.get("warc_offset"), length=None,
                          record_id=row.get("warc_record_id"), payload_digest=row.get("payload_digest"))
        capture_id = store_capture(conn, capture, None) if capture.record_id else None
        seen = row.get("fetched_at") or records.utc_now()
        store_article(conn, article, capture, capture_id, seen, article_id=row["rowid"], verdict=False)
    conn.execute("DROP TABLE articles_v1")


def _m3_search(conn):
    for sql in schema.fts_statements():
        conn.execute(sql)


def _m4_verdict(conn):
    """verdict and verdict_reasons on articles and versions; NULL for rows extracted before
    (unknown, not ``ok``: ``reextract`` judges them)."""
    for table in ("articles", "article_versions"):
        for column in schema.VERDICT_COLUMNS:
            conn.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] TEXT")
    for sql in schema.create_index_statements(schema.V4_INDEXES):
        conn.execute(sql)


def _m5_counts(conn):
    """row counts kept by triggers, so status reads its totals instead of counting every row."""
    for sql in schema.counts_statements():
        conn.execute(sql)


def _m6_policy(conn):
    """robots directives, the noarchive flag and discovery provenance on captures and articles;
    NULL for rows stored before (unknown)."""
    for sql in (schema.add_column_statements("captures", schema.CAPTURE_POLICY_COLUMNS)
                + schema.add_column_statements("articles", schema.ARTICLE_POLICY_COLUMNS)
                + schema.create_index_statements(schema.V6_INDEXES)):
        conn.execute(sql)


MIGRATIONS = [
    (1, "foundation: crawls and flat articles", _m1_foundation),
    (2, "captures, articles with versions, authors, images, tags", _m2_versions),
    (3, "full-text search over the current version", _m3_search),
    (4, "extraction verdict and its reasons", _m4_verdict),
    (5, "row counts kept by triggers", _m5_counts),
    (6, "robots directives, noarchive and discovery provenance", _m6_policy),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _json_list(value):
    if value in (None, ""):
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def _tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def schema_version(conn: sqlite3.Connection) -> int:
    """The file's version: 0 for an empty file; raises for a file that is not a dataset."""
    tables = _tables(conn)
    if VERSION_TABLE in tables:
        return conn.execute(f"SELECT coalesce(max(version), 0) FROM {VERSION_TABLE}").fetchone()[0]
    user_tables = {t for t in tables if not t.startswith("sqlite_")} - CO_TENANT_TABLES
    if not user_tables:
        return 0
    if {"crawls", "articles"} <= user_tables:
        cols = {c[1] for c in conn.execute("PRAGMA table_info(articles)")}
        if set(schema.ARTICLES_V1["columns"]) <= cols:
            return 1  # written by the foundation before versions were recorded
    raise DatasetError("this SQLite file is not a newsarchive dataset (unknown tables: "
                     + ", ".join(sorted(user_tables)) + ")")


def check_known(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise DatasetError(f"archive.db has schema version {version}, newer than this newsarchive "
                         f"understands ({SCHEMA_VERSION}): upgrade newsarchive")


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Bring the file up to ``target``; returns the versions applied (empty when current)."""
    applied = []
    for number, name, step in MIGRATIONS:
        if number > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = schema_version(conn)
            check_known(version)
            if version >= number:
                conn.execute("COMMIT")
                continue
            if VERSION_TABLE not in _tables(conn):
                conn.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER PRIMARY KEY, "
                             "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
                if version:  # adopt the untracked foundation file as version 1
                    conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (1, ?, ?)",
                                 (MIGRATIONS[0][1] + " (adopted)", records.utc_now()))
            step(conn)
            conn.execute(f"INSERT INTO {VERSION_TABLE} VALUES (?, ?, ?)",
                         (number, name, records.utc_now()))
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise DatasetError(f"migration {number} would break foreign keys: {problems[:3]}")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, (DatasetError, KeyboardInterrupt)):
                raise
            if isinstance(exc, sqlite3.Error):
                raise DatasetError(f"upgrading archive.db to schema version {number} failed, "
                                 f"nothing was changed by it: {exc}") from None
            raise
        applied.append(number)
    return applied


def ensure_current(db_path) -> int:
    """Make sure a file about to be read has the current schema, upgrading it if older.

    Readers need the current tables (search needs migration 3); upgrading in place is what a
    crawl would do on open anyway. A missing file is an error, never created here.
    """
    from crawler.dataset.connection import connect_ro, connect_rw

    conn = connect_ro(db_path)
    try:
        version = schema_version(conn)
    except sqlite3.DatabaseError as exc:
        raise DatasetError(f"{db_path} is not a readable SQLite database: {exc}") from None
    finally:
        conn.close()
    check_known(version)
    if version < SCHEMA_VERSION:
        conn = connect_rw(db_path)
        try:
            migrate(conn)
        finally:
            conn.close()
    return SCHEMA_VERSION
