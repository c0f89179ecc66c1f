"""Spider arguments: strings from ``scrapy crawl -a`` and lists from Python mean the same, and
arguments override the settings of the same meaning."""

import pytest
from scrapy.utils.test import get_crawler

from spiders.news import HINT_KEYS, NewsSpider, make_hints


def spider(settings=None, **args):
    crawler = get_crawler(NewsSpider, settings or {})
    return NewsSpider.from_crawler(crawler, **args)


def test_strings_and_lists_are_equivalent():
    a = spider(start_urls="http://127.0.0.1:8080/,https://www.example.org/news/",
               sitemap_urls="https://example.org/sitemap.xml", include=r"/news/,/\d{4}/", max_depth="2",
               max_pages="10", follow_links="false")
    b = spider(start_urls=["http://127.0.0.1:8080/", "https://www.example.org/news/"],
               sitemap_urls=["https://example.org/sitemap.xml"], include=["/news/", r"/\d{4}/"],
               max_depth=2, max_pages=10, follow_links=False)
    for s in (a, b):
        assert s.start_urls == ["http://127.0.0.1:8080/", "https://www.example.org/news/"]
        assert s.allowed_domains == ["127.0.0.1", "example.org"]
        assert s.include == ["/news/", r"/\d{4}/"]
        assert (s.max_depth, s.max_pages, s.follow_links) == (2, 10, False)


def test_settings_are_defaults_and_arguments_win():
    settings = {"NEWS_MAX_DEPTH": 5, "NEWS_MAX_PAGES": 7, "NEWS_FOLLOW_LINKS": False,
                "NEWS_ALLOWED_DOMAINS": ["example.net"], "NEWS_EXCLUDE": ["/video/"]}
    s = spider(settings, start_urls="https://example.org/")
    assert (s.max_depth, s.max_pages, s.follow_links) == (5, 7, False)
    assert s.allowed_domains == ["example.net"] and s.exclude == ["/video/"]
    s = spider(settings, start_urls="https://example.org/", max_depth=1, allowed_domains="example.org",
               exclude=[])
    assert s.max_depth == 1 and s.allowed_domains == ["example.org"] and s.exclude == []
    s = spider(start_urls="https://example.org/")
    assert (s.max_depth, s.max_pages, s.follow_links, s.use_robots_sitemaps, s.fetch_embeds) == (3, 0, True, False, True)


@pytest.mark.parametrize("args,message", [
    ({"max_depth": "three"}, "max_depth must be a whole number"),
    ({"max_pages": "-1"}, "max_pages must be 0 or more"),
    ({"follow_links": "maybe"}, "follow_links must be true or false"),
    ({"include": "(oops"}, "invalid include pattern"),
])
def test_bad_arguments_are_clear_value_errors(args, message):
    with pytest.raises(ValueError, match=message):
        NewsSpider(start_urls="https://example.org/", **args)


def test_hints_have_one_shape():
    hints = make_hints("feed", 1, "https://e.org/feed", feed_title="T", unknown="x", lastmod=None)
    assert tuple(hints) == HINT_KEYS
    assert (hints["source"], hints["depth"], hints["feed_title"]) == ("feed", 1, "T")
    assert "unknown" not in hints
