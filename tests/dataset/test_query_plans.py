"""No per-page statement scans a table: each one the dataset writer and the dedup digest index run
for a page (recorded by SQLite's trace callback while they write two editions of the demo site,
the second with edited and unchanged articles) is planned with an index or a primary key.
A crawl then costs the same in an archive of a thousand pages or of millions.
"""

from __future__ import annotations

from dataclasses import replace
import re
import sqlite3

from archive.dedup import DigestIndex
from crawler.dataset.writer import DatasetWriter
from dataset_helpers import FIRST, SECOND, demo_articles

CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|CREATE|--)", re.I)
SCAN = re.compile(r"^SCAN (\w+)(?! USING (?:COVERING )?INDEX| USING INTEGER PRIMARY KEY)")


def scans(db, statements: set[str]) -> dict[str, list[str]]:
    """statement -> the tables its plan scans in full."""
    conn = sqlite3.connect(db)
    found = {}
    try:
        for sql in statements:
            plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
            full = [detail for detail in plan if SCAN.match(detail)]
            if full:
                found[sql] = full
    finally:
        conn.close()
    return found


FTS5_INTERNAL = "FROM 'main'.'"  # FTS5 reading its own one-row config table, not our statement


def traced(conn: sqlite3.Connection, into: set[str]) -> None:
    def keep(sql: str) -> None:
        if not CONTROL.match(sql) and FTS5_INTERNAL not in sql:
            into.add(sql)
    conn.set_trace_callback(keep)


def test_the_dataset_writer_never_scans_a_table_per_page(tmp_path):
    db = tmp_path / "archive.db"
    statements: set[str] = set()
    for edition, when in ((1, FIRST), (2, SECOND), (2, SECOND)):  # new, edited, unchanged
        with DatasetWriter(db, batch_size=7) as writer:
            crawl_id = writer.begin_crawl(job="plans")
            traced(writer.conn, statements)
            for article, capture in demo_articles(edition, when):
                writer.add_capture(capture, crawl_id)
                writer.add_article(article, capture, crawl_id)
            writer.flush()
            writer.conn.set_trace_callback(None)
            writer.end_crawl(crawl_id, "finished", {})
    kinds = {sql.split()[0].upper() for sql in statements}
    assert {"SELECT", "INSERT", "UPDATE"} <= kinds, kinds  # the trace saw the per-page work
    assert scans(db, statements) == {}


def test_the_digest_index_looks_up_by_index(tmp_path):
    db = tmp_path / "archive.db"
    index = DigestIndex(str(db), batch_size=3)
    statements: set[str] = set()
    traced(index.conn, statements)
    for n in range(10):
        url = f"http://news.example/{n % 4}"
        index.latest(url)
        index.add(url, f"sha1:D{n}", f"<urn:uuid:{n}>", f"2026-11-24T01:00:0{n}Z", "a.warc.gz", n * 100)
    index.flush()
    assert index.latest("http://news.example/1")["payload_digest"] == "sha1:D9"
    index.close()
    assert any(sql.startswith("SELECT") for sql in statements)
    assert scans(db, statements) == {}


def test_the_check_catches_a_scan(tmp_path):
    """The pattern above is not vacuous: a lookup on an unindexed column is reported."""
    db = tmp_path / "archive.db"
    DatasetWriter(db).close()
    sql = "SELECT id FROM articles WHERE headline = 'x'"
    assert scans(db, {sql}) == {sql: ["SCAN articles"]}


def test_the_refresh_policy_looks_up_each_request_by_index(tmp_path):
    """A job's refresh policy asks the dataset about each request it may skip, instead of loading
    every article and asset ever captured when the run starts."""
    from datetime import datetime, timezone

    from crawler.refresh import RETIRED, CaptureHistory

    db = tmp_path / "archive.db"
    pairs = []
    with DatasetWriter(db) as writer:
        crawl_id = writer.begin_crawl(job="plans")
        for article, capture in demo_articles(1, FIRST):
            writer.add_capture(capture, crawl_id)
            writer.add_article(article, capture, crawl_id)
            pairs.append(capture)
        asset = replace(pairs[0], url="http://demo.test/photo.jpg", mime="image/jpeg",
                        record_id="<urn:uuid:asset>")
        writer.add_capture(asset, crawl_id)
        writer.end_crawl(crawl_id, "finished", {})
    history = CaptureHistory(db, datetime.now(timezone.utc))
    statements: set[str] = set()
    traced(history.conn, statements)
    count, _last = history.state(pairs[0].url)
    assert count == 1
    assert history.state(asset.url)[0] == RETIRED
    assert history.state("http://demo.test/never-seen") is None
    history.close()
    assert len(statements) >= 2 and scans(db, statements) == {}
    before_first = CaptureHistory(db, datetime(2020, 1, 1, tzinfo=timezone.utc))
    assert before_first.state(pairs[0].url) is None  # captures of the run itself do not count
    before_first.close()


def test_status_reads_its_totals_without_counting_rows(tmp_path, monkeypatch):
    """`status` reads the counts its triggers keep (migration 5), not COUNT(*) over captures and
    articles: its statements scan only the small tables (the counters, the schema, the latest
    runs through LIMIT), and what it prints is what counting every row gives."""
    import crawler.status as status

    db = tmp_path / "archive.db"
    with DatasetWriter(db) as writer:
        crawl_id = writer.begin_crawl(job="plans")
        for article, capture in demo_articles(1, FIRST):
            writer.add_capture(capture, crawl_id)
            writer.add_article(article, capture, crawl_id)
        writer.end_crawl(crawl_id, "finished", {})
    statements: set[str] = set()
    real_connect = status.connect_ro

    def spied(path):
        conn = real_connect(path)
        traced(conn, statements)
        return conn

    monkeypatch.setattr(status, "connect_ro", spied)
    lines = status.archive_status(tmp_path)
    conn = sqlite3.connect(db)
    totals = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "article_versions", "captures", "crawls")]
    conn.close()
    assert totals[0] > 0 and (f"{totals[0]} articles, {totals[1]} versions, {totals[2]} captures, "
                              f"{totals[3]} crawls") in "\n".join(lines), lines
    # Any SCAN, through an index or not: COUNT(*) walks a covering index from end to end.
    conn = sqlite3.connect(db)
    found = {sql: [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql) if row[3].startswith("SCAN ")]
             for sql in statements}
    conn.close()
    scanned = {detail.split()[1] for details in found.values() for detail in details}
    assert "counts" in scanned and scanned <= {"counts", "crawls", "sqlite_master"}, found
    assert all("LIMIT" in sql for sql, details in found.items() if any("crawls" in d for d in details)), found
