"""The dataset's tables, declared once and turned into CREATE statements by sqlite-utils.

Every column has an explicit type: sqlite-utils would otherwise infer types from the first
batch, and a first row with None makes an INTEGER column TEXT.
``docs/dataset.md`` documents each column; keep the two in step.
"""

from __future__ import annotations

import sqlite_utils

# --- migration 1: the foundation minimum -------------------------------------------------

CRAWLS = {
    "columns": {"id": int, "started": str, "finished": str, "status": str, "stats": str,
                "job": str, "args": str},
    "pk": "id",
    "not_null": ["started"],
}

ARTICLES_V1 = {
    "columns": {
        "url": str, "canonical_url": str, "headline": str, "byline": str, "authors": str,
        "published": str, "modified": str, "section": str, "language": str, "site_name": str,
        "description": str, "body": str, "word_count": int, "captions": str, "fetched_at": str,
        "warc_filename": str, "warc_offset": int, "warc_record_id": str, "payload_digest": str,
    },
    "pk": "url",
}

V1_TABLES = {"crawls": CRAWLS, "articles": ARTICLES_V1}

# --- migration 2: captures, one row per article, versions, authors, images, tags ----------

CAPTURES = {
    "columns": {
        "id": int, "url": str, "status": int, "mime": str, "fetched_at": str,
        "payload_digest": str, "warc_filename": str, "warc_offset": int, "warc_length": int,
        "warc_record_id": str, "revisit": int, "refers_to_record_id": str, "ip": str,
        "error": str, "crawl_id": int, "replay_url": str,
    },
    "pk": "id",
    "not_null": ["url", "revisit"],
    "defaults": {"revisit": 0},
    "foreign_keys": [("crawl_id", "crawls", "id")],
}

# The flat current-version columns of migration 1 stay: one wide table is what researchers
# and Datasette facets want; the normalised tables below hold history and relations.
ARTICLES = {
    "columns": {
        "id": int, "url": str, "canonical_url": str, "site": str,
        "headline": str, "description": str, "byline": str, "authors": str,
        "published": str, "modified": str, "section": str, "tags": str, "language": str,
        "site_name": str, "top_image": str, "body": str, "word_count": int, "captions": str,
        "captions_text": str, "authors_text": str,
        "first_seen": str, "last_seen": str, "version_count": int, "current_version_id": int,
        "fetched_at": str, "warc_filename": str, "warc_offset": int, "warc_record_id": str,
        "payload_digest": str, "replay_url": str,
    },
    "pk": "id",
    "not_null": ["url", "version_count"],
    "defaults": {"version_count": 0},
    "foreign_keys": [("current_version_id", "article_versions", "id")],
}

ARTICLE_VERSIONS = {
    "columns": {
        "id": int, "article_id": int, "version": int, "content_hash": str,
        "headline": str, "description": str, "byline": str, "authors": str,
        "published": str, "modified": str, "section": str, "language": str,
        "body": str, "word_count": int, "extractor_version": str,
        "capture_id": int, "created_at": str,
    },
    "pk": "id",
    "not_null": ["article_id", "version", "content_hash", "created_at"],
    "foreign_keys": [("article_id", "articles", "id"), ("capture_id", "captures", "id")],
}

AUTHORS = {"columns": {"id": int, "name": str}, "pk": "id", "not_null": ["name"]}

ARTICLE_AUTHORS = {
    "columns": {"article_id": int, "author_id": int, "position": int},
    "pk": ("article_id", "author_id"),
    "not_null": ["position"],
    "foreign_keys": [("article_id", "articles", "id"), ("author_id", "authors", "id")],
}

IMAGES = {
    "columns": {"id": int, "version_id": int, "position": int, "src": str, "alt": str,
                "caption": str, "credit": str},
    "pk": "id",
    "not_null": ["version_id", "position"],
    "foreign_keys": [("version_id", "article_versions", "id")],
}

TAGS = {"columns": {"id": int, "name": str}, "pk": "id", "not_null": ["name"]}

ARTICLE_TAGS = {
    "columns": {"article_id": int, "tag_id": int},
    "pk": ("article_id", "tag_id"),
    "foreign_keys": [("article_id", "articles", "id"), ("tag_id", "tags", "id")],
}

V2_TABLES = {
    "captures": CAPTURES, "articles": ARTICLES, "article_versions": ARTICLE_VERSIONS,
    "authors": AUTHORS, "article_authors": ARTICLE_AUTHORS, "images": IMAGES,
    "tags": TAGS, "article_tags": ARTICLE_TAGS,
}

