"""An older archive.db is upgraded in place and keeps every row."""

from __future__ import annotations

import json
import sqlite3

from archive.capture import Capture
from crawler.dataset import schema
from crawler.dataset.connection import connect_rw
from crawler.dataset.migrations import SCHEMA_VERSION, migrate
from crawler.dataset.search import search
from crawler.dataset.writer import DatasetWriter

V1_ROWS = [
    {"url": "https://www.riverbend.example/news/2026/11/20/bridge-reopens",
     "canonical_url": "https://riverbend.example/news/bridge-reopens",
     "headline": "Old Mill bridge reopens after two years", "byline": "By Ana Ruiz and Tom Bell",
     "authors": json.dumps(["Ana Ruiz", "Tom Bell"]), "published": "2026-11-20T08:00:00-05:00",
     "modified": None, "section": "news", "language": "en", "site_name": "Riverbend Herald",
     "description": "Traffic returns to the Old Mill crossing.",
     "body": "The Old Mill bridge reopened on Friday.\nCommuters cheered the ribbon cutting.",
     "word_count": 12,
     "captions": json.dumps([{"src": "https://riverbend.example/img/bridge.jpg", "alt": "The bridge",
                              "caption": "The restored Old Mill bridge", "credit": "Photo: J. Kim"}]),
     "fetched_at": "2026-11-21T03:00:00.000000Z", "warc_filename": "newsarchive-1.warc.gz",
     "warc_offset": 1234, "warc_record_id": "<urn:uuid:11111111-1111-1111-1111-111111111111>",
     "payload_digest": "sha1:AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH"},
    {"url": "https://riverbend.example/sports/2026/11/19/late-goal",
     "canonical_url": None, "headline": "Late goal sends Riverbend to the final", "byline": None,
     "authors": None, "published": "2026-11-19", "modified": None, "section": "sports",
     "language": "en", "site_name": None, "description": None,
     "body": "A header in the ninetieth minute.", "word_count": 6, "captions": "[]",
     "fetched_at": "2026-11-21T03:00:01.000000Z", "warc_filename": "newsarchive-1.warc.gz",
     "warc_offset": 9876, "warc_record_id": "<urn:uuid:22222222-2222-2222-2222-222222222222>",
     "payload_digest": "sha1:ZZZZBBBBCCCCDDDDEEEEFFFFGGGGHHHH"},
]


def _v1_database(path, tracked=True):
    conn = connect_rw(path)
    if tracked:
        assert migrate(conn, target=1) == [1]
    else:  # a foundation-era file that never recorded its version
        for sql in schema.create_table_statements(schema.V1_TABLES):
            conn.execute(sql)
    conn.execute("INSERT INTO crawls (started, finished, status, stats) VALUES "
                 "('2026-11-21T02:59:00Z', '2026-11-21T03:10:00Z', 'finished', '{\"pages\": 2}')")
    for row in V1_ROWS:
        conn.execute(f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     list(row.values()))
    conn.close()


