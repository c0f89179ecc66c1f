"""The extraction verdict in the dataset: stored with each version, filterable in search and
export, counted by status, judged anew on an unchanged re-extraction, NULL (not ``ok``) on rows
from before migration 4."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from archive.capture import Capture
from cli_helpers import run_cli
from crawler.extract import extract
from crawler.status import archive_status
from crawler.dataset.errors import DatasetError
from crawler.dataset.export import iter_articles
from crawler.dataset.migrations import migrate
from crawler.dataset.search import search
from crawler.dataset.writer import DatasetWriter

STORY = ("The harbour bridge will be rebuilt after engineers found cracks in its steel supports, "
         "the council said on Tuesday. About forty thousand vehicles cross the harbour bridge each day. ")


def _page(headline: str, body: str) -> bytes:
    return (f"<html><head><title>{headline}</title></head><body><article><h1>{headline}</h1>{body}"
            f"</article></body></html>").encode()


def _capture(n: int, url: str) -> Capture:
    return Capture(url=url, status=200, mime="text/html", fetched_at=f"2026-11-24T0{n}:00:00.000000Z",
                   filename="a.warc.gz", offset=100 * n, length=90,
                   record_id=f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>", payload_digest=f"sha1:D{n}")


@pytest.fixture
def judged(tmp_path):
    """A dataset of three extracted pages: one good, one empty, one about another story."""
    archive = tmp_path / "archive"
    archive.mkdir()
    pages = {
        "https://news.example/bridge": _page("Harbour bridge to be rebuilt after cracks found",
                                             "".join(f"<p>{STORY} Detail {i}.</p>" for i in range(5))),
        "https://news.example/empty": _page("Harbour bridge vote delayed", "<div><a href='/'>Home</a></div>"),
        "https://news.example/offtopic": _page(
            "Missile launch prompts emergency alerts across northern Japan",
            "".join(f"<p>{STORY} Detail {i}.</p>" for i in range(5))),
    }
    articles = {url: extract(html, url).to_dict() for url, html in pages.items()}
    with DatasetWriter(archive / "archive.db") as writer:
        crawl = writer.begin_crawl(job="t")
        for n, (url, article) in enumerate(articles.items(), 1):
            writer.add_capture(_capture(n, url), crawl)
            writer.add_article(article, _capture(n, url), crawl)
        writer.end_crawl(crawl, "finished", {})
    return archive, articles


def test_verdict_and_reasons_round_trip_through_the_writer(judged):
    archive, articles = judged
    assert articles["https://news.example/bridge"]["verdict"] == "ok"
    conn = sqlite3.connect(archive / "archive.db")
    rows = {url: (v, json.loads(r)) for url, v, r in conn.execute("SELECT url, verdict, verdict_reasons FROM articles")}
    assert rows == {"https://news.example/bridge": ("ok", []),
                    "https://news.example/empty": ("suspect", ["empty-body"]),
                    "https://news.example/offtopic": ("suspect", ["off-topic-body"])}
    versions = conn.execute("SELECT a.url, v.verdict, v.verdict_reasons FROM article_versions v "
                            "JOIN articles a ON a.id = v.article_id ORDER BY a.url").fetchall()
    assert [(u, v, json.loads(r)) for u, v, r in versions] == [(u, *rows[u]) for u in sorted(rows)]


@pytest.mark.slow
def test_search_and_export_filter_on_verdict_and_reason(judged):
    archive, _ = judged
    db = archive / "archive.db"
    assert [r["url"] for r in search(db, "harbour", verdict="ok")] == ["https://news.example/bridge"]
    found = search(db, "harbour", verdict="suspect")
    assert {r["url"] for r in found} == {"https://news.example/empty", "https://news.example/offtopic"}
    assert all(r["verdict"] == "suspect" and r["verdict_reasons"] for r in found)
    assert [r["url"] for r in iter_articles(db, reason="off-topic-body")] == ["https://news.example/offtopic"]
    assert [r["verdict_reasons"] for r in iter_articles(db, verdict="suspect", reason="empty-body")] == [["empty-body"]]
    assert list(iter_articles(db, reason="paywalled")) == []
    with pytest.raises(DatasetError, match="--reason expects one of"):
        list(iter_articles(db, reason="teaser"))
    # the command line: one clear error line for a bad value; CSV keeps the reasons as JSON text
    proc = run_cli("export", "--archive", archive, "--format", "csv", "--verdict", "suspect")
    assert proc.returncode == 0, proc.stderr
    out = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert sorted((r["url"], json.loads(r["verdict_reasons"])[0]) for r in out) == [
        ("https://news.example/empty", "empty-body"), ("https://news.example/offtopic", "off-topic-body")]
    proc = run_cli("search", "harbour", "--archive", archive, "--verdict", "maybe")
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [
        "Error: --verdict expects one of ok, suspect, got 'maybe'"]


def test_status_counts_articles_by_verdict_and_reason(judged):
    archive, _ = judged
    lines = archive_status(archive)
    assert "verdicts   1 ok, 2 suspect (empty-body 1, off-topic-body 1)" in lines


def test_unchanged_text_judged_anew_keeps_its_version_and_takes_the_new_verdict(judged):
    archive, articles = judged
    url = "https://news.example/bridge"
    rejudged = {**articles[url], "verdict": "suspect", "verdict_reasons": ["teaser-only"]}
    with DatasetWriter(archive / "archive.db") as writer:
        writer.add_article(rejudged, _capture(9, url))
        writer.flush()
        assert writer.counts["unchanged"] == 1
    conn = sqlite3.connect(archive / "archive.db")
    assert conn.execute("SELECT a.verdict, a.verdict_reasons, v.verdict, a.version_count FROM articles a "
                        "JOIN article_versions v ON v.id = a.current_version_id WHERE a.url = ?",
                        (url,)).fetchone() == ("suspect", '["teaser-only"]', "suspect", 1)


def test_rows_from_before_migration_4_are_not_judged_until_reextracted(tmp_path):
    db = tmp_path / "archive" / "archive.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=3)
    from crawler.dataset import records
    from crawler.dataset.versions import store_article

    conn.execute("BEGIN")
    store_article(conn, records.normalise({"url": "https://old.example/a", "headline": "Old",
                                           "body": "Old text."}), None, None, "2026-01-01T00:00:00Z",
                  verdict=False)
    conn.execute("COMMIT")
    conn.close()
    with DatasetWriter(db):  # upgrades to migration 4
        pass
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT verdict, verdict_reasons FROM articles").fetchall() == [(None, None)]
    assert list(iter_articles(db, verdict="ok")) == [] and list(iter_articles(db, verdict="suspect")) == []
    assert any(line.startswith("verdicts   0 ok, 0 suspect, 1 not judged") for line in archive_status(db.parent))
