"""The issue's acceptance path end to end: real crawls of the demo site through the real CLI
(edition 1, then edition 2 on the same server), then search, diff and export on the result."""

from __future__ import annotations

import json
import sqlite3

import pytest

from cli_helpers import crawl_demo, run_cli

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

TODAY = "/popculture/story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932"
PORT_STORY = "/business/2026/11/21/port-authority-cargo-report"


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory):
    from crawler.demo.server import DemoServer

    archive = tmp_path_factory.mktemp("dataset-recrawl") / "archive"
    with DemoServer(edition=1) as server:
        crawl_demo(server, archive)
        server.edition = 2
        crawl_demo(server, archive)
        url = server.url
    edited = {url + p for p, r in _site(2).items() if r.kind == "article" and r.info.get("edited")}
    return {"archive": archive, "url": url, "edited": edited}


def _site(edition):
    from dataset_helpers import get_site

    return get_site(edition)


def test_search_over_the_crawled_demo_puts_the_today_article_first(recrawled):
    proc = run_cli("search", "Pam first kiss", "--archive", recrawled["archive"], "--json", check=True)
    first = json.loads(proc.stdout.splitlines()[0])
    assert first["url"] == recrawled["url"] + TODAY
    assert "[kiss]" in first["snippet"]


def test_edition_2_recrawl_gives_two_versions_to_the_edited_articles_only(recrawled):
    conn = sqlite3.connect(recrawled["archive"] / "archive.db")
    versions = dict(conn.execute("SELECT url, version_count FROM articles"))
    assert len(versions) >= 20
    assert {u for u, n in versions.items() if n > 1} == recrawled["edited"]
    assert set(versions.values()) == {1, 2}
    # the second crawl's unchanged pages came back as revisits and still moved last_seen
    assert conn.execute("SELECT count(*) FROM crawls WHERE finished IS NOT NULL").fetchone()[0] == 2
    assert conn.execute("SELECT sum(revisit) FROM captures").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM articles WHERE last_seen > first_seen").fetchone()[0] == len(versions)
    # every article row still points at a real WARC record of its current version
    assert conn.execute("SELECT count(*) FROM articles a JOIN captures c ON c.warc_record_id = a.warc_record_id "
                        "WHERE c.revisit = 0").fetchone()[0] == len(versions)


def test_diff_shows_the_changed_headline(recrawled):
    proc = run_cli("diff", recrawled["url"] + PORT_STORY, "--archive", recrawled["archive"], check=True)
    assert "headline: Port of Riverbend cargo volume up [-12-]{+9+} percent" in proc.stdout


def test_diff_shows_the_correction_paragraph(recrawled):
    proc = run_cli("diff", recrawled["url"] + PORT_STORY, "--archive", recrawled["archive"], check=True)
    assert "{+Correction: This story originally gave" in proc.stdout


def test_export_row_counts_match(recrawled, tmp_path):
    conn = sqlite3.connect(recrawled["archive"] / "archive.db")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"a.{fmt}"
        proc = run_cli("export", "--format", fmt, "--output", out, "--archive", recrawled["archive"], check=True)
        assert f"{total} articles written" in proc.stderr
