"""Recording one extracted article: a new article, a new version, or only a later last_seen.

Runs inside the caller's transaction (the writer's batch, or migration 2), so an article, its
version, authors, tags and images appear together or not at all.
"""

from __future__ import annotations

import sqlite3

from archive.capture import Capture
from crawler.dataset import records, schema


# The flat current-version columns, in the order of ``flat`` in store_article.
_FLAT_COLUMNS = (
    "canonical_url", "site", "headline", "description", "byline", "authors", "published",
    "modified", "section", "tags", "language", "site_name", "top_image", "body", "word_count",
    "captions", "captions_text", "authors_text", "first_seen", "last_seen", "version_count",
    "fetched_at", "warc_filename", "warc_offset", "warc_record_id", "payload_digest", "replay_url")
# Since migration 4; migration 2 stores articles into tables that do not have them yet.
_VERDICT_COLUMNS = tuple(schema.VERDICT_COLUMNS)
# The same without the full-text columns, for a version whose text is what search has indexed.
_TEXT = [_FLAT_COLUMNS.index(c) for c in schema.FTS_COLUMNS]
_SELECT_TEXT = f"SELECT {', '.join(schema.FTS_COLUMNS)} FROM articles WHERE id = ?"
_VERSION_COLUMNS = ("article_id", "version", "content_hash", "headline", "description", "byline", "authors",
                    "published", "modified", "section", "language", "body", "word_count", "extractor_version",
                    "capture_id", "created_at")


def _statements(flat_columns: tuple, version_columns: tuple) -> dict:
    not_text = [i for i in range(len(flat_columns)) if i not in _TEXT]
    return {
        "insert": (f"INSERT INTO articles (id, url, {', '.join(flat_columns)}) "
                   f"VALUES ({', '.join('?' * (len(flat_columns) + 2))})"),
        "update": (f"UPDATE articles SET {', '.join(c + ' = ?' for c in flat_columns)}, "
                   "current_version_id = ? WHERE id = ?"),
        "not_text": not_text,
        "update_not_text": (f"UPDATE articles SET {', '.join(flat_columns[i] + ' = ?' for i in not_text)}, "
                            "current_version_id = ? WHERE id = ?"),
        "version": (f"INSERT INTO article_versions ({', '.join(version_columns)}) "
                    f"VALUES ({', '.join('?' * len(version_columns))})"),
    }


_SQL = {True: _statements(_FLAT_COLUMNS + _VERDICT_COLUMNS, _VERSION_COLUMNS + _VERDICT_COLUMNS),
        False: _statements(_FLAT_COLUMNS, _VERSION_COLUMNS)}


