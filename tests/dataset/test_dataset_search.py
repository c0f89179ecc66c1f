"""Full-text search finds the right article first, follows edits, and survives odd queries."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.commands.dataset import search as search_command
from crawler.dataset.errors import DatasetError
from crawler.dataset.search import search
from crawler.dataset.writer import DatasetWriter
from dataset_helpers import DEMO_HOST, TODAY_PATH, capture_for


def test_pam_first_kiss_finds_the_today_article_first(two_crawls):
    results = search(two_crawls["db"], "Pam first kiss")
    assert results[0]["url"] == DEMO_HOST + TODAY_PATH
    assert results[0]["headline"] == "The story behind Jim and Pam's first kiss on 'The Office' is so romantic"
    assert "[kiss]" in results[0]["snippet"].lower() or "[pam]" in results[0]["snippet"].lower()
    assert results[0]["authors"] == ["Randee Dawn"]
    assert results == sorted(results, key=lambda r: r["rank"])


def test_stemming_captions_and_author_names_are_searched(two_crawls):
    assert search(two_crawls["db"], "kissing")[0]["url"] == DEMO_HOST + TODAY_PATH  # porter
    assert DEMO_HOST + TODAY_PATH in [r["url"] for r in search(two_crawls["db"], "Randee Dawn")]
    # an author's name appears only in authors_text for some articles: search it by author filter too
    by_author = search(two_crawls["db"], "budget", author="moreno")
    assert [r["url"] for r in by_author] == [DEMO_HOST + "/news/2026/11/22/school-board-delays-budget-vote"]


def test_filters_site_dates_limit(two_crawls):
    db = two_crawls["db"]
    everything = search(db, "the", limit=100)
    assert len(everything) > 10
    assert search(db, "the", site="other.example") == []
    assert len(search(db, "the", site="demo.test", limit=100)) == len(everything)
    assert len(search(db, "the", limit=3)) == 3
    november = search(db, "the", since="2026-11", until="2026-11", limit=100)
    assert november and all(r["published"][:7] == "2026-11" for r in november)
    day = search(db, "the", since="2026-11-22", until="2026-11-22", limit=100)
    assert day and {r["published"][:10] for r in day} == {"2026-11-22"}
    with pytest.raises(DatasetError, match="--since expects a date"):
        search(db, "the", since="last tuesday")


@pytest.mark.parametrize("query", ["U.S.", "co-op", '"unbalanced', "AND", "title:foo", "(", "*"])
def test_invalid_fts_syntax_is_searched_as_words(two_crawls, query):
    assert isinstance(search(two_crawls["db"], query), list)


def test_index_follows_updates(tmp_path):
    db = tmp_path / "archive.db"
    url = "https://news.example/2026/11/24/zoning"
    base = {"url": url, "headline": "Council weighs zoning overhaul", "authors": ["Kim Lee"],
            "body": "The council met on Monday.", "captions": [{"caption": "Councillor Ortega speaks"}]}
    with DatasetWriter(db) as writer:
        writer.add_article(base, capture_for(url, b"1", "2026-11-24T00:00:00Z"))
    assert [r["url"] for r in search(db, "overhaul")] == [url]
    assert [r["url"] for r in search(db, "Ortega")] == [url]  # caption text
    with DatasetWriter(db) as writer:
        writer.add_article({**base, "headline": "Council rejects zoning plan", "authors": ["Kim Lee", "Sam Roy"],
                            "captions": []}, capture_for(url, b"2", "2026-11-25T00:00:00Z"))
    assert search(db, "overhaul") == [] and search(db, "Ortega") == []
    assert [r["url"] for r in search(db, "rejects")] == [url]
    assert [r["url"] for r in search(db, "Sam Roy")] == [url]
    assert search(db, "rejects")[0]["authors"] == ["Kim Lee", "Sam Roy"]


def test_cli_search_prints_ranked_results_and_json(two_crawls):
    archive = str(two_crawls["archive"])
    result = CliRunner().invoke(search_command, ["Pam first kiss", "--archive", archive, "--limit", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("1. The story behind Jim and Pam's first kiss")
    assert lines[2].strip() == DEMO_HOST + TODAY_PATH
    assert "[" in lines[3] and "]" in lines[3]
    result = CliRunner().invoke(search_command, ["Pam first kiss", "--archive", archive, "--json"])
    first = json.loads(result.output.splitlines()[0])
    assert first["url"] == DEMO_HOST + TODAY_PATH and "snippet" in first
    result = CliRunner().invoke(search_command, ["x", "--archive", archive, "--until", "soon"])
    assert result.exit_code == 1 and result.output.startswith("Error: --until expects a date")
