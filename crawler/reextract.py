"""Rebuild or update the dataset from the WARC files alone, without the network.

The WARCs are the source of truth; the dataset is derived from them.  Re-extraction walks every
record in file (hence time) order, records each capture, and runs the same classification and
extraction as the crawl, so a new extractor version can be applied to years of archive.  It is
idempotent: captures are keyed by WARC-Record-ID and unchanged articles add no version.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from archive.capture import Capture
from archive.reader import RecordNotFound, iter_file, warc_files, with_capture_metadata
from crawler.accounting import verdict_keys, verdict_summary
from crawler.dataset.writer import DatasetWriter
from crawler.analysis.discovery import sniff
from crawler.analysis.page import analyse
from crawler.analysis.robots_meta import bot_names, robots_directives
from crawler.provenance import article_columns, fields_columns, fields_hints, robots_columns

HTML_TYPES = ("text/html", "application/xhtml+xml")
BOT_NAMES = bot_names("newsarchive")  # the default User-Agent's product token and BOT_NAME
METAS_MAX = 100_000  # robots meta tags remembered for revisits (most pages have none)


@dataclass
class ReextractResult:
    files: int = 0
    records: int = 0
    captures: int = 0
    articles: int = 0
    stored: dict = field(default_factory=dict)  # the writer's counts: articles_new, versions, unchanged
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    # extract/verdict/ok|suspect and extract/suspect/REASON, as a crawl counts them
    verdicts: dict = field(default_factory=dict)

    def count(self, article: dict) -> None:
        self.articles += 1
        for key in verdict_keys(article):
            self.verdicts[key] = self.verdicts.get(key, 0) + 1

    def summary(self, db_path: Path) -> str:
        stored = self.stored
        return (f"WARC files {self.files}, records {self.records}, captures {self.captures}, "
                f"articles {stored.get('articles_new', 0)} new, {stored.get('versions', 0)} changed, "
                f"{stored.get('unchanged', 0)} unchanged (of {self.articles} article captures), "
                f"verdicts {verdict_summary(self.verdicts)}, "
                f"errors {len(self.errors)}, {self.elapsed:.1f} s -> {db_path}")


def _headers(record) -> dict:
    out: dict[str, str] = {}
    for name, value in record.http_headers.headers if record.http_headers else ():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def capture_of(entry) -> Capture:
    """The capture of a response or revisit record, as the crawl sent it."""
    return Capture.from_record(entry.record, entry.filename, entry.offset, entry.length)


def _robots(record, body: bytes | None, metas: dict) -> dict:
    """The directives the crawl recorded for this record: X-Robots-Tag, and the meta tags of
    its body, or for a revisit those of the response with the same payload read before."""
    tags = [v for n, v in record.http_headers.headers if n.lower() == "x-robots-tag"]
    directives = robots_directives(tags, body, BOT_NAMES)
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if directives.get("meta") and digest:
        if len(metas) >= METAS_MAX:
            metas.clear()
        metas[digest] = directives["meta"]
    elif record.rec_type == "revisit" and digest in metas:
        directives = {"meta": metas[digest], **directives}
    return directives


def _provenance(article: dict, capture: Capture, columns: dict, described: dict) -> dict | None:
    """The article's provenance columns as the crawl set them (``DatasetPipeline``), from its
    capture's metadata record; without one (an older archive) only its noarchive flag."""
    if described:
        return article_columns(article, fields_hints(columns), capture.fetched_at, columns.get("noarchive"))
    return {"noarchive": columns["noarchive"]} if columns.get("noarchive") else None


def file_entries(warcs: Path, result: ReextractResult, names: list[str] | None = None):
    """Every record of every closed WARC file; a damaged file is reported, the rest still read."""
    for name in names if names is not None else warc_files(str(warcs), include_open=False):
        try:
            yield from iter_file(str(warcs / name))
        except (RecordNotFound, OSError, EOFError, ValueError, zlib.error) as exc:
            result.errors.append(f"{name}: unreadable after this point ({exc}); run `newsarchive verify --repair`")


