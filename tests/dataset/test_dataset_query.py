"""``query`` runs researchers' SQL and cannot change a byte of the file."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from crawler.commands.dataset import query as query_command
from crawler.dataset.errors import DatasetError
from crawler.dataset.query import ReadOnlyViolation, run_query

WRITES = [
    "DELETE FROM articles",
    "UPDATE articles SET headline = 'x'",
    "INSERT INTO authors (name) VALUES ('Mallory')",
    "WITH doomed AS (SELECT id FROM articles) DELETE FROM article_authors",
    "ATTACH DATABASE 'other.db' AS other",
    "PRAGMA journal_mode=delete",
    "PRAGMA user_version=5",
    "PRAGMA writable_schema=1",
    "DROP TABLE articles",
    "CREATE TABLE notes (x)",
    "CREATE TEMP TABLE scratch (x)",
    "ALTER TABLE articles ADD COLUMN x",
    "VACUUM",
    "VACUUM INTO 'copy.db'",
    "REINDEX",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
    "SELECT load_extension('evil')",
]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_are_refused_and_the_file_stays_byte_identical(two_crawls, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = two_crawls["db"]
    before = _digest(db)
    for sql in WRITES:
        with pytest.raises(DatasetError) as err:
            run_query(db, sql)
        assert "\n" not in str(err.value)
        if not sql.startswith("SELECT load"):
            assert isinstance(err.value, ReadOnlyViolation), sql
    assert _digest(db) == before
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "other.db").exists()
    columns, rows = run_query(db, "SELECT count(*) AS n FROM articles")
    assert columns == ["n"] and rows[0][0] == len(two_crawls["first"])
    assert _digest(db) == before


def test_reads_work_pragmas_included(two_crawls):
    db = two_crawls["db"]
    cols, rows = run_query(db, "PRAGMA table_info(articles)")
    assert "name" in cols and rows[1][1] == "url"
    assert run_query(db, "PRAGMA user_version")[1] == [(0,)]
    cols, rows = run_query(db, "SELECT headline FROM articles WHERE url = ?",
                           ["http://demo.test/business/2026/11/21/port-authority-cargo-report"])
    assert rows == [("Port of Riverbend cargo volume up 9 percent as grain exports rebound",)]
    assert run_query(db, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'kiss' LIMIT 1")[1]


def test_cli_query_formats_and_errors(two_crawls):
    archive = str(two_crawls["archive"])
    sql = "SELECT id, site FROM articles ORDER BY id LIMIT 2"
    out = CliRunner().invoke(query_command, [sql, "--archive", archive, "--format", "json"])
    assert json.loads(out.output) == [{"id": 1, "site": "demo.test"}, {"id": 2, "site": "demo.test"}]
    out = CliRunner().invoke(query_command, [sql, "--archive", archive, "--format", "csv"])
    assert out.output.splitlines() == ["id,site", "1,demo.test", "2,demo.test"]
    out = CliRunner().invoke(query_command, [sql, "--archive", archive])
    assert out.output.splitlines()[0].split() == ["id", "site"] and "(2 rows)" in out.output
    before = _digest(two_crawls["db"])
    for bad, message in [("DELETE FROM articles", "refused: DELETE"),
                         ("PRAGMA journal_mode=delete", "refused: PRAGMA journal_mode"),
                         ("SELEC nonsense", "SQL error:"),
                         ("SELECT 1; DELETE FROM crawls", "one statement")]:
        out = CliRunner().invoke(query_command, [bad, "--archive", archive])
        assert out.exit_code == 1 and out.output.startswith("Error: ") and message in out.output, out.output
        assert out.output.count("\n") == 1
    assert _digest(two_crawls["db"]) == before
    out = CliRunner().invoke(query_command, ["SELECT 1", "--archive", archive + "/nope"])
    assert out.exit_code == 1 and "no dataset at" in out.output