# (index name, table, columns, unique)
V2_INDEXES = [
    ("idx_articles_url", "articles", ["url"], True),
    ("idx_articles_site_published", "articles", ["site", "published"], False),
    ("idx_articles_published", "articles", ["published"], False),
    ("idx_articles_section", "articles", ["section"], False),
    ("idx_articles_canonical_url", "articles", ["canonical_url"], False),
    ("idx_articles_last_seen", "articles", ["last_seen"], False),
    ("idx_article_versions_article_version", "article_versions", ["article_id", "version"], True),
    ("idx_article_versions_capture", "article_versions", ["capture_id"], False),
    ("idx_authors_name", "authors", ["name"], True),
    ("idx_article_authors_author", "article_authors", ["author_id"], False),
    ("idx_images_version", "images", ["version_id"], False),
    ("idx_tags_name", "tags", ["name"], True),
    ("idx_article_tags_tag", "article_tags", ["tag_id"], False),
    ("idx_captures_url", "captures", ["url"], False),
    ("idx_captures_payload_digest", "captures", ["payload_digest"], False),
    ("idx_captures_record_id", "captures", ["warc_record_id"], True),
    ("idx_captures_crawl", "captures", ["crawl_id"], False),
    ("idx_captures_fetched_at", "captures", ["fetched_at"], False),
]

# --- migration 3: full-text search over the current version --------------------------------

FTS_TABLE = "articles_fts"
FTS_COLUMNS = ["headline", "description", "body", "captions_text", "authors_text"]


# --- migration 4: the extraction verdict ----------------------------------------------------

# Added with ALTER TABLE to ``articles`` (the current version's) and ``article_versions``.
VERDICT_COLUMNS = {"verdict": str, "verdict_reasons": str}
V4_INDEXES = [("idx_articles_verdict", "articles", ["verdict"], False)]


# --- migration 6: robots directives and discovery provenance -------------------------------

# Added with ALTER TABLE to ``captures``: what the page said about robots, and how the crawl
# found the URL (the spider's hints: crawler/provenance.py).
CAPTURE_POLICY_COLUMNS = {
    "robots": str, "noarchive": str,
    "found_by": str, "found_on": str, "depth": int,
    "news_title": str, "news_published": str, "news_keywords": str, "news_language": str,
    "feed_title": str, "feed_published": str, "sitemap_lastmod": str,
}
# ... and to ``articles`` (the latest capture's): how it was found, the flag, and where
# ``published`` came from when discovery had a date for it.
ARTICLE_POLICY_COLUMNS = {
    "found_by": str, "found_on": str, "noarchive": str,
    "published_from": str, "discovered_published": str, "published_disagrees": int,
}
V6_INDEXES = [("idx_captures_noarchive", "captures", ["noarchive"], False),
              ("idx_articles_found_by", "articles", ["found_by"], False)]

_SQL_TYPES = {str: "TEXT", int: "INTEGER"}


def add_column_statements(table: str, columns: dict) -> list[str]:
    return [f"ALTER TABLE [{table}] ADD COLUMN [{c}] {_SQL_TYPES[t]}" for c, t in columns.items()]


def create_table_statements(tables: dict) -> list[str]:
    """CREATE TABLE statements for ``tables``, generated by sqlite-utils.

    Generated against a scratch in-memory database holding stub tables, because sqlite-utils
    checks that foreign-key targets exist and ``articles`` and ``article_versions`` point at
    each other. The statements then run inside the migration's own transaction.
    """
    scratch = sqlite_utils.Database(memory=True)
    for name, spec in {**V1_TABLES, **V2_TABLES, **tables}.items():
        if name not in scratch.table_names():
            scratch[name].create(dict(spec["columns"]), pk=spec["pk"])
    statements = []
    for name, spec in tables.items():
        statements.append(scratch.create_table_sql(
            name, spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys"),
            not_null=spec.get("not_null"), defaults=spec.get("defaults"),
            column_order=list(spec["columns"]),
        ))
    return statements


def create_index_statements(indexes) -> list[str]:
    out = []
    for name, table, columns, unique in indexes:
        cols = ", ".join(f"[{c}]" for c in columns)
        out.append(f"CREATE {'UNIQUE ' if unique else ''}INDEX [{name}] ON [{table}] ({cols})")
    return out


def fts_statements() -> list[str]:
    """External-content FTS5 table named as sqlite-utils names it, so Datasette finds it.

    Our own triggers instead of sqlite-utils' ``enable_fts(create_triggers=True)`` ones: those
    re-index an article's whole body on every UPDATE, and most updates only move last_seen.
    """
    cols = ", ".join(f"[{c}]" for c in FTS_COLUMNS)
    new = ", ".join(f"new.[{c}]" for c in FTS_COLUMNS)
    old = ", ".join(f"old.[{c}]" for c in FTS_COLUMNS)
    t = FTS_TABLE
    return [
        f"CREATE VIRTUAL TABLE [{t}] USING FTS5 ({cols}, tokenize='porter', content=[articles])",
        f"CREATE TRIGGER [articles_ai] AFTER INSERT ON [articles] BEGIN\n"
        f"  INSERT INTO [{t}] (rowid, {cols}) VALUES (new.rowid, {new});\nEND",
        f"CREATE TRIGGER [articles_ad] AFTER DELETE ON [articles] BEGIN\n"
        f"  INSERT INTO [{t}] ([{t}], rowid, {cols}) VALUES('delete', old.rowid, {old});\nEND",
        f"CREATE TRIGGER [articles_au] AFTER UPDATE OF {cols} ON [articles] BEGIN\n"
        f"  INSERT INTO [{t}] ([{t}], rowid, {cols}) VALUES('delete', old.rowid, {old});\n"
        f"  INSERT INTO [{t}] (rowid, {cols}) VALUES (new.rowid, {new});\nEND",
        f"INSERT INTO [{t}] ([{t}]) VALUES ('rebuild')",
    ]


