"""The foundation, end to end: a real crawl of the demo site through the real CLI.

Everything here reads the output of one crawl (the ``demo_crawl`` fixture) and checks it against
the demo site's own manifest, so a regression in discovery, archiving or storage shows up as a
wrong count or a wrong value, not as "it ran".
"""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from cli_helpers import reachable_paths, warcio_check
from crawler.demo.manifest import manifest

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def warc_records(archive: Path):
    for path in sorted((archive / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                yield path, record


def test_every_allowed_url_fetched_exactly_once(demo_crawl):
    rows = manifest()
    hits = demo_crawl["hits"]
    expected = reachable_paths(rows)
    assert {p: n for p, n in hits.items() if n != 1} == {}, "a URL was fetched more than once"
    assert expected <= set(hits), f"never fetched: {sorted(expected - set(hits))}"
    disallowed = {row["path"] for row in rows if row.get("disallowed")}
    assert disallowed and not (disallowed & set(hits))


def test_article_rows_match_demo_articles(demo_crawl):
    articles = {row["path"]: row for row in manifest() if row["kind"] == "article"}
    assert len(articles) >= 20
    db = sqlite3.connect(demo_crawl["archive"] / "archive.db")
    rows = dict(db.execute("select url, headline from articles"))
    base = demo_crawl["url"]
    got = {url[len(base):]: headline for url, headline in rows.items()}
    assert set(got) == set(articles)
    wrong = {p: (got[p], a["headline"]) for p, a in articles.items() if got[p] != a["headline"]}
    assert wrong == {}


def test_app_articles_without_a_browser(demo_crawl):
    """The story in ``__NEXT_DATA__`` is extracted by a plain crawl; the one only a script draws
    stays empty and says so (tests/test_browser_capture.py gets it with the browser)."""
    from crawler.demo.apps import APP_ARTICLES, HYDRATED_PATH, RENDERED_PATH

    db = sqlite3.connect(demo_crawl["archive"] / "archive.db")
    rows = {url[len(demo_crawl["url"]):]: (body, reasons)
            for url, body, reasons in db.execute("select url, body, verdict_reasons from articles")}
    hydrated = next(a for a in APP_ARTICLES if a["path"] == HYDRATED_PATH)
    assert rows[HYDRATED_PATH] == ("\n\n".join(hydrated["paragraphs"]), '["body-from-embedded-data"]')
    assert rows[RENDERED_PATH] == ("", '["empty-body"]')


def test_warcs_pass_warcio_check(demo_crawl):
    files = sorted((demo_crawl["archive"] / "warcs").glob("*.warc.gz"))
    assert files, "no closed WARC file"
    assert not list((demo_crawl["archive"] / "warcs").glob("*.open"))
    assert warcio_check(files) == []


def test_warc_holds_a_response_per_fetched_url(demo_crawl):
    base = demo_crawl["url"]
    first = None
    responses, requests = {}, set()
    for path, record in warc_records(demo_crawl["archive"]):
        first = first or record.rec_type
        uri = record.rec_headers.get_header("WARC-Target-URI")
        if record.rec_type == "response":
            responses[uri] = record.http_headers.get_statuscode()
        elif record.rec_type == "request":
            requests.add(uri)
    assert first == "warcinfo"
    fetched = {base + p for p in demo_crawl["hits"]}
    assert fetched - set(responses) == set()
    assert set(responses) <= requests


def test_gzip_bodies_stay_compressed_and_redirect_is_kept(demo_crawl):
    rows = manifest()
    base = demo_crawl["url"]
    gzip_urls = {base + r["path"] for r in rows if r.get("transfer") == "gzip"}
    redirects = {base + r["path"]: r["redirect_to"] for r in rows if r["kind"] == "redirect"}
    assert gzip_urls and redirects
    seen_gzip, seen_redirects = set(), {}
    for _, record in warc_records(demo_crawl["archive"]):
        if record.rec_type != "response":
            continue
        uri = record.rec_headers.get_header("WARC-Target-URI")
        if uri in gzip_urls:
            raw = record.raw_stream.read()
            assert record.http_headers.get_header("Content-Encoding") == "gzip"
            assert int(record.http_headers.get_header("Content-Length")) == len(raw)
            assert gzip.decompress(raw).lstrip().lower().startswith((b"<!doctype", b"<html", b"<?xml"))
            seen_gzip.add(uri)
        if uri in redirects:
            seen_redirects[uri] = (record.http_headers.get_statuscode(),
                                   record.http_headers.get_header("Location"))
    assert seen_gzip == gzip_urls
    for uri, target in redirects.items():
        status, location = seen_redirects[uri]
        assert status.startswith("30") and location.endswith(target)


def test_article_rows_point_at_their_own_response_record(demo_crawl):
    archive = demo_crawl["archive"]
    db = sqlite3.connect(archive / "archive.db")
    rows = db.execute("select url, warc_filename, warc_offset, warc_record_id, payload_digest from articles").fetchall()
    assert rows
    for url, filename, offset, record_id, digest in rows:
        with open(archive / "warcs" / filename, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Record-ID") == record_id
        assert record.rec_headers.get_header("WARC-Target-URI") == url
        assert record.rec_headers.get_header("WARC-Payload-Digest") == digest
        assert record.rec_type == "response"


def test_crawl_prints_a_summary(demo_crawl):
    out = demo_crawl["proc"].stdout
    for label in ("pages ", "page requisites ", "discovery fetches ", "articles extracted", "WARC files",
                  "errors", "elapsed"):
        assert label in out
    assert "Traceback" not in demo_crawl["proc"].stderr
    # exactly the files this crawl wrote, with their size
    warcs = sorted((demo_crawl["archive"] / "warcs").glob("*.warc.gz"))
    line = next(line for line in out.splitlines() if line.startswith("WARC files"))
    assert line.split()[2] == str(len(warcs)) and len(warcs) >= 1
    # every stored article was judged, and the summary counts the verdicts the dataset holds
    db = sqlite3.connect(demo_crawl["archive"] / "archive.db")
    counts = dict(db.execute("select verdict, count(*) from articles group by verdict").fetchall())
    assert set(counts) <= {"ok", "suspect"} and counts.get("ok", 0) >= 20
    verdicts = next(line for line in out.splitlines() if line.startswith("verdicts"))
    assert verdicts.split()[1:5] == [str(counts.get("ok", 0)), "ok,", str(counts.get("suspect", 0)), "suspect"]


def test_crawl_is_recorded_in_crawls_table(demo_crawl):
    db = sqlite3.connect(demo_crawl["archive"] / "archive.db")
    started, finished, status = db.execute("select started, finished, status from crawls").fetchone()
    assert started and finished and status == "finished"
