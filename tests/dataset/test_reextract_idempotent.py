"""`reextract` in place is idempotent, and `verify` reports each breach of the dataset's invariants.

The rows are compared by their natural keys (article URL, version number, WARC-Record-ID, author
name), not by rowids, which a rebuild in place and one into an empty file number differently.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from cli_helpers import run_cli

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

# Columns that say when or by which run a row was written, not what the archive holds.
RUN_COLUMNS = {"id", "crawl_id", "created_at", "current_version_id", "article_id", "capture_id",
               "version_id", "author_id", "tag_id"}
# Discovery provenance (found_by, depth, news-sitemap fields...) and robots directives are
# compared too: a fresh rebuild reads them from each capture's WARC metadata record.


def dataset_rows(db) -> dict[str, list[tuple]]:
    """Every row of the derived tables, ids replaced by natural keys, sorted."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row

    def rows(sql):
        return sorted(tuple(map(repr, r)) for r in conn.execute(sql))

    def table(name, keys=""):
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})") if r[1] not in RUN_COLUMNS]
        return rows(f"SELECT {keys}{', '.join(['1'] + ['t.' + c for c in cols])} FROM {name} t {JOINS.get(name, '')}")

    JOINS = {
        "articles": "JOIN article_versions cv ON cv.id = t.current_version_id",
        "article_versions": "JOIN articles a ON a.id = t.article_id "
                            "LEFT JOIN captures c ON c.id = t.capture_id",
        "article_authors": "JOIN articles a ON a.id = t.article_id JOIN authors n ON n.id = t.author_id",
        "article_tags": "JOIN articles a ON a.id = t.article_id JOIN tags n ON n.id = t.tag_id",
        "images": "JOIN article_versions v ON v.id = t.version_id JOIN articles a ON a.id = v.article_id",
    }
    out = {
        "articles": table("articles", "cv.version, cv.content_hash, "),
        "article_versions": table("article_versions", "a.url, c.warc_record_id, "),
        "captures": table("captures"),
        "authors": table("authors"),
        "article_authors": table("article_authors", "a.url, n.name, "),
        "tags": table("tags"),
        "article_tags": table("article_tags", "a.url, n.name, "),
        "images": table("images", "a.url, v.version, "),
        "search": rows("SELECT a.url, f.* FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"),
        "search_hits": rows("SELECT a.url FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
                            "WHERE articles_fts MATCH 'water OR budget OR cargo'"),
    }
    conn.close()
    return out


def counters_and_counts(db) -> tuple[dict, dict]:
    """What the counts table says, and what counting every row gives (zero counters dropped)."""
    from crawler.dataset import schema

    conn = sqlite3.connect(db)
    kept = {k: n for k, n in conn.execute("SELECT name, n FROM counts") if n}
    actual = {k: n for k, n in conn.execute(f"SELECT name, sum(n) FROM ({schema.ACTUAL_COUNTS}) GROUP BY name") if n}
    conn.close()
    return kept, actual


def test_reextract_in_place_three_times_equals_a_fresh_rebuild(demo_editions, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(demo_editions["archive"], archive)
    crawled = dataset_rows(archive / "archive.db")
    kept, actual = counters_and_counts(archive / "archive.db")  # after a crawl and a recrawl
    assert kept == actual and kept["articles"] == 26 and kept["article_versions"] == 29, kept
    assert kept["crawls"] == 2 and kept["captures"] == 98 and kept["verdict:ok"] > 0, kept
    assert len(crawled["articles"]) == 26 and len(crawled["article_versions"]) == 29
    summaries = [run_cli("reextract", "--archive", archive, check=True).stdout for _ in range(3)]
    for summary in summaries:  # 29 full responses and 23 revisits of article pages
        assert "articles 0 new, 0 changed, 52 unchanged (of 52 article captures)" in summary, summary
    summary = run_cli("reextract", "--archive", archive, "--db", tmp_path / "fresh.db", check=True).stdout
    assert "articles 26 new, 3 changed, 23 unchanged (of 52 article captures)" in summary, summary
    in_place, fresh = dataset_rows(archive / "archive.db"), dataset_rows(tmp_path / "fresh.db")
    for name in fresh:
        assert in_place[name] == fresh[name], name
    assert in_place == crawled  # the crawl itself stored what the WARCs alone give
    for db in (archive / "archive.db", tmp_path / "fresh.db"):  # reextract keeps them true
        after, counted = counters_and_counts(db)
        assert after == counted, db
        assert {k: n for k, n in after.items() if k != "crawls"} == {k: n for k, n in kept.items() if k != "crawls"}
    assert len(fresh["captures"]) == 98 and len(fresh["search_hits"]) >= 3
    verify = run_cli("verify", "--archive", archive)
    assert verify.returncode == 0 and "problems: 0" in verify.stdout, verify.stdout + verify.stderr


def test_verify_reports_each_broken_invariant(demo_editions, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(demo_editions["archive"], archive)
    db = archive / "archive.db"
    with sqlite3.connect(db) as conn:
        edited = conn.execute("SELECT id, url FROM articles WHERE version_count = 2 ORDER BY url").fetchall()
        (a, url_a), (b, url_b), (c, url_c) = edited
        # a: a copy of its first version (same capture and content) as a third version
        conn.execute("INSERT INTO article_versions (article_id, version, content_hash, capture_id, created_at) "
                     "SELECT article_id, 3, content_hash, capture_id, created_at FROM article_versions "
                     "WHERE article_id = ? AND version = 1", (a,))
        # b: a version count that drifted
        conn.execute("UPDATE articles SET version_count = 5 WHERE id = ?", (b,))
        # c: its current version gone
        conn.execute("UPDATE articles SET current_version_id = 99999 WHERE id = ?", (c,))
        # one capture pointing at another record, one article at a wrong payload digest
        conn.execute("UPDATE captures SET warc_record_id = '<urn:uuid:00000000-0000-0000-0000-000000000000>' "
                     "WHERE id = (SELECT min(id) FROM captures WHERE warc_filename IS NOT NULL)")
        conn.execute("UPDATE articles SET payload_digest = 'sha1:AAAA' WHERE id = ?", (b,))
        # a counter that drifted from the rows it counts
        conn.execute("UPDATE counts SET n = n + 2 WHERE name = 'captures'")
    proc = run_cli("verify", "--archive", archive)
    assert proc.returncode == 1 and "Error: " in proc.stderr
    problems = [line[4:] for line in proc.stdout.splitlines() if line.startswith("  - ")]
    assert any(url_a in p and "versions 1 and 3 repeat capture" in p for p in problems), problems
    assert any(url_a in p and "version_count 2 but 3 versions stored" in p for p in problems), problems
    assert any(url_b in p and "version_count 5 but 2 versions stored" in p for p in problems), problems
    assert any(url_c in p and "current version 99999 is missing" in p for p in problems), problems
    assert any(p.startswith("capture ") and "record id" in p for p in problems), problems
    assert any(url_b in p and "payload digest differs" in p for p in problems), problems
    assert "counter captures says 100 but 98 rows are stored" in problems, problems
    assert f"problems: {len(problems)}" in proc.stdout