# --- migration 5: row counts kept by triggers ------------------------------------------------

# ``status`` reports these totals; COUNT(*) and GROUP BY read every row (seconds at millions of
# captures), so SQLite's own triggers keep them as rows change, whichever writer changes them
# (the crawl's DatasetWriter, reextract, recovery, merge, or SQL typed by hand).
COUNTS_TABLE = "counts"
COUNTED_TABLES = ("crawls", "captures", "articles", "article_versions")
# Keys besides the table names: "verdict:ok|suspect|" (NULL counted as ""), and
# "reason:REASON" for each reason of each suspect article, as status shows them.
VERDICT_KEY = "'verdict:' || coalesce({row}.verdict, '')"
# The reasons of a suspect row, as a JSON array; unreadable JSON counts as none rather than
# failing the write that carries it.
SUSPECT_REASONS = ("CASE WHEN {row}.verdict = 'suspect' AND json_valid({row}.verdict_reasons) "
                   "THEN {row}.verdict_reasons ELSE '[]' END")
# What the counters must equal: verify compares them, the migration fills them from it.
ACTUAL_COUNTS = " UNION ALL ".join(
    [f"SELECT '{t}' AS name, count(*) AS n FROM [{t}]" for t in COUNTED_TABLES]
    + [f"SELECT {VERDICT_KEY.format(row='a')}, count(*) FROM articles a GROUP BY 1",
       f"SELECT 'reason:' || r.value, count(*) FROM articles a, "
       f"json_each({SUSPECT_REASONS.format(row='a')}) r GROUP BY 1"])


def counts_statements() -> list[str]:
    """The counts table, its triggers, and its rows filled from the rows already stored."""
    c = COUNTS_TABLE
    bump = (f"INSERT INTO [{c}] (name, n) {{select}} WHERE true "
            f"ON CONFLICT(name) DO UPDATE SET n = n + excluded.n;")
    drop = (f"UPDATE [{c}] SET n = n - (SELECT count(*) FROM json_each({{reasons}}) j "
            f"WHERE 'reason:' || j.value = [{c}].name) "
            f"WHERE name IN (SELECT 'reason:' || value FROM json_each({{reasons}}));")

    def verdict_in(row: str) -> str:
        return (bump.format(select=f"SELECT {VERDICT_KEY.format(row=row)}, 1") + "\n  "
                + bump.format(select=f"SELECT 'reason:' || value, 1 FROM json_each("
                                     f"{SUSPECT_REASONS.format(row=row)})"))

    def verdict_out(row: str) -> str:
        return (f"UPDATE [{c}] SET n = n - 1 WHERE name = {VERDICT_KEY.format(row=row)};\n  "
                + drop.format(reasons=SUSPECT_REASONS.format(row=row)))

    out = [f"CREATE TABLE [{c}] ([name] TEXT PRIMARY KEY, [n] INTEGER NOT NULL)"]
    for t in COUNTED_TABLES:
        out += [f"CREATE TRIGGER [{c}_{t}_ai] AFTER INSERT ON [{t}] BEGIN\n"
                f"  UPDATE [{c}] SET n = n + 1 WHERE name = '{t}';\nEND",
                f"CREATE TRIGGER [{c}_{t}_ad] AFTER DELETE ON [{t}] BEGIN\n"
                f"  UPDATE [{c}] SET n = n - 1 WHERE name = '{t}';\nEND"]
    out += [f"CREATE TRIGGER [{c}_verdict_ai] AFTER INSERT ON [articles] BEGIN\n  {verdict_in('new')}\nEND",
            f"CREATE TRIGGER [{c}_verdict_ad] AFTER DELETE ON [articles] BEGIN\n  {verdict_out('old')}\nEND",
            f"CREATE TRIGGER [{c}_verdict_au] AFTER UPDATE OF verdict, verdict_reasons ON [articles] BEGIN\n"
            f"  {verdict_out('old')}\n  {verdict_in('new')}\nEND",
            f"INSERT INTO [{c}] (name, n) SELECT name, sum(n) FROM ({ACTUAL_COUNTS}) GROUP BY name"]
    return out
