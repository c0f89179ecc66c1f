"""The issue's WACZ acceptance test: the package of the demo crawl validates and its pages.jsonl
lists every demo article, with the headline the dataset holds for it."""

from __future__ import annotations

import sqlite3

import pytest

from archive.wacz import package_wacz, pages_in_wacz
from crawler.demo.site import get_site

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def test_demo_wacz_validates_and_lists_every_article(demo_crawl, tmp_path):
    archive, base = demo_crawl["archive"], demo_crawl["url"]
    out = tmp_path / "demo.wacz"
    result = package_wacz(archive, out)
    assert result.valid is True, result.validation

    articles = {base + path for path, res in get_site(1).items() if res.kind == "article"}
    pages = {page["url"]: page for page in pages_in_wacz(out)}
    assert set(pages) == articles
    db = sqlite3.connect(f"file:{archive / 'archive.db'}?mode=ro", uri=True)
    headlines = dict(db.execute("SELECT url, headline FROM articles"))
    db.close()
    assert {url: page["title"] for url, page in pages.items()} == headlines
    # every article has its text, but the one only a browser can render (crawled here without one)
    no_text = {base + path for path, res in get_site(1).items() if res.info.get("needs_browser")}
    assert no_text and {url for url, page in pages.items() if not page.get("text")} == no_text
    assert result.unmatched == [] and result.pages == len(articles)
