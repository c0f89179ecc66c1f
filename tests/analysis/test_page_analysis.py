"""crawler.analysis.page.analyse: what the spider learns from one parse, and the pool that runs it."""

import asyncio
import json
import pickle
from pathlib import Path

import lxml.html
import pytest

from crawler.extract import extract_dict
from crawler.workers import PagePool
from crawler.analysis.classify import classify
from crawler.analysis.page import analyse, base_url, joiner

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "seed"
HTML = {"content-type": "text/html; charset=utf-8"}

PARAS = "".join(f"<p>Paragraph {i}: a full sentence of reporting that runs well past eighty characters "
                "so it reads like a real article paragraph.</p>" for i in range(5))
ARTICLE = (
    '<!DOCTYPE html><html><head><title>Storm</title>'
    '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
    '<link rel="stylesheet" href="/s.css"><script src="https://cdn.example.net/a.js"></script>'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Storm hits the coast"}</script>'
    '</head><body><nav><a href="/world/">World</a> <a href="https://other.example/x">x</a></nav>'
    '<h1>Storm hits the coast</h1><img src="img/storm.jpg" alt="storm">' + PARAS +
    '<a href="../about">About</a> <a href="http://[broken/">bad</a> <a href="//[broken/x">bad</a></body></html>')
URL = "https://news.example/world/2026/11/24/storm"


def test_an_article_page_gives_its_class_links_embeds_and_extraction_from_one_parse():
    page = analyse(ARTICLE.encode(), URL, HTML, True, True)
    assert (page["label"], page["reason"]) == ("article", "jsonld:NewsArticle")
    assert page["links"] == [
        ("https://news.example/world/", "page"),
        ("https://other.example/x", "page"),
        ("https://news.example/world/2026/11/about", "page"),
        ("http://[broken/", "page"),  # absolute links pass as they are: clean_url rejects this one
        ("", "page"),  # urljoin cannot parse it: "" (which clean_url rejects), the other links stay
        ("https://news.example/feed.xml", "feed"),
    ]
    assert page["embeds"] == ["https://news.example/s.css", "https://cdn.example.net/a.js",  # page order
                              "https://news.example/world/2026/11/24/img/storm.jpg"]
    # the same extraction as extract() on the page by itself
    assert page["article"] == extract_dict(ARTICLE.encode(), URL, HTML)
    assert page["article"]["headline"] == "Storm hits the coast"
    assert page["unreadable"] is None
    # plain data: it crosses the process boundary, and no lxml object rides along
    assert pickle.loads(pickle.dumps(page)) == page
    assert all(type(u) is str for u, _ in page["links"])


def test_what_was_not_asked_for_is_not_computed():
    page = analyse(ARTICLE.encode(), URL, HTML, False, False)
    assert page["label"] == "article" and page["article"] is None and page["embeds"] == []
    assert len(page["links"]) == 6
    bare = analyse(ARTICLE.encode(), URL, HTML, article=True, links=False)
    assert bare["links"] == [] and bare["article"] == extract_dict(ARTICLE.encode(), URL, HTML)


def test_a_listing_is_classified_like_classify_does_and_never_extracted():
    teasers = "".join(f'<li><a href="/world/2026/11/{i:02d}/story-{i}">Story {i}</a></li>' for i in range(1, 40))
    html = f"<html><head><title>World</title></head><body><ul>{teasers}</ul></body></html>"
    page = analyse(html.encode(), "https://news.example/world/", HTML, False, True)
    expected = classify("https://news.example/world/", html, HTML)
    assert (page["label"], page["reason"]) == (expected.label, expected.reason) == ("listing", "content:links")
    assert page["article"] is None and len(page["links"]) == 39


def test_base_href_decides_how_relative_links_resolve():
    html = b'<html><head><base href="/static/"></head><body><a href="p.html">p</a><a href="/q">q</a></body></html>'
    page = analyse(html, "https://news.example/a/b", HTML, False, False)
    assert [u for u, _ in page["links"]] == ["https://news.example/static/p.html", "https://news.example/q"]
    assert base_url(lxml.html.document_fromstring(html), "https://x.example/") == "https://x.example/static/"
    join = joiner("https://news.example/a/b")
    assert join(" /c/./d ") == "https://news.example/c/d" and join("//cdn.example/x") == "https://cdn.example/x"


@pytest.mark.parametrize("body, unreadable", [(b"", False), (b"   \n", False), (b"\x00" * 10, True)])
def test_nothing_to_parse_is_said_once_and_never_raises(body, unreadable):
    page = analyse(body, "https://news.example/x", HTML, True, True)
    assert page["links"] == [] and page["article"] is None
    assert bool(page["unreadable"]) is unreadable


def test_the_seed_page_extracts_exactly_as_the_extractor_alone():
    html = (SEED / "today-office-first-kiss.html").read_bytes()
    expected = json.loads((SEED / "today-office-first-kiss.expected.json").read_text())
    url = expected.get("url") or "https://www.today.com/"
    page = analyse(html, url, HTML, True, True)
    assert page["label"] == "article"
    assert page["article"] == extract_dict(html, url, HTML)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 1])
def test_the_pool_runs_the_analysis_inline_or_in_a_worker_with_the_same_result(workers):
    pool = PagePool(workers)

    async def go():
        return await pool.run(analyse, ARTICLE.encode(), URL, HTML, True, True)

    try:
        result = asyncio.run(go())
    finally:
        pool.close()
    assert result == analyse(ARTICLE.encode(), URL, HTML, True, True)
    assert pool._pool is None  # closed: a spider_closed signal does the same in a crawl


def _die_once(marker: str) -> str:
    """In a pool worker: kill the worker the first time, as a page that crashes lxml would."""
    import os

    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(3)
    return "survived"


@pytest.mark.slow
def test_a_worker_that_dies_is_replaced_and_the_pool_goes_on(tmp_path):
    import os

    from crawler.workers import WorkerCrashed

    pool = PagePool(1)

    async def go():
        first = await pool.run(analyse, ARTICLE.encode(), URL, HTML, False, False)
        with pytest.raises(WorkerCrashed):
            await pool.run(os._exit, 3)  # kills its worker, and the fresh one it is tried again in
        # the calls in flight when a worker dies are tried again in a new worker
        results = await asyncio.gather(
            pool.run(_die_once, str(tmp_path / "died")),
            *[pool.run(analyse, ARTICLE.encode(), URL, HTML, False, False) for _ in range(3)])
        after = await pool.run(analyse, ARTICLE.encode(), URL, HTML, False, False)
        return first, results, after

    try:
        first, results, after = asyncio.run(go())
    finally:
        pool.close()
    assert first["label"] == "article" and after == first
    assert (tmp_path / "died").exists()
    assert results == ["survived", first, first, first]
