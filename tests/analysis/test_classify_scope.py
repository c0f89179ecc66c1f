"""Article-vs-listing classification over small pages, and the scope rules, as pure functions
(forum, product, prose-only and teaser pages: test_classify_pages.py)."""

import gzip
import json
from pathlib import Path

import pytest

from crawler.analysis.classify import classify, url_listing_kind, url_looks_like_article
from crawler.analysis.scope import Scope, clean_url, is_article_feed, split_list

PARAS = "".join(f"<p>Paragraph {i}: a full sentence of reporting that runs well past eighty characters "
                "so it reads like a real article paragraph.</p>" for i in range(10))
TEASERS = "".join(f'<li><a href="/world/2026/11/{i:02d}/story-number-{i}">Story {i}</a></li>' for i in range(1, 40))


def page(head="", body=""):
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def ld(obj):
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


CASES = [
    # (url, html, label, reason)
    ("https://e.org/a", page(ld({"@type": "NewsArticle"}), "<p>x</p>"), "article", "jsonld:NewsArticle"),
    ("https://e.org/a", page(ld({"@graph": [{"@type": "WebPage"}, {"@type": ["Article", "ReportageNewsArticle"]}]})),
     "article", "jsonld:ReportageNewsArticle"),
    ("https://e.org/live", page(ld([{"@type": "LiveBlogPosting"}])), "article", "jsonld:LiveBlogPosting"),
    ("https://e.org/p", page(ld({"@type": "WebPage", "mainEntity": {"@type": "BlogPosting"}})),
     "article", "jsonld:BlogPosting"),
    ("https://e.org/a", page('<script type="application/ld+json"><!-- {"@type": "NewsArticle", "x": "a\nb"} --></script>'),
     "article", "jsonld:NewsArticle"),
    ("https://e.org/a", page(body='<div itemscope itemtype="https://schema.org/NewsArticle"><h1>x</h1></div>'),
     "article", "microdata:NewsArticle"),
    ("https://e.org/a", page('<meta property="og:type" content="article">', PARAS), "article", "og:article"),
    # CMSs give og:type article to every page: alone, on an empty page, it is not enough.
    ("https://e.org/a", page('<meta property="og:type" content="article">'), "other", "weak:og:article"),
    ("https://e.org/world/2026/11/24/storm-hits-the-coast", page(body="<h1>Storm</h1>" + PARAS), "article", "url+content"),
    ("https://e.org/news/uk-politics-67512345", page(body="<h1>Vote</h1>" + PARAS), "article", "url+content"),
    ("https://e.org/", page('<meta property="og:type" content="article">', TEASERS), "listing", "url:home"),
    ("https://e.org/tag/climate", page(body=TEASERS), "listing", "url:tag"),
    ("https://e.org/search?q=storm", page(body=PARAS), "listing", "url:search"),
    ("https://e.org/world/page/3", page(body=TEASERS), "listing", "url:pagination"),
    ("https://e.org/world/?page=2", page(body=TEASERS), "listing", "url:pagination"),
    ("https://e.org/world/", page(body="<h1>World</h1>" + TEASERS), "listing", "content:links"),
    ("https://e.org/world/", page(body='<h1>World</h1><a href="/a">a</a><a href="/b">b</a><a href="/c">c</a>'),
     "listing", "url:section"),
    ("https://e.org/world/", page(ld({"@type": "CollectionPage"}), "<h1>World</h1>"), "listing", "jsonld:CollectionPage"),
    ("https://e.org/w/", page(ld([{"@type": "NewsArticle"}] * 5)), "listing", "jsonld:many-articles"),
    ("https://e.org/about", page(body="<h1>About</h1><p>We are small.</p>"), "other", "no-signal"),
    # Article-shaped URL without a main text (a video page, a stub) is not sent to extraction.
    ("https://e.org/world/2026/11/24/storm-hits-the-coast", page(body="<h1>Storm</h1><video></video>"),
     "other", "no-signal"),
    ("https://e.org/x.pdf", "", "other", "empty"),
]


@pytest.mark.parametrize("url,html,label,reason", CASES)
def test_classify(url, html, label, reason):
    got = classify(url, html)
    assert (got.label, got.reason) == (label, reason)


