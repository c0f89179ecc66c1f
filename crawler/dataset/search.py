"""Full-text search over the current version of every article, ranked by bm25.

Researchers type words, phrases and sometimes stray punctuation: a query that is not valid
FTS5 syntax (``U.S.``, ``co-op``, an odd quote) is retried with each word quoted, and only if
that fails too does the user get an error, one line.
"""

from __future__ import annotations

import json
import re
import sqlite3

from crawler.dataset.errors import DatasetError
from crawler.dataset.filters import article_filters
from crawler.dataset.migrations import ensure_current
from crawler.dataset.query import open_readonly
from crawler.dataset.schema import FTS_TABLE

# bm25 weights for headline, description, body, captions_text, authors_text
WEIGHTS = (10.0, 4.0, 1.0, 2.0, 5.0)


def quote_terms(query: str) -> str:
    """Every word as an FTS5 string: punctuation loses its operator meaning."""
    words = re.findall(r"\S+", query)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def match_expression(conn: sqlite3.Connection, query: str) -> str:
    """``query`` itself when FTS5 accepts it, else with every word quoted."""
    query = query.strip()
    if not query:
        raise DatasetError("empty search query")
    for attempt in (query, quote_terms(query)):
        try:
            conn.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT 1",
                         (attempt,)).fetchall()
            return attempt
        except sqlite3.OperationalError as exc:
            if attempt != query or not _is_syntax_error(exc):
                raise DatasetError(f"search failed: {exc}") from None
    raise AssertionError("unreachable")


def search(db_path, query: str, site=None, since=None, until=None, author=None,
           limit: int = 20, highlight: tuple[str, str] = ("[", "]"), verdict=None, reason=None) -> list[dict]:
    """Articles matching ``query``, best first, each with a highlighted ``snippet``."""
    if not query or not query.strip():
        raise DatasetError("empty search query")
    ensure_current(db_path)
    where, params = article_filters(site, since, until, author, verdict=verdict, reason=reason)
    sql = (
        f"SELECT a.id, a.url, a.headline, a.site, a.published, a.byline, a.authors, a.section, "
        f"a.version_count, a.last_seen, a.replay_url, a.verdict, a.verdict_reasons, "
        f"snippet({FTS_TABLE}, -1, ?, ?, '…', 16) AS snippet, "
        f"bm25({FTS_TABLE}, {', '.join(map(str, WEIGHTS))}) AS rank "
        f"FROM {FTS_TABLE} JOIN articles a ON a.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH ? {''.join(' AND ' + w for w in where)} "
        f"ORDER BY rank LIMIT ?")
    conn = open_readonly(db_path)
    try:
        match = match_expression(conn, query)
        try:
            cur = conn.execute(sql, [*highlight, match, *params, int(limit)])
            rows = cur.fetchall()
        except sqlite3.OperationalError as exc:
            raise DatasetError(f"search failed: {exc}") from None
        columns = [d[0] for d in cur.description]
    finally:
        conn.close()
    results = []
    for row in rows:
        item = dict(zip(columns, row))
        item["authors"] = json.loads(item["authors"]) if item["authors"] else []
        item["verdict_reasons"] = json.loads(item["verdict_reasons"]) if item["verdict_reasons"] else []
        results.append(item)
    return results


def _is_syntax_error(exc: Exception) -> bool:
    message = str(exc)
    return any(s in message for s in ("fts5: syntax error", "no such column", "unterminated",
                                      "unknown special query", "fts5:"))