def read_into(writer: DatasetWriter, entries, crawl_id: int | None, result: ReextractResult,
              progress: Callable[[int, int], None] | None = None, skip: Collection[str] = (),
              digests=None) -> None:
    """Store the captures and articles of WARC ``entries`` through ``writer``, as crawl ``crawl_id``.

    Records whose WARC-Record-ID is in ``skip`` are counted but not read again (crash recovery
    skips what the dataset already holds); full responses also go to ``digests`` (a
    ``DigestIndex``) when given, so a later crawl writes revisits for them.
    """
    latest: dict[str, dict] = {}  # url -> the article extracted from its latest full response
    # payload digest -> the robots meta tags of a response: its revisits carry no body to read
    metas: dict[str, dict] = {}
    for entry, fields in with_capture_metadata(entries):
        result.records += 1
        record = entry.record
        if progress:
            progress(result.records, entry.length)
        if record.rec_type not in ("response", "revisit") or record.http_headers is None:
            continue
        if digests is not None and record.rec_type == "response" \
                and not record.rec_headers.get_header("WARC-Truncated"):
            digest = record.rec_headers.get_header("WARC-Payload-Digest")
            if digest:
                digests.add(record.url, digest, record.record_id, record.date, entry.filename, entry.offset)
        if record.record_id in skip:
            continue
        capture = capture_of(entry)
        # what the crawl stored about the capture, from its metadata record: how it was found,
        # the robots directives and the noarchive decision (crawler.provenance.CaptureProvenance)
        described = fields_columns(fields)
        page = (record.rec_type == "response" and capture.status == 200
                and (capture.mime or "text/html") in HTML_TYPES)
        html = record.rec_type == "response" and "html" in (capture.mime or "")
        try:
            body = record.body() if page or (html and not described) else None
        except Exception as exc:  # one bad record must not stop the rebuild
            result.errors.append(f"{capture.url}: {type(exc).__name__}: {exc}")
            page, html, body = False, False, None
        # the columns the crawl stored beside the WARC pointer: from the capture's metadata record
        # (how it was found, the robots directives, the noarchive decision: CaptureProvenance),
        # else, in an archive from before those records, the directives read from the response;
        # the crawl's noarchive policy is not known there, so a noarchive page is "recorded"
        columns = described or robots_columns(_robots(record, body if html else None, metas), BOT_NAMES, "record")
        writer.add_capture(capture, crawl_id, columns)
        result.captures += 1
        # NEWSARCHIVE_NOARCHIVE = "skip" at the crawl: no article row (extracted all the same,
        # as the crawl did, for a revisit that no longer says noarchive)
        stored = columns.get("noarchive") != "skipped"
        if record.rec_type == "revisit":
            # Identical payload: the article is what its original gave; only last_seen moves.
            article = latest.get(capture.url)
            if article is not None and stored:
                writer.add_article(article, capture, crawl_id, _provenance(article, capture, columns, described))
                result.count(article)
            continue
        if not page:
            continue
        try:
            headers = _headers(record)
            if sniff(body, headers.get("content-type")) != "html":
                continue
            # one parse, classified and extracted as the crawl does it (crawler.analysis.page)
            article = analyse(body, capture.url, headers, article=True, links=False,
                              fetched=capture.fetched_at)["article"]
            if article is None:
                continue
        except Exception as exc:  # one bad record must not stop the rebuild
            result.errors.append(f"{capture.url}: {type(exc).__name__}: {exc}")
            continue
        latest[capture.url] = article
        if stored:
            writer.add_article(article, capture, crawl_id, _provenance(article, capture, columns, described))
            result.count(article)


def reextract(archive: Path | str, db_path: Path | str | None = None,
              progress: Callable[[int, int], None] | None = None,
              names: list[str] | None = None) -> ReextractResult:
    """Walk every WARC record of ``archive`` (or of the files ``names``) into the dataset at ``db_path``."""
    archive = Path(archive)
    warcs = archive / "warcs"
    db_path = Path(db_path or archive / "archive.db")
    names = list(names) if names is not None else warc_files(str(warcs), include_open=False)
    result = ReextractResult(files=len(names))
    started = time.monotonic()
    with DatasetWriter(db_path) as writer:
        crawl_id = writer.begin_crawl(spider="reextract", job="reextract",
                                      args={"archive": str(archive)})
        read_into(writer, file_entries(warcs, result, names), crawl_id, result, progress=progress)
        result.elapsed = time.monotonic() - started
        writer.end_crawl(crawl_id, status="finished" if not result.errors else "finished_with_errors",
                         stats={"records": result.records, "captures": result.captures,
                                "articles": result.articles, "errors": len(result.errors), **result.verdicts})
        result.stored = dict(writer.counts)
    return result


def not_extracted(archive: Path | str, db_path: Path | str | None = None,
                  names: list[str] | None = None) -> list[str]:
    """The closed WARC files the dataset holds no capture of yet (``reextract --new``).

    Each file is probed by its first response or revisit record, looked up by WARC-Record-ID
    through the captures' unique index: a few KB read per file and nothing re-extracted, so an
    update costs the new files, not the archive. (A file a crash left half-stored is completed
    by the crash recovery, which re-reads what the dataset had not committed.)"""
    import sqlite3

    archive = Path(archive)
    warcs = archive / "warcs"
    db_path = Path(db_path or archive / "archive.db")
    names = list(names) if names is not None else warc_files(str(warcs), include_open=False)
    if not db_path.exists():
        return names
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'captures'").fetchone():
            return names
        new = []
        for name in names:
            first = None
            try:
                for entry in iter_file(str(warcs / name)):
                    if entry.record.rec_type in ("response", "revisit"):
                        first = entry.record.record_id
                        break
            except (RecordNotFound, OSError, EOFError, ValueError, zlib.error):
                pass  # unreadable: reextract reports it
            if first is None or not conn.execute(
                    "SELECT 1 FROM captures WHERE warc_record_id = ?", (first,)).fetchone():
                new.append(name)
        return new
    finally:
        conn.close()
