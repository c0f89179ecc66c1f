"""The writer's batching: when rows become visible, what a failure keeps, what bad data costs."""

from __future__ import annotations

from dataclasses import replace
import sqlite3
import time

import pytest

from archive.capture import Capture
from crawler.dataset.errors import DatasetError
from crawler.dataset.writer import DatasetWriter
from dataset_helpers import capture_for


def _count(db, table):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def _article(i):
    url = f"https://example.org/a/{i}"
    return {"url": url, "headline": f"Story {i}", "body": f"Body {i}"}, capture_for(url, b"%d" % i, f"2026-11-24T00:00:{i:02d}Z")


def test_rows_are_committed_per_batch_and_on_flush_and_close(tmp_path):
    db = tmp_path / "archive.db"
    writer = DatasetWriter(db, batch_size=4, flush_seconds=3600)
    for i in range(3):
        article, capture = _article(i)
        writer.add_article(article, capture)
    assert _count(db, "articles") == 0  # buffered: 3 < 4
    writer.add_article(*_article(3))
    assert _count(db, "articles") == 4  # the batch of 4 committed together
    writer.add_article(*_article(4))
    writer.flush()
    assert _count(db, "articles") == 5
    writer.add_article(*_article(5))
    writer.close()
    assert _count(db, "articles") == 6 and _count(db, "captures") == 6
    with pytest.raises(DatasetError, match="closed"):
        writer.add_article(*_article(6))


def test_flush_seconds_commits_a_slow_trickle(tmp_path):
    db = tmp_path / "archive.db"
    with DatasetWriter(db, batch_size=500, flush_seconds=0.2) as writer:
        writer.add_article(*_article(0))
        time.sleep(0.3)
        writer.add_article(*_article(1))  # more than flush_seconds since the last commit
        assert _count(db, "articles") == 2


def test_a_locked_database_keeps_the_batch_until_it_can_commit(tmp_path):
    db = tmp_path / "archive.db"
    writer = DatasetWriter(db, batch_size=500, busy_timeout=0.2)
    writer.add_article(*_article(0))
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatasetError, match="locked"):
            writer.flush()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    writer.add_article(*_article(1))
    writer.close()
    assert _count(db, "articles") == 2


def test_bad_entries_fail_alone_and_failed_fetches_are_captures(tmp_path):
    db = tmp_path / "archive.db"
    with DatasetWriter(db) as writer:
        crawl = writer.begin_crawl()
        good, capture = _article(1)
        bad_capture = replace(capture_for("https://example.org/huge", b"x", "2026-11-24T00:00:00Z"),
                              offset=2 ** 70)
        writer.add_article(good, capture, crawl)
        writer.add_article({"url": "https://example.org/huge", "headline": "x"}, bad_capture, crawl)
        writer.add_article({"headline": "no url anywhere"}, None, crawl)
        writer.add_capture(Capture(url="https://example.org/down", status=None, mime=None,
                                   fetched_at="2026-11-24T00:00:09Z", error="DNS lookup failed",
                                   record_id=None, filename=None, offset=None, length=None), crawl)
    assert writer.counts["failed"] == 2 and writer.counts["articles_new"] == 1
    assert "huge" in writer.errors[0] and "without a URL" in writer.errors[1]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT url FROM articles").fetchall() == [(good["url"],)]
    assert conn.execute("SELECT status, error, replay_url, revisit FROM captures WHERE url LIKE '%down'"
                        ).fetchone() == (None, "DNS lookup failed", None, 0)
    assert conn.execute("SELECT count(*) FROM captures WHERE url LIKE '%huge'").fetchone()[0] == 0


def test_unwritable_location_is_one_clear_error(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(DatasetError, match="cannot open"):
        DatasetWriter(target / "archive.db")
