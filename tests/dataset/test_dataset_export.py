"""Exports carry every article (or exactly the filtered ones) in all three formats."""

from __future__ import annotations

import csv
import json
import sqlite3

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from crawler.commands.dataset import export as export_command
from crawler.dataset.errors import DatasetError
from crawler.dataset.export import export_articles
from dataset_helpers import DEMO_HOST, TODAY_PATH


def _read(path, fmt):
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            for key in ("authors", "tags", "captions"):
                row[key] = json.loads(row[key])
        return rows
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pq.read_table(path).to_pylist()


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_row_counts_and_values_match_the_database(two_crawls, tmp_path, fmt):
    db = two_crawls["db"]
    conn = sqlite3.connect(db)
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    out = tmp_path / f"articles.{fmt}"
    assert export_articles(db, fmt, out) == total
    rows = _read(out, fmt)
    assert len(rows) == total
    assert sorted(str(r["id"]) for r in rows) == sorted(str(i) for (i,) in conn.execute("SELECT id FROM articles"))
    today = next(r for r in rows if r["url"] == DEMO_HOST + TODAY_PATH)
    assert today["authors"] == ["Randee Dawn"]
    assert len(today["captions"]) == 2 and today["captions"][0]["src"]
    edited = next(r for r in rows if r["url"].endswith("port-authority-cargo-report"))
    assert str(edited["version"]) == "2" and str(edited["version_count"]) == "2"
    assert "9 percent" in edited["headline"]
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_filters_select_the_same_rows_in_every_format(two_crawls, tmp_path, fmt):
    db = two_crawls["db"]
    conn = sqlite3.connect(db)
    expected = conn.execute("SELECT count(*) FROM articles WHERE published >= '2026-11-22' "
                            "AND published < '2026-11-23~'").fetchone()[0]
    assert 0 < expected < len(two_crawls["first"])
    out = tmp_path / f"f.{fmt}"
    assert export_articles(db, fmt, out, since="2026-11-22", until="2026-11-23") == expected
    assert len(_read(out, fmt)) == expected
    assert export_articles(db, fmt, out, query="Pam first kiss") == 1
    assert [r["url"] for r in _read(out, fmt)] == [DEMO_HOST + TODAY_PATH]
    assert export_articles(db, fmt, out, site="nowhere.example") == 0
    assert _read(out, fmt) == []


def test_cli_export_and_errors(two_crawls, tmp_path):
    archive = str(two_crawls["archive"])
    result = CliRunner().invoke(export_command, ["--archive", archive, "--format", "jsonl", "--author", "Randee"])
    assert result.exit_code == 0
    assert [json.loads(line)["url"] for line in result.output.splitlines()] == [DEMO_HOST + TODAY_PATH]
    out = tmp_path / "a.parquet"
    result = CliRunner().invoke(export_command, ["--archive", archive, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0 and pq.read_table(out).num_rows == len(two_crawls["first"])
    result = CliRunner().invoke(export_command, ["--archive", archive, "--format", "parquet"])
    assert result.exit_code == 1 and "give --output FILE" in result.output
    result = CliRunner().invoke(export_command, ["--archive", archive, "--format", "csv",
                                                 "-o", str(tmp_path / "no" / "such" / "dir.csv")])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot write")
    with pytest.raises(DatasetError):
        export_articles(two_crawls["db"], "xlsx", tmp_path / "x")