def test_classify_accepts_parsed_doc_bytes_and_headers():
    import lxml.html

    html = page(ld({"@type": "NewsArticle"}))
    assert classify("https://e.org/a", lxml.html.fromstring(html)).reason == "jsonld:NewsArticle"
    assert classify("https://e.org/a", html.encode("utf-16")).label in ("article", "other")  # never raises
    assert classify("https://e.org/a", html, {"content-type": "image/png"}).reason == "not-html"
    assert classify("https://e.org/a", b"\x00\x01\x02").label == "other"


def test_classify_real_article_pages():
    """Real news pages from the shared corpus: nearly all must be recognised as articles."""
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "extraction-dev"
    if not corpus.exists():
        pytest.skip("shared corpus not present")
    truth = json.loads((corpus / "ground-truth.json").read_text())
    ids = sorted(truth)[:40]
    articles = sum(classify(truth[i]["url"], gzip.open(corpus / "html" / f"{i}.html.gz").read()).is_article
                   for i in ids)
    assert articles >= 38, f"only {articles}/40 real articles recognised"


def test_url_shapes():
    assert url_listing_kind("https://e.org/") == "home"
    assert url_listing_kind("https://e.org/index.html") == "home"
    assert url_listing_kind("https://e.org/?p=2895") is None          # a WordPress post id
    assert url_listing_kind("https://e.org/topics/2026/11/24/a-dated-story") is None
    assert url_looks_like_article("https://e.org/2026/11/24/x")
    assert url_looks_like_article("https://e.org/a/some-long-slug-for-a-story")
    assert url_looks_like_article("https://e.org/news/big-fire-downtown.html")
    assert not url_looks_like_article("https://e.org/world/")
    assert not url_looks_like_article("https://e.org/story.html")


def test_scope_hosts_patterns_and_extensions():
    scope = Scope(domains=["www.example.org", "127.0.0.1:8080"], include=[r"/news/"], exclude=[r"\?share="])
    assert scope.domains == ["127.0.0.1", "example.org"]
    assert scope.check("https://example.org/news/a") is None
    assert scope.check("https://m.example.org/news/a") is None        # subdomains allowed
    assert scope.check("http://127.0.0.1:9999/news/a") is None        # port ignored
    assert scope.check("https://badexample.org/news/a") == "offsite"
    assert scope.check("https://example.org/sport/a") == "not_included"
    assert scope.check("https://example.org/news/a?share=fb") == "excluded"
    assert scope.check("https://example.org/news/clip.mp4") == "extension"
    assert scope.check("https://example.org/news/photo.jpg") is None  # images are archived
    with pytest.raises(ValueError, match="invalid include pattern"):
        Scope(include=["(unclosed"])


def test_clean_url_and_split_list():
    assert clean_url("HTTP://Example.ORG/a b#frag") == "http://example.org/a%20b"
    assert clean_url("https://e.org") == "https://e.org/"
    assert clean_url("https://e.org/a?id=3&utm_source=rss&b=2&fbclid=x") == "https://e.org/a?id=3&b=2"
    assert clean_url("https://e.org/a?utm_campaign=x") == "https://e.org/a"
    for bad in ("mailto:x@e.org", "javascript:void(0)", "/relative", "htp:/broken", "http://", "http://e.org:99999/"):
        assert clean_url(bad) is None, bad
    assert split_list("a, b,,c") == ["a", "b", "c"]
    assert split_list(r"/\d{4,8}/,x") == [r"/\d{4,8}/", "x"]
    assert split_list(["a", " "]) == ["a"]
    assert split_list(None) == []


@pytest.mark.parametrize("feed, page, expected", [
    # WordPress: the article's comment feed lies under the article's path
    ("https://n.example/2026/11/24/storm-hits/feed/", "https://n.example/2026/11/24/storm-hits/", True),
    ("https://n.example/news/storm-hits/comments/feed", "https://n.example/news/storm-hits", True),
    # WordPress without pretty permalinks: the query names one post
    ("https://n.example/?feed=rss2&p=123", "https://n.example/?p=123", True),
    # the site's feeds, a section's feed, another host: not the article's own
    ("https://n.example/feed/", "https://n.example/2026/11/24/storm-hits/", False),
    ("https://n.example/comments/feed/", "https://n.example/2026/11/24/storm-hits/", False),
    ("https://n.example/news/feed/", "https://n.example/news/2026/storm-hits", False),
    ("https://other.example/2026/11/24/storm-hits/feed/", "https://n.example/2026/11/24/storm-hits/", False),
    ("https://n.example/feed/", "https://n.example/", False),
])
def test_article_feed(feed, page, expected):
    assert is_article_feed(feed, page) is expected