def store_article(conn: sqlite3.Connection, article: dict, capture: Capture | None,
                  capture_id: int | None, seen: str, article_id: int | None = None,
                  name_ids: dict | None = None, verdict: bool = True) -> str:
    """Store a normalised article seen at ``seen``; returns "new", "version" or "unchanged".

    ``article_id`` pins the id of a new article (migration 2 keeps the old rowids).
    ``name_ids`` remembers author and tag ids across calls, keyed by (table, name): a name's
    id never changes once its row exists, so a known name costs no statement. Keys are only
    ever added, at the end, so a caller can drop those of an entry it rolls back.
    ``verdict=False`` leaves out the verdict columns (migration 2 runs before they exist).
    """
    sql = _SQL[verdict]
    digest = records.content_hash(article)
    judged = ((article.get("verdict"), records.dumps(article.get("verdict_reasons") or []))
              if verdict and article.get("verdict") else (None, None))
    row = conn.execute(
        "SELECT a.id, a.version_count, a.first_seen, a.last_seen, v.content_hash"
        + (", a.verdict, a.verdict_reasons" if verdict else "")
        + " FROM articles a LEFT JOIN article_versions v ON v.id = a.current_version_id "
        "WHERE a.url = ?", (article["url"],)).fetchone()
    if row is not None:
        aid, version_count, first_seen, last_seen, current_hash = row[:5]
        # A capture seen before the article's latest one is history replayed (reextract in
        # place, a shard merged again): it is compared with the version in effect at its time,
        # so replaying the same WARCs adds nothing instead of a copy of every older version.
        known = (_known_hash(conn, aid, capture_id, seen)
                 if last_seen is not None and seen < last_seen or capture_id is not None
                 and _has_capture(conn, aid, capture_id) else current_hash)
        first_seen = min(filter(None, (first_seen, seen)))
        last_seen = max(filter(None, (last_seen, seen)))
        if known == digest:
            conn.execute("UPDATE articles SET first_seen = ?, last_seen = ? WHERE id = ?",
                         (first_seen, last_seen, aid))
            if verdict and judged[0] and known == current_hash and tuple(row[5:]) != judged:
                # Same text, judged anew (a row from before migration 4, or a newer extractor's
                # judgement): the verdict is about the extraction, so it follows the latest one.
                conn.execute("UPDATE articles SET verdict = ?, verdict_reasons = ? WHERE id = ?", (*judged, aid))
                conn.execute("UPDATE article_versions SET verdict = ?, verdict_reasons = ? "
                             "WHERE id = (SELECT current_version_id FROM articles WHERE id = ?)", (*judged, aid))
            return "unchanged"
        outcome = "version"
    else:
        aid, version_count, first_seen, last_seen = article_id, 0, seen, seen
        outcome = "new"

    version = version_count + 1
    authors_json = records.dumps(article["authors"])
    record_id = capture.record_id if capture is not None else None
    flat = (article["canonical_url"], records.site_of(article["url"]), article["headline"],
            article["description"], article["byline"], authors_json, article["published"],
            article["modified"], article["section"], records.dumps(article["tags"]),
            article["language"], article["site_name"], article["top_image"], article["body"],
            article["word_count"], records.dumps(article["captions"]),
            records.captions_text(article["captions"]), ", ".join(article["authors"]) or None,
            first_seen, last_seen, version, (capture.fetched_at if capture is not None else None) or seen,
            *((capture.filename, capture.offset, record_id, capture.payload_digest) if capture is not None
              else (None, None, None, None)),
            records.replay_url(capture.fetched_at, capture.url or article["url"])
            if record_id else None) + (judged if verdict else ())
    if outcome == "new":
        # The whole row at once: the insert trigger indexes its text for search once, where an
        # empty row completed by an UPDATE would be indexed, un-indexed and indexed again.
        # current_version_id follows the version's insert (the two rows point at each other).
        aid = conn.execute(sql["insert"], (aid, article["url"], *flat)).lastrowid

    cur = conn.execute(
        sql["version"],
        (aid, version, digest, article["headline"], article["description"], article["byline"],
         authors_json, article["published"], article["modified"],
         article["section"], article["language"], article["body"], article["word_count"],
         article["extractor_version"], capture_id, records.utc_now(), *(judged if verdict else ())))
    version_id = cur.lastrowid
    if article["captions"]:
        conn.executemany(
            "INSERT INTO images (version_id, position, src, alt, caption, credit) "
            "VALUES (?,?,?,?,?,?)",
            [(version_id, i, c["src"], c["alt"], c["caption"], c["credit"])
             for i, c in enumerate(article["captions"])])
    _link_names(conn, aid, article["authors"], "authors", name_ids)
    _link_names(conn, aid, article["tags"], "tags", name_ids)

    if outcome == "new":
        conn.execute("UPDATE articles SET current_version_id = ? WHERE id = ?", (version_id, aid))
    elif conn.execute(_SELECT_TEXT, (aid,)).fetchone() == tuple(flat[i] for i in _TEXT):
        # An UPDATE naming a text column makes the search index re-read the old text and index
        # the new; a version with the same text (a new modified date, section or byline) has
        # nothing to re-index.
        conn.execute(sql["update_not_text"], (*(flat[i] for i in sql["not_text"]), version_id, aid))
    else:
        conn.execute(sql["update"], (*flat, version_id, aid))
    return outcome


def _has_capture(conn, article_id, capture_id) -> bool:
    return conn.execute("SELECT 1 FROM article_versions WHERE article_id = ? AND capture_id = ?",
                        (article_id, capture_id)).fetchone() is not None


def _known_hash(conn, article_id, capture_id, seen) -> str | None:
    """The content hash of the version this capture gave, or else of the version in effect at
    ``seen`` (the latest one captured at or before it)."""
    if capture_id is not None:
        row = conn.execute("SELECT content_hash FROM article_versions WHERE article_id = ? "
                           "AND capture_id = ? ORDER BY version DESC LIMIT 1",
                           (article_id, capture_id)).fetchone()
        if row is not None:
            return row[0]
    versions = conn.execute(
        "SELECT COALESCE(c.fetched_at, v.created_at), v.version, v.content_hash "
        "FROM article_versions v LEFT JOIN captures c ON c.id = v.capture_id "
        "WHERE v.article_id = ? ORDER BY 1, 2", (article_id,)).fetchall()
    if not versions:
        return None
    # a capture older than every version compares with the first (it only moves first_seen)
    before = [v for v in versions if v[0] <= seen]
    return (before[-1] if before else versions[0])[2]


_LINKS = {
    "authors": ("DELETE FROM article_authors WHERE article_id = ?",
                "INSERT OR IGNORE INTO article_authors (article_id, author_id, position) "
                "VALUES (?, ?, ?)"),
    "tags": ("DELETE FROM article_tags WHERE article_id = ?",
             "INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)"),
}


def _link_names(conn, article_id, names, table, name_ids):
    """Replace the article's author (or tag) links with the current version's list."""
    delete, insert = _LINKS[table]
    conn.execute(delete, (article_id,))
    if not names:
        return
    ids = [_name_id(conn, table, name, name_ids) for name in names]
    if table == "authors":  # ordered: the byline's order
        conn.executemany(insert, [(article_id, i, pos) for pos, i in enumerate(ids)])
    else:
        conn.executemany(insert, [(article_id, i) for i in ids])


def _name_id(conn, table, name, name_ids):
    if name_ids is not None:
        known = name_ids.get((table, name))
        if known is not None:
            return known
    conn.execute(f"INSERT OR IGNORE INTO {table} (name) VALUES (?)", (name,))
    (name_id,) = conn.execute(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
    if name_ids is not None:
        name_ids[(table, name)] = name_id
    return name_id
