"""Arbitrary SQL from researchers, on a connection that cannot change the file.

Three locks, each enough alone for most statements: the file is opened ``mode=ro``,
``PRAGMA query_only`` is on, and an authorizer refuses anything that writes, attaches another
file, or sets a pragma, so the refusal comes back as a clear message before anything runs.
"""

from __future__ import annotations

import sqlite3

from crawler.dataset.connection import connect_ro
from crawler.dataset.errors import DatasetError

_DENIED = {
    sqlite3.SQLITE_INSERT: "INSERT", sqlite3.SQLITE_UPDATE: "UPDATE",
    sqlite3.SQLITE_DELETE: "DELETE", sqlite3.SQLITE_ATTACH: "ATTACH",
    sqlite3.SQLITE_DETACH: "DETACH", sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE",
    sqlite3.SQLITE_REINDEX: "REINDEX", sqlite3.SQLITE_ANALYZE: "ANALYZE",
    sqlite3.SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE", sqlite3.SQLITE_DROP_VTABLE: "DROP",
}
for _name in dir(sqlite3):
    if _name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_")):
        _DENIED.setdefault(getattr(sqlite3, _name), _name[7:].replace("_", " "))

# Pragmas that take an argument but only read.
_READ_PRAGMAS = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    "function_list", "pragma_list", "module_list", "collation_list", "database_list",
    "compile_options",
}


class ReadOnlyViolation(DatasetError):
    pass


def readonly_authorizer(refusals: list):
    """An sqlite3 authorizer that records why it refused, for the error message."""

    def authorize(action, arg1, arg2, db_name, trigger):
        if trigger is not None:
            return sqlite3.SQLITE_OK  # statements inside triggers never run: their parent is refused
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # FTS5 connecting to its table authorizes this while parsing the schema; a real
            # UPDATE of sqlite_master needs PRAGMA writable_schema, which is refused below.
            return sqlite3.SQLITE_OK
        what = _DENIED.get(action)
        if what is None and action == sqlite3.SQLITE_PRAGMA:
            if arg2 is not None and (arg1 or "").lower() not in _READ_PRAGMAS:
                what = f"PRAGMA {arg1} = {arg2}"
        if what is None and action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in (
                "load_extension", "readfile", "writefile", "edit"):
            what = f"function {arg2}()"
        if what is None:
            return sqlite3.SQLITE_OK
        refusals.append(what)
        return sqlite3.SQLITE_DENY

    return authorize


def _most_telling(refusals: list[str]) -> str:
    """CREATE and DROP first show up as writes to sqlite_master; name the statement instead."""
    for what in refusals:
        if what not in ("INSERT", "UPDATE", "DELETE"):
            return what
    return refusals[0]


def open_readonly(db_path) -> sqlite3.Connection:
    conn = connect_ro(db_path)
    conn.set_authorizer(readonly_authorizer([]))
    return conn


def run_query(db_path, sql: str, params=None, limit: int | None = None) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement read-only; returns (column names, rows)."""
    if not sql or not sql.strip():
        raise DatasetError("empty SQL")
    conn = connect_ro(db_path)
    refusals: list[str] = []
    conn.set_authorizer(readonly_authorizer(refusals))
    try:
        try:
            cur = conn.execute(sql, params or ())
            rows = cur.fetchmany(limit) if limit else cur.fetchall()
        except sqlite3.DatabaseError as exc:
            if refusals:
                raise ReadOnlyViolation(f"refused: {_most_telling(refusals)} would change the dataset; "
                                        "queries are read-only") from None
            message = str(exc)
            if any(s in message for s in ("readonly", "read-only", "query_only", "may not be modified")):
                raise ReadOnlyViolation(f"refused: the statement would change the dataset "
                                        f"({message}); queries are read-only") from None
            raise DatasetError(f"SQL error: {message}") from None
        except (sqlite3.Warning, sqlite3.ProgrammingError, ValueError) as exc:
            raise DatasetError(f"SQL error: {exc}") from None
        columns = [d[0] for d in cur.description or ()]
        return columns, rows
    finally:
        conn.close()
