"""Is a fetched page an article (worth extracting) or a listing (worth only its links)?

The order of the signals is the order of their trust.  What a publisher declares about the page
(JSON-LD, microdata, OpenGraph) is right far more often than any guess, so it wins.  Without it,
a URL shape alone is not enough (``/2026/11/`` is an archive listing, a long slug can be a tag
page), so an article-shaped URL must also carry article-shaped content: a headline and several
real paragraphs.  Every decision comes with a short, bounded ``reason`` so crawl stats can say
why pages were kept or skipped, and a misjudged site can be diagnosed from the stats alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.extract.meta_jsonld import jsonld_blocks
from crawler.extract.pipeline import parse

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "SatiricalArticle",
    "BlogPosting", "LiveBlogPosting", "Report", "TechArticle", "ScholarlyArticle",
})
LISTING_TYPES = frozenset({"CollectionPage", "ItemList", "SearchResultsPage"})

# Path segments that name a listing rather than a story.
LISTING_SEGMENTS = {
    "tag": "tag", "tags": "tag", "topic": "topic", "topics": "topic", "category": "category",
    "categories": "category", "section": "section", "sections": "section", "author": "author",
    "authors": "author", "search": "search", "archive": "archive", "archives": "archive",
    "latest": "section",
}
PAGINATION_PARAMS = {"page", "pg", "offset", "start"}  # not "p": WordPress post ids
SEARCH_PARAMS = {"q", "s", "query", "search"}

_DATE_PATH = re.compile(r"/(?:19|20)\d\d(?:/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])|[/-](?:0?[1-9]|1[0-2]|[a-z]{3,9})/)"
                        r"|/(?:19|20)\d\d-?[01]\d-?[0-3]\d(?:/|-|$)", re.I)
_YEAR_SLUG = re.compile(r"/(?:19|20)\d\d/[^/]*[a-z][^/]*-[^/]*[a-z]", re.I)
_NUMERIC_ID = re.compile(r"(?:^|[/\-_.=a-z])\d{5,}(?:[/\-_.]|$)", re.I)
_STORY_EXT = re.compile(r"\.(?:s?html?|php|aspx?|cms)$", re.I)
_WORD_SEP = re.compile(r"[-_+]+")

LONG_PARAGRAPH = 80         # characters: shorter <p> are captions, teasers, bylines
ARTICLE_PARAGRAPHS = 3      # long paragraphs that make a main text
LISTING_LINKS = 30          # links on a page that ...
LISTING_MAX_TEXT = 600      # ... has less paragraph text than this (characters)
SECTION_LINKS = 3           # links that make a short-path page without a main text a section


@dataclass(frozen=True)
class Classification:
    label: str    # "article", "listing" or "other"
    reason: str   # short and from a bounded set, e.g. "jsonld:NewsArticle", "url:tag", "url+content"

    @property
    def is_article(self) -> bool:
        return self.label == "article"


def classify(url: str, html=None, headers: dict | None = None) -> Classification:
    """Label the page at *url*.  *html* is ``str``/``bytes`` or an already parsed lxml document
    (a Scrapy ``response.selector.root`` will do).  *headers* may carry ``content-type``; an
    image, audio, video, font, PDF or zip type is ``other`` at once.  Never raises."""
    ctype = ((headers or {}).get("content-type") or "").split(";")[0].strip().lower()
    # Only types that cannot be a mislabelled page: servers send HTML as text/plain or octet-stream.
    if ctype.startswith(("image/", "audio/", "video/", "font/")) or ctype in ("application/pdf", "application/zip"):
        return Classification("other", "not-html")
    doc = _as_doc(html)
    url_kind = url_listing_kind(url)
    if url_kind == "home":
        return Classification("listing", "url:home")
    if doc is None:
        return Classification("other", "empty")

    declared = declared_types(doc)
    stats = None
    if declared is not None and declared.reason.endswith(":many-articles"):
        # Several typed articles: a listing of teasers, or one story with typed "related" boxes.
        stats = content_stats(doc)
        if _article_content(stats) and url_looks_like_article(url) and not url_kind:
            return Classification("article", declared.reason.replace("many-articles", "main+teasers"))
    if declared is not None:
        return declared
    if url_kind:
        return Classification("listing", f"url:{url_kind}")

    stats = stats or content_stats(doc)
    article_content = _article_content(stats)
    if url_looks_like_article(url) and article_content:
        return Classification("article", "url+content")
    if stats["links"] >= LISTING_LINKS and stats["paragraph_chars"] < LISTING_MAX_TEXT:
        return Classification("listing", "content:links")
    if stats["links"] >= SECTION_LINKS and url_looks_like_section(url):
        # Teasers with summaries look like paragraphs; a short path with links is still a section.
        return Classification("listing", "url:section")
    if article_content:
        return Classification("other", "content-only")
    return Classification("other", "no-signal")


def _article_content(stats: dict) -> bool:
    return stats["h1"] and stats["long_paragraphs"] >= ARTICLE_PARAGRAPHS


# --- declared types ---------------------------------------------------------------------------

def declared_types(doc) -> Classification | None:
    """The publisher's own statement (JSON-LD, then microdata, then OpenGraph), or ``None``."""
    article, listing = _jsonld_types(doc)
    if len(article) >= 3:
        # A list of teasers, each typed NewsArticle: that is a listing of articles.
        return Classification("listing", "jsonld:many-articles")
    if article:
        return Classification("article", f"jsonld:{_preferred(article)}")
    if listing:
        return Classification("listing", f"jsonld:{sorted(listing)[0]}")

    micro = [t for t in (_schema_type(v) for v in doc.xpath("//*[@itemscope]/@itemtype")) if t]
    micro_articles = [t for t in micro if t in ARTICLE_TYPES]
    if len(micro_articles) >= 3:
        return Classification("listing", "microdata:many-articles")
    if micro_articles:
        return Classification("article", f"microdata:{_preferred(micro_articles)}")
    if any(t in LISTING_TYPES for t in micro):
        return Classification("listing", f"microdata:{next(t for t in micro if t in LISTING_TYPES)}")

    og = doc.xpath("//meta[@property='og:type' or @name='og:type']/@content")
    if og and og[0].strip().lower() == "article":
        return Classification("article", "og:article")
    return None


