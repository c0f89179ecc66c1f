"""The schema is the product: every table, column, type, index and foreign key as documented."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import yaml

from crawler.dataset import schema
from crawler.dataset.errors import DatasetError
from crawler.dataset.migrations import SCHEMA_VERSION
from crawler.dataset.writer import DatasetWriter

ROOT = Path(__file__).resolve().parents[2]
SQL_TYPES = {int: "INTEGER", str: "TEXT", float: "FLOAT"}


def _columns(conn, table):
    return {r[1]: (r[2], bool(r[3]), r[5]) for r in conn.execute(f"PRAGMA table_info([{table}])")}


def test_tables_columns_and_types_are_exactly_the_declared_ones(two_crawls):
    conn = sqlite3.connect(two_crawls["db"])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"crawls", *schema.V2_TABLES, "schema_version", "articles_fts"} <= tables
    for name, spec in {"crawls": schema.CRAWLS, **schema.V2_TABLES}.items():
        cols = _columns(conn, name)
        # migration 4 appends the verdict columns to the articles and their versions, migration
        # 6 robots directives and provenance to captures and articles
        declared = {**spec["columns"], **(schema.VERDICT_COLUMNS if name in ("articles", "article_versions") else {}),
                    **{"captures": schema.CAPTURE_POLICY_COLUMNS,
                       "articles": schema.ARTICLE_POLICY_COLUMNS}.get(name, {})}
        assert list(cols) == list(declared), name
        for col, pytype in declared.items():
            assert cols[col][0] == SQL_TYPES[pytype], (name, col)
        for col in spec.get("not_null", []):
            assert cols[col][1], (name, col)
    # the flat current-version columns of migration 1 all survive in articles
    assert set(schema.ARTICLES_V1["columns"]) <= set(_columns(conn, "articles"))
    assert _columns(conn, "articles")["id"][2] == 1  # integer primary key: stable ids
    assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] \
        == list(range(1, SCHEMA_VERSION + 1))


def test_values_have_real_types_not_inferred_text(two_crawls):
    conn = sqlite3.connect(two_crawls["db"])
    assert conn.execute("SELECT DISTINCT typeof(warc_offset), typeof(word_count) FROM articles").fetchall() \
        == [("integer", "integer")]
    assert conn.execute("SELECT DISTINCT typeof(status), typeof(revisit), typeof(warc_length) "
                        "FROM captures").fetchall() == [("integer", "integer", "integer")]


def test_indexes_for_the_common_questions(two_crawls):
    conn = sqlite3.connect(two_crawls["db"])
    found = {}
    for table in ("articles", "captures", "article_authors", "article_versions", "authors", "images"):
        for _, name, unique, *_ in conn.execute(f"PRAGMA index_list([{table}])"):
            cols = [r[2] for r in conn.execute(f"PRAGMA index_info([{name}])")]
            found[(table, tuple(cols))] = bool(unique)
    assert found[("articles", ("url",))] is True
    assert ("articles", ("site", "published")) in found
    assert ("articles", ("published",)) in found
    assert ("article_authors", ("author_id",)) in found
    assert ("captures", ("url",)) in found
    assert ("captures", ("payload_digest",)) in found
    assert found[("captures", ("warc_record_id",))] is True
    assert found[("authors", ("name",))] is True
    assert found[("article_versions", ("article_id", "version"))] is True
    # the planner uses them: by site, by author
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM articles WHERE site = 'demo.test' ORDER BY published"))
    assert "idx_articles_site_published" in plan
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT article_id FROM article_authors WHERE author_id = 3"))
    assert "idx_article_authors_author" in plan


def test_foreign_keys_declared_and_enforced(two_crawls):
    conn = sqlite3.connect(two_crawls["db"])
    fks = {(t, r[3], r[2], r[4]) for t in schema.V2_TABLES
           for r in conn.execute(f"PRAGMA foreign_key_list([{t}])")}
    assert {("captures", "crawl_id", "crawls", "id"),
            ("articles", "current_version_id", "article_versions", "id"),
            ("article_versions", "article_id", "articles", "id"),
            ("article_versions", "capture_id", "captures", "id"),
            ("article_authors", "article_id", "articles", "id"),
            ("article_authors", "author_id", "authors", "id"),
            ("images", "version_id", "article_versions", "id"),
            ("article_tags", "tag_id", "tags", "id")} <= fks
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    writer = DatasetWriter(two_crawls["db"])
    try:
        assert writer.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert writer.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert writer.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 30000
        with pytest.raises(sqlite3.IntegrityError):
            writer.conn.execute("INSERT INTO images (version_id, position) VALUES (99999, 0)")
    finally:
        writer.close()


def test_every_column_is_documented_in_docs_and_datasette_metadata(two_crawls):
    docs = (ROOT / "docs" / "dataset.md").read_text(encoding="utf-8")
    meta = yaml.safe_load((ROOT / "crawler" / "dataset" / "metadata.yaml").read_text(encoding="utf-8"))
    conn = sqlite3.connect(two_crawls["db"])
    for table in ("crawls", *schema.V2_TABLES, "schema_version"):
        section = re.search(rf"^### `{table}`\n(.*?)(?=^### |\Z)", docs, re.S | re.M)
        assert section, f"docs/dataset.md has no section for {table}"
        for col in _columns(conn, table):
            assert re.search(rf"^\| `{col}` \|", section.group(1), re.M), f"{table}.{col} undocumented"
            assert meta["tables"][table]["columns"].get(col), f"{table}.{col} not in metadata.yaml"


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "archive.db"
    DatasetWriter(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_version VALUES (?, 'from the future', 'x')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DatasetError, match=rf"schema version {SCHEMA_VERSION + 1}, newer"):
        DatasetWriter(db)
    assert db.read_bytes() == before


@pytest.mark.parametrize("content", [b"not a database at all" * 100, None])
def test_foreign_files_are_refused_not_recreated(tmp_path, content):
    db = tmp_path / "archive.db"
    if content:
        db.write_bytes(content)
    else:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT)")
        conn.execute("INSERT INTO photos VALUES (1, 'kept')")
        conn.commit()
        conn.close()
    with pytest.raises(DatasetError) as err:
        DatasetWriter(db)
    assert "\n" not in str(err.value)
    if content:
        assert db.read_bytes() == content
    else:
        assert sqlite3.connect(db).execute("SELECT caption FROM photos").fetchall() == [("kept",)]
