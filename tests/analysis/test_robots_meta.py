"""Robots directives read from a page's meta tags and X-Robots-Tag headers, and what they ask of
us; the discovery date as a candidate for ``published`` (pure functions)."""

import gzip
import zlib

import pytest

from crawler.analysis.robots_meta import (bot_names, decoded_start, forbids, header_directives,
                                          meta_directives, robots_directives)
from crawler.provenance import article_columns

PAGE = b"""<!DOCTYPE html><html><head><META NAME="Robots" CONTENT="NoArchive, max-snippet:50">
<meta name='googlebot-news' content='noindex'><meta name="description" content="noarchive here is prose">
<meta name=newsarchive content=nosnippet><meta property="og:title" content="x"></head><body></body></html>"""


def test_meta_directives_keep_every_robot_name_and_only_robots():
    assert meta_directives(PAGE, ["newsarchive"]) == {"robots": ["noarchive", "max-snippet:50"], "googlebot-news": ["noindex"],
                                     "newsarchive": ["nosnippet"]}
    assert meta_directives(b"<html><head><title>t</title></head></html>") == {}


def test_header_directives_with_and_without_a_bot():
    assert header_directives([b"noarchive, NoSnippet", "examplebot: noindex, nofollow",
                              "unavailable_after: 25 Jun 2030 15:00:00 PST"]) == {
        "*": ["noarchive", "nosnippet", "unavailable_after: 25 jun 2030 15:00:00 pst"],
        "examplebot": ["noindex", "nofollow"]}


@pytest.mark.parametrize("tags, body, ours", [
    (["noarchive"], None, True),
    (["newsarchive: noarchive"], None, True),
    (["otherbot: noarchive"], None, False),
    ([], b'<meta name="robots" content="noarchive">', True),
    ([], b'<meta name="newsarchive" content="noarchive">', True),
    ([], b'<meta name="googlebot" content="noarchive">', False),
    ([], b'<meta name="robots" content="noindex, nofollow">', False),
])
def test_noarchive_addressed_to_us(tags, body, ours):
    names = bot_names("newsarchive/0.1 (+x)", "newsarchive")
    assert forbids(robots_directives(tags, body, names), "noarchive", names) is ours


def test_decoded_start_reads_gzip_and_deflate_bodies():
    assert decoded_start(gzip.compress(PAGE), "gzip") == PAGE
    assert decoded_start(zlib.compress(PAGE), "deflate") == PAGE
    assert decoded_start(PAGE, None, limit=10) == PAGE[:10]
    assert decoded_start(b"not gzip", "gzip") == b""


HINTS = {"source": "sitemap", "referer": "https://n.example/news.xml",
         "news_publication_date": "2026-11-25T08:15:00+00:00"}


def test_news_sitemap_date_stands_in_only_for_a_missing_page_date():
    cols = article_columns({"published": None}, HINTS, "2026-11-26T00:00:00.000000Z")
    assert (cols["published"], cols["published_from"], cols["found_by"]) == (
        "2026-11-25T08:15:00+00:00", "news_sitemap", "sitemap")
    # never after the capture
    cols = article_columns({"published": None}, HINTS, "2026-11-25T08:00:00.000000Z")
    assert "published" not in cols and cols["published_from"] is None
    # a page date within a day agrees; further apart is recorded, and the page's date kept
    same = article_columns({"published": "2026-11-25"}, HINTS, None)
    far = article_columns({"published": "2026-11-23T16:00:00+00:00"}, HINTS, None)
    assert (same["published_disagrees"], far["published_disagrees"]) == (0, 1)
    assert "published" not in far and far["published_from"] == "page"
