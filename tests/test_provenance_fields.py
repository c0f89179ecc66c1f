"""A capture's provenance and robots columns survive the trip through its WARC metadata record."""

from archive import warc_records as R
from archive.reader import parse_warc_fields
from crawler.provenance import capture_columns, fields_columns, fields_hints, one_line, warc_fields


def test_columns_written_as_fields_read_back_equal():
    hints = one_line({"source": "feed", "depth": 0, "referer": "http://a.test/rss",
                      "news_title": "Two\nlines", "feed_published": "2026-11-25T07:45:00+00:00",
                      "news_keywords": None, "lastmod": ""})
    columns = {**capture_columns(hints), "robots": '{"meta": {"robots": ["noarchive"]}}', "noarchive": "skipped"}
    fields = warc_fields(columns)
    assert fields_columns(fields) == columns  # as the crawl hands them to the dataset
    assert fields_columns(parse_warc_fields(R.warc_fields(fields))) == columns  # as a rebuild reads them
    assert columns["news_title"] == "Two lines" and columns["depth"] == 0
    assert fields_hints(columns)["source"] == "feed" and fields_hints(columns)["feed_published"]


def test_an_article_record_is_not_a_capture_record():
    assert fields_columns({"extraction-status": "ok", "found-by": "link"}) == {}
    assert fields_columns(None) == {} and fields_columns({"depth": "deep"}) == {}
