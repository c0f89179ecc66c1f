"""The dataset's tables, declared once and turned into CREATE statements by sqlite-utils.

Every column has an explicit type: sqlite-utils would otherwise infer types from the first
batch, and a first row with None makes an INTEGER column TEXT (platform notes P9).
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
