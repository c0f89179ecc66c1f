"""Articles out of SQLite into the formats analysis tools read: CSV, JSON Lines, Parquet.

One row per article with its current version; authors, tags and captions stay structured
(lists) in JSON Lines and Parquet, and become JSON text in CSV, which has no nesting.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from crawler.dataset.errors import DatasetError
from crawler.dataset.filters import article_filters
from crawler.dataset.migrations import ensure_current
from crawler.dataset.query import open_readonly
from crawler.dataset.schema import FTS_TABLE
from crawler.dataset.search import match_expression

FORMATS = ("csv", "jsonl", "parquet")
COLUMNS = [
    "id", "url", "canonical_url", "site", "site_name", "headline", "description", "byline",
    "authors", "published", "modified", "section", "tags", "language", "top_image", "body",
    "word_count", "captions", "verdict", "verdict_reasons", "version", "version_count", "extractor_version",
    "first_seen",
    "last_seen", "fetched_at", "warc_filename", "warc_offset", "warc_record_id",
    "payload_digest", "replay_url",
]
JSON_COLUMNS = ("authors", "tags", "captions", "verdict_reasons")


def _select(conn, site, since, until, author, query, verdict=None, reason=None):
    where, params = article_filters(site, since, until, author, verdict=verdict, reason=reason)
    if query:
        where.append(f"a.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
        params.append(match_expression(conn, query))
    cols = ", ".join("v.version" if c == "version" else
                     "v.extractor_version" if c == "extractor_version" else f"a.{c}"
                     for c in COLUMNS)
    sql = (f"SELECT {cols} FROM articles a LEFT JOIN article_versions v "
           f"ON v.id = a.current_version_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.id")
    return sql, params


def iter_articles(db_path, site=None, since=None, until=None, author=None, query=None, verdict=None,
                  reason=None):
    """Article dicts, lists decoded, in id order; bad filters fail here, before any output."""
    conn = open_readonly(db_path)
    try:
        sql, params = _select(conn, site, since, until, author, query, verdict, reason)
        cursor = conn.execute(sql, params)
    except BaseException:
        conn.close()
        raise
    return _rows(conn, cursor)


def _rows(conn, cursor):
    try:
        for row in cursor:
            item = dict(zip(COLUMNS, row))
            for key in JSON_COLUMNS:
                item[key] = json.loads(item[key]) if item[key] else []
            yield item
    finally:
        conn.close()


def export_articles(db_path, fmt: str, output=None, site=None, since=None, until=None,
                    author=None, query=None, verdict=None, reason=None) -> int:
    """Write the matching articles to ``output`` (a path, or stdout when None); returns the count.

    ``query`` selects by full-text search, with the same syntax as ``search``.
    Written to a temporary name first, so a failed export never leaves half a file behind.
    """
    if fmt not in FORMATS:
        raise DatasetError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ensure_current(db_path)
    rows = iter_articles(db_path, site, since, until, author, query, verdict, reason)
    if fmt == "parquet" and output is None:
        raise DatasetError("parquet is binary: give --output FILE")
    writer = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}[fmt]
    if output is None:
        return writer(rows, sys.stdout)
    target = Path(output)
    tmp = target.with_name(target.name + ".part")
    try:
        if fmt == "parquet":
            count = writer(rows, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                count = writer(rows, fh)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DatasetError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def _write_csv(rows, fh) -> int:
    out = csv.DictWriter(fh, fieldnames=COLUMNS)
    out.writeheader()
    count = 0
    for row in rows:
        for key in JSON_COLUMNS:
            row[key] = json.dumps(row[key], ensure_ascii=False)
        out.writerow(row)
        count += 1
    return count


def _write_jsonl(rows, fh) -> int:
    count = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _parquet_schema():
    import pyarrow as pa

    caption = pa.struct([(k, pa.string()) for k in ("src", "alt", "caption", "credit")])
    ints = {"id", "word_count", "version", "version_count", "warc_offset"}
    fields = []
    for col in COLUMNS:
        if col in ("authors", "tags", "verdict_reasons"):
            fields.append((col, pa.list_(pa.string())))
        elif col == "captions":
            fields.append((col, pa.list_(caption)))
        else:
            fields.append((col, pa.int64() if col in ints else pa.string()))
    return pa.schema(fields)


def _write_parquet(rows, path, chunk: int = 1000) -> int:
    """Written in row groups of ``chunk`` articles so memory stays flat on big datasets."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    count = 0
    with pq.ParquetWriter(str(path), schema) as out:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                out.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch or count == 0:
            out.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