def _check_upgraded(db):
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT status, stats FROM crawls").fetchall() == [("finished", '{"pages": 2}')]
    rows = conn.execute("SELECT id, url, headline, byline, authors, published, site, body, word_count, "
                        "warc_offset, warc_record_id, version_count, first_seen, last_seen "
                        "FROM articles ORDER BY id").fetchall()
    assert [r[:2] for r in rows] == [(1, V1_ROWS[0]["url"]), (2, V1_ROWS[1]["url"])]
    first = rows[0]
    assert first[2:6] == (V1_ROWS[0]["headline"], V1_ROWS[0]["byline"], V1_ROWS[0]["authors"],
                          V1_ROWS[0]["published"])
    assert first[6] == "riverbend.example"
    assert first[7] == V1_ROWS[0]["body"] and first[8] == 12 and first[9] == 1234
    assert first[10] == V1_ROWS[0]["warc_record_id"] and first[11] == 1
    assert first[12] == first[13] == V1_ROWS[0]["fetched_at"]
    assert rows[1][4] == "[]"
    # each flat row became an article + version 1 + authors + images, linked to its capture
    versions = conn.execute("SELECT v.article_id, v.version, v.headline, c.warc_record_id, c.warc_offset, "
                            "c.replay_url FROM article_versions v JOIN captures c ON c.id = v.capture_id "
                            "ORDER BY v.article_id").fetchall()
    assert versions[0] == (1, 1, V1_ROWS[0]["headline"], V1_ROWS[0]["warc_record_id"], 1234,
                           "/archive/20261121030000id_/" + V1_ROWS[0]["url"])
    assert [v[:2] for v in versions] == [(1, 1), (2, 1)]
    assert conn.execute("SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id "
                        "WHERE aa.article_id = 1 ORDER BY aa.position").fetchall() == [("Ana Ruiz",), ("Tom Bell",)]
    assert conn.execute("SELECT position, src, caption, credit FROM images").fetchall() == [
        (0, "https://riverbend.example/img/bridge.jpg", "The restored Old Mill bridge", "Photo: J. Kim")]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    # the migrated rows are searchable, by caption text and by author name too
    assert [r["id"] for r in search(db, "restored bridge")] == [1]
    assert [r["id"] for r in search(db, "Tom Bell")] == [1]


def test_v1_database_is_migrated_in_place_and_keeps_its_rows(tmp_path):
    db = tmp_path / "archive.db"
    _v1_database(db)
    DatasetWriter(db).close()
    _check_upgraded(db)


def test_untracked_foundation_database_is_adopted_as_v1_and_migrated(tmp_path):
    db = tmp_path / "archive.db"
    _v1_database(db, tracked=False)
    DatasetWriter(db).close()
    _check_upgraded(db)
    conn = sqlite3.connect(db)
    assert "adopted" in conn.execute("SELECT name FROM schema_version WHERE version = 1").fetchone()[0]


def test_migrated_database_keeps_versioning_new_crawls(tmp_path):
    db = tmp_path / "archive.db"
    _v1_database(db)
    with DatasetWriter(db) as writer:
        same = {"url": V1_ROWS[0]["url"], "canonical_url": V1_ROWS[0]["canonical_url"],
                "headline": V1_ROWS[0]["headline"], "byline": V1_ROWS[0]["byline"],
                "authors": ["Ana Ruiz", "Tom Bell"], "published": V1_ROWS[0]["published"],
                "section": "news", "language": "en", "site_name": "Riverbend Herald",
                "description": V1_ROWS[0]["description"], "body": V1_ROWS[0]["body"], "word_count": 12,
                "captions": json.loads(V1_ROWS[0]["captions"])}
        def capture(at, record_id):
            return Capture(url=same["url"], status=200, mime="text/html", fetched_at=at, filename="a.warc.gz",
                           offset=0, length=100, record_id=record_id)

        writer.add_article(same, capture("2026-11-28T00:00:00.000000Z", "<urn:uuid:33333333-3333-3333-3333-333333333333>"))
        writer.add_article({**same, "headline": "Old Mill bridge reopens after two-year repair"},
                           capture("2026-11-29T00:00:00.000000Z", "<urn:uuid:44444444-4444-4444-4444-444444444444>"))
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT version_count, last_seen, headline FROM articles WHERE id = 1").fetchone() == \
        (2, "2026-11-29T00:00:00.000000Z", "Old Mill bridge reopens after two-year repair")


def test_a_file_started_by_the_warc_dedup_index_becomes_a_dataset(tmp_path):
    """The WARC middleware may create archive.db (table warc_digests) before the store opens it."""
    from archive.dedup import DigestIndex

    db = tmp_path / "archive.db"
    index = DigestIndex(str(db))
    index.conn.close()
    DatasetWriter(db).close()
    conn = sqlite3.connect(db)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"warc_digests", "articles", "captures", "schema_version"} <= tables
