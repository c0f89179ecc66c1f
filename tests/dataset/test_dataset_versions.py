"""Re-crawls: unchanged content adds no version; an edit adds one, moves the current version,
and ``diff`` shows exactly what the newsroom changed."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner

from crawler.commands.dataset import diff as diff_command
from crawler.dataset.diff import diff_versions, render
from crawler.dataset.writer import DatasetWriter
from dataset_helpers import DEMO_HOST, FIRST, SECOND, capture_for, demo_articles, edited_paths, write_edition


def test_edition_2_recrawl_versions_exactly_the_three_edited_articles(two_crawls):
    conn = sqlite3.connect(two_crawls["db"])
    counts = dict(conn.execute("SELECT url, version_count FROM articles"))
    edited = edited_paths(2)
    total = len(two_crawls["first"])
    assert len(counts) == total >= 15 and len(edited) == 3
    assert {u for u, n in counts.items() if n == 2} == edited
    assert {n for u, n in counts.items() if u not in edited} == {1}
    assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == total + 3
    assert two_crawls["second_counts"]["versions"] == 3
    assert two_crawls["second_counts"]["unchanged"] == total - 3
    # every article was seen by both crawls; all captures of both are there
    assert set(conn.execute("SELECT first_seen, last_seen FROM articles")) == {(FIRST, SECOND)}
    assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == 2 * total
    assert conn.execute("SELECT count(*), count(finished) FROM crawls").fetchone() == (2, 2)


def test_current_version_moves_and_flat_columns_follow_it(two_crawls):
    conn = sqlite3.connect(two_crawls["db"])
    url = DEMO_HOST + "/news/2026/11/22/school-board-delays-budget-vote"
    row = conn.execute("SELECT a.headline, a.body, a.modified, a.fetched_at, a.warc_record_id, v.version, "
                       "v.headline, c.fetched_at FROM articles a JOIN article_versions v "
                       "ON v.id = a.current_version_id JOIN captures c ON c.id = v.capture_id "
                       "WHERE a.url = ?", (url,)).fetchone()
    headline, body, modified, fetched_at, record_id, version, v_headline, c_fetched = row
    assert version == 2 and headline == v_headline
    assert headline == "School board delays budget vote as enrollment falls for fourth year"
    assert body  # the correction paragraph: see test_diff_shows_the_changed_headline_and_the_correction
    assert modified.startswith("2026-11-23T12:30")
    assert fetched_at == c_fetched == SECOND
    second_capture = next(c for a, c in two_crawls["second"] if a["url"] == url)
    assert record_id == second_capture.record_id
    old = conn.execute("SELECT v.headline, v.body FROM article_versions v JOIN articles a ON a.id = v.article_id "
                       "WHERE a.url = ? AND v.version = 1", (url,)).fetchone()
    assert old[0] != headline and old[0].endswith("for third year")


def test_unchanged_readd_and_revisit_only_move_last_seen(tmp_path):
    db = tmp_path / "archive.db"
    write_edition(db, 1, FIRST)
    article, first_capture = demo_articles(1, FIRST)[0]
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    revisit = capture_for(article["url"], b"same payload", "2026-12-01T00:00:00.000000Z",
                          revisit_of=first_capture)
    with DatasetWriter(db, batch_size=10) as writer:
        writer.add_capture(revisit)
        writer.add_article(article, revisit)
        writer.add_article(article, capture_for(article["url"], b"x", "2026-11-30T00:00:00.000000Z"))
        assert writer.counts["unchanged"] == 0  # still buffered
    assert writer.counts == {"captures": 1, "articles_new": 0, "versions": 0, "unchanged": 2, "failed": 0}
    assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == before
    assert conn.execute("SELECT first_seen, last_seen, version_count, fetched_at FROM articles WHERE url = ?",
                        (article["url"],)).fetchone() == (FIRST, "2026-12-01T00:00:00.000000Z", 1, FIRST)
    assert conn.execute("SELECT revisit, refers_to_record_id FROM captures WHERE warc_record_id = ?",
                        (revisit.record_id,)).fetchone() == (1, first_capture.record_id)


def test_diff_shows_the_changed_headline_and_the_correction(tmp_path):
    """Edition 2's edit of the port story: new headline, a correction paragraph appended.

    Built from the extracted edition-1 article plus the demo's edit, because the extractor
    currently drops ``<p class="correction">`` as boilerplate (reported to the lead).
    """
    from crawler.demo.stories import EDITION_2

    path = "/business/2026/11/21/port-authority-cargo-report"
    url = DEMO_HOST + path
    original, capture = next((a, c) for a, c in demo_articles(1, FIRST) if a["url"] == url)
    edit = EDITION_2[path]
    edited = {**original, "headline": edit["headline"], "modified": edit["modified"],
              "body": original["body"] + "\n" + edit["correction"]}
    archive = tmp_path / "archive"
    with DatasetWriter(archive / "archive.db") as writer:
        writer.add_article(original, capture)
        writer.add_article(edited, capture_for(url, b"edition 2", SECOND))

    diffs = diff_versions(archive / "archive.db", url)
    assert [(d["from"], d["to"]) for d in diffs] == [(1, 2)]
    text = render(diffs)
    headline_line = next(line for line in text.splitlines() if line.startswith("headline:"))
    assert headline_line == ("headline: Port of Riverbend cargo volume up [-12-]{+9+} percent "
                             "as grain exports rebound")
    assert "  {+Correction: This story originally gave the port's cargo growth as 12 percent." in text
    assert "unchanged paragraph" in text
    assert "byline: (unchanged) By Owen Park" in text
    assert "\x1b[32mCorrection:" in render(diffs, color=True)

    result = CliRunner().invoke(diff_command, [url, "--archive", str(archive),
                                               "--from", "1", "--to", "2", "--no-color"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == text


def test_diff_of_an_unedited_article_says_so(two_crawls):
    unchanged = DEMO_HOST + "/popculture/story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932"
    result = CliRunner().invoke(diff_command, [unchanged, "--archive", str(two_crawls["archive"])])
    assert result.exit_code == 0 and "single version" in result.output


def test_diff_errors_are_one_line(two_crawls):
    archive = str(two_crawls["archive"])
    url = DEMO_HOST + "/business/2026/11/21/port-authority-cargo-report"
    for args, message in [([url, "--to", "7"], "has no version 7"),
                          ([DEMO_HOST + "/nope"], "no article with URL"),
                          ([url, "--archive", archive + "/missing"], "no dataset at")]:
        result = CliRunner().invoke(diff_command, [*args, "--archive", archive] if "--archive" not in args else args)
        assert result.exit_code == 1
        assert message in result.output and result.output.count("\n") == 1
