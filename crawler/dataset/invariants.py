"""The dataset's own invariants, each breach one problem line for ``verify``.

The WARC pointers are followed by ``archive.verify``; these are the relations between rows that
no WARC can vouch for: a rebuild that stored an article's history twice, or a version count that
drifted from the versions stored, leaves every pointer valid and the dataset still wrong.
"""

from __future__ import annotations

import sqlite3

from crawler.dataset import schema
from crawler.dataset.connection import connect_ro
from crawler.dataset.errors import DatasetError

# (problem text with {0}.. for the row's columns, query returning the breaching rows)
CHECKS = (
    ("article {0}: versions {1} and {2} repeat capture {3} with the same content",
     "SELECT a.url, v1.version, v2.version, v1.capture_id FROM article_versions v1 "
     "JOIN article_versions v2 ON v2.article_id = v1.article_id AND v2.capture_id = v1.capture_id "
     "AND v2.content_hash = v1.content_hash AND v2.version > v1.version "
     "JOIN articles a ON a.id = v1.article_id"),
    ("article {0}: version_count {1} but {2} versions stored",
     "SELECT a.url, a.version_count, (SELECT count(*) FROM article_versions v "
     "WHERE v.article_id = a.id) AS n FROM articles a WHERE a.version_count IS NOT n"),
    ("article {0}: current version {1} is missing",
     "SELECT a.url, a.current_version_id FROM articles a WHERE a.current_version_id IS NULL "
     "OR NOT EXISTS (SELECT 1 FROM article_versions v WHERE v.id = a.current_version_id "
     "AND v.article_id = a.id)"),
    ("article {0}: current version is number {1}, not the latest ({2})",
     "SELECT a.url, v.version, (SELECT max(version) FROM article_versions w "
     "WHERE w.article_id = a.id) AS latest FROM articles a "
     "JOIN article_versions v ON v.id = a.current_version_id WHERE v.version IS NOT latest"),
    ("version {1} of article id {0} points at capture {2}, which is not stored",
     "SELECT v.article_id, v.version, v.capture_id FROM article_versions v "
     "WHERE v.capture_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM captures c WHERE c.id = v.capture_id)"),
)

# The totals the triggers of migration 5 keep must be what counting every row gives.
COUNTER_CHECK = (
    "counter {0} says {1} but {2} rows are stored",
    f"WITH actual AS (SELECT name, sum(n) AS n FROM ({schema.ACTUAL_COUNTS}) GROUP BY name), "
    f"kept AS (SELECT name, n FROM [{schema.COUNTS_TABLE}]), "
    "pairs AS (SELECT x.name, k.n AS kept, coalesce(a.n, 0) AS stored "
    "FROM (SELECT name FROM kept UNION SELECT name FROM actual) x "
    "LEFT JOIN kept k ON k.name = x.name LEFT JOIN actual a ON a.name = x.name) "
    "SELECT name, coalesce(kept, 'nothing'), stored FROM pairs WHERE coalesce(kept, "
    f"CASE WHEN name IN ({', '.join(repr(t) for t in schema.COUNTED_TABLES)}) THEN -1 ELSE 0 END) "
    "IS NOT stored")


def dataset_problems(db_path) -> list[str]:
    """One line per breached invariant (empty when the dataset is sound or has no articles yet)."""
    try:
        conn = connect_ro(db_path)
    except DatasetError as exc:
        return [str(exc)]
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"articles", "article_versions", "captures"} <= tables:
            return []
        problems = []
        checks = CHECKS + ((COUNTER_CHECK,) if schema.COUNTS_TABLE in tables else ())
        for text, query in checks:
            problems += [text.format(*row) for row in conn.execute(query)]
        return problems
    except sqlite3.Error as exc:
        return [f"cannot read dataset {db_path}: {exc}"]
    finally:
        conn.close()
