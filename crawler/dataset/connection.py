"""How we open archive.db, for writing and for reading.

Writers share the file with other writers and with readers (search, Datasette) while a crawl
runs, so every connection uses WAL and waits (busy timeout) instead of failing on a lock.
Readers open the file read-only at the OS level, so no statement they run can change it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from urllib.parse import quote

from crawler.dataset.errors import DatasetError

DB_NAME = "archive.db"
BUSY_TIMEOUT_SECONDS = 30.0


def db_path_for(archive_dir) -> Path:
    return Path(archive_dir) / DB_NAME


def connect_rw(db_path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    """A writer connection in autocommit mode: transactions are explicit (BEGIN IMMEDIATE).

    Python's implicit deferred transactions would upgrade a read lock to a write lock mid-way,
    which fails at once (SQLITE_BUSY_SNAPSHOT, no retry) when another process wrote meanwhile.
    """
    path = Path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=busy_timeout, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise DatasetError(f"cannot open {path} for writing: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        _set_wal(conn, busy_timeout)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatasetError(f"{path} is not a usable SQLite database: {exc}") from None
    return conn


def _set_wal(conn: sqlite3.Connection, busy_timeout: float) -> None:
    # Switching the journal mode needs a moment of exclusive access; another process opening
    # the same fresh file can hold it without the busy handler being consulted.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise DatasetError("could not switch the database to WAL mode: it stays locked")
        time.sleep(0.05)


def connect_ro(db_path) -> sqlite3.Connection:
    """A reader connection that cannot write: file opened with ``mode=ro`` plus ``query_only``."""
    path = Path(db_path)
    if not path.is_file():
        raise DatasetError(f"no dataset at {path} (crawl something first, or pass --archive DIR)")
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatasetError(f"{path} is not a readable SQLite database: {exc}") from None
    return conn