def _preferred(types) -> str:
    """The most specific type named, so ``reason`` is stable whatever the order on the page."""
    types = set(types)
    for t in ("LiveBlogPosting", "ReportageNewsArticle", "NewsArticle", "BlogPosting"):
        if t in types:
            return t
    return sorted(types)[0]


def _schema_type(value: str) -> str | None:
    for part in (value or "").split():
        name = part.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if name:
            return name
    return None


def _jsonld_types(doc) -> tuple[list[str], set[str]]:
    """Article-typed nodes (a list, to count teasers) and listing types among the top-level nodes
    of every JSON-LD block, their ``@graph``, and a WebPage's ``mainEntity``; ``itemListElement``
    contents are *not* descended into, since those describe other pages."""
    articles: list[str] = []
    listings: set[str] = set()
    for data in jsonld_blocks(doc):
        for node in _top_nodes(data):
            types = node.get("@type")
            types = [types] if isinstance(types, str) else [t for t in types or [] if isinstance(t, str)]
            types = [t.rsplit("/", 1)[-1] for t in types]
            if any(t in ARTICLE_TYPES for t in types):
                articles.append(_preferred(t for t in types if t in ARTICLE_TYPES))
            listings.update(t for t in types if t in LISTING_TYPES)
    return articles, listings


def _top_nodes(data):
    stack = data if isinstance(data, list) else [data]
    for node in stack:
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("@graph"), list):
            yield from _top_nodes(node["@graph"])
        yield node
        main = node.get("mainEntity")
        if isinstance(main, dict):
            yield main


# --- URL shapes -------------------------------------------------------------------------------

def url_listing_kind(url: str) -> str | None:
    """``"home"``, ``"pagination"``, ``"search"``, ``"tag"``, ... if the URL names a listing."""
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = [s for s in path.lower().split("/") if s]
    params = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if params & SEARCH_PARAMS:
        return "search"
    if not segments and params & PAGINATION_PARAMS:
        return "pagination"
    if not params and (not segments or (len(segments) == 1 and re.fullmatch(
            r"(?:index|default|home)\.\w+", segments[0]))):
        return "home"
    if params & PAGINATION_PARAMS:
        return "pagination"
    for i, seg in enumerate(segments):
        if seg == "page" and i + 1 < len(segments) and segments[i + 1].isdigit():
            return "pagination"
    # A dated or numbered story under /topics/ or /author/ is still a story.
    if _DATE_PATH.search(path) or _NUMERIC_ID.search(path):
        return None
    for i, seg in enumerate(segments):
        kind = LISTING_SEGMENTS.get(seg)
        if kind and (seg != "latest" or i == len(segments) - 1):
            return kind
    return None


def url_looks_like_article(url: str) -> bool:
    """A date in the path, a long numeric id, a long slug, or a ``.html`` story name."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if _DATE_PATH.search(path) or _NUMERIC_ID.search(path) or _YEAR_SLUG.search(path):
        return True
    if any(re.fullmatch(r"\d{4,}", v) for _, v in parse_qsl(parts.query)):
        return True  # ?newsid=6486285, ?p=2895: a story by id
    last = next((s for s in reversed(path.split("/")) if s), "")
    stem = _STORY_EXT.sub("", last)
    words = [w for w in _WORD_SEP.split(stem) if w]
    if len(words) >= 4 and len(stem) >= 20:
        return True
    return bool(_STORY_EXT.search(last)) and len(words) >= 3


def url_looks_like_section(url: str) -> bool:
    """``/world/``, ``/news/politics``: one or two short words, no story name."""
    parts = urlsplit(url)
    segments = [s for s in (parts.path or "/").split("/") if s]
    if not 1 <= len(segments) <= 2 or parts.query or url_looks_like_article(url):
        return False
    return all(len(s) <= 24 and "." not in s and len(_WORD_SEP.split(s)) <= 3 for s in segments)


# --- content ----------------------------------------------------------------------------------

_BOILER = "ancestor::nav or ancestor::footer or ancestor::header or ancestor::aside"
_NOT_TEXT = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::a"


def content_stats(doc) -> dict:
    """Counts that tell a main text from a page of teasers.

    A paragraph is a ``<p>`` with at least LONG_PARAGRAPH characters, mostly not link text, or,
    for sites that write their text as ``<div>`` and ``<br>``, a text run of that length.
    """
    long_p = p_chars = 0
    for p in doc.xpath(f"//body//p[not({_BOILER})]"):
        text = " ".join("".join(p.xpath(f".//text()[not(ancestor::script or ancestor::style)]")).split())
        link_text = "".join(p.xpath(".//a//text()"))
        if len(text) >= LONG_PARAGRAPH and len(link_text) < len(text) / 2:
            long_p += 1
            p_chars += len(text)
    runs = [len(t) for t in (" ".join(x.split()) for x in
                             doc.xpath(f"//body//text()[not({_NOT_TEXT} or {_BOILER} or ancestor::p)]"))
            if len(t) >= LONG_PARAGRAPH]
    return {
        "h1": bool(doc.xpath("//h1[normalize-space()]")),
        "long_paragraphs": long_p + len(runs),
        "paragraph_chars": p_chars + sum(runs),
        "links": int(doc.xpath("count(//a[@href])")),
    }


def _as_doc(html):
    """A document from str/bytes, parsed as extraction and the crawl parse pages (one parser)."""
    if html is None:
        return None
    if not isinstance(html, (str, bytes)):
        return html
    return parse(html)[0]
