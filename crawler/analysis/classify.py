"""Is a fetched page an article (worth extracting) or a listing (worth only its links)?

Only the article label matters to the crawl (articles are extracted, every page's links are
followed), so the question is "is this one story?". Forum threads, product pages and
documentation carry long prose too; they are told apart first, by what they declare
(DiscussionForumPosting/QAPage, Product without an article type) or by code blocks with the
navigation of a manual (a ``/docs/`` path, a documentation generator's markup; code alone is not
documentation). Then every signal adds or takes points (``WEIGHTS``): a declared article type
weighs most, ``og:type article`` much (but little on a CMS page that has a modified time and no
publication time), then a main text (long paragraphs, many in one container), the markup of a
story (author, date and share class names, a byline, a date printed beside the headline, an
article-shaped URL or one under ``/blog/``); against it, prices, carts, forum software's markup,
teaser cards, many ``<time>`` items and a page made of links. Paragraphs in the header, footer, navigation and asides are not
the page's text, unless that container holds the ``<h1>`` or most of the paragraphs (templates
that wrap the story in ``<header>``). A URL shape alone never decides, except a search and a
pagination; a home page is a listing unless it shows one dated story in full, and under
``/tag/``-like paths a page must score higher. A page typed ``ItemList`` that is one long text
is a listicle, not a listing. Weights and
thresholds were measured on wcxb-dev, extraction-dev and metadata-dev together
(``bench/classify.py``); no site is named. Every decision comes with a short, bounded ``reason``
so crawl stats can say why pages were kept or skipped, and a misjudged site can be diagnosed from
the stats alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.extract.dates import find_dates
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
# Where manuals live, and where blogs do: evidence that tells a page of code apart (never alone);
# a page under a blog segment also earns points (``WEIGHTS``).
DOCS_SEGMENTS = frozenset({"docs", "doc", "documentation", "api", "reference", "manual", "handbook", "latest",
                           "stable"})
DOCS_HOSTS = frozenset({"docs", "doc", "developer", "developers", "wiki"})
BLOG_SEGMENTS = frozenset({"blog", "blogs", "post", "posts", "article", "articles", "news", "story", "stories",
                           "notes"})

LONG_PARAGRAPH = 80         # characters: shorter <p> are captions, teasers, bylines
ARTICLE_PARAGRAPHS = 3      # long paragraphs that make a main text
LISTING_LINKS = 30          # links on a page that ...
LISTING_MAX_TEXT = 600      # ... has less paragraph text than this (characters)
SECTION_LINKS = 3           # links that make a short-path page without a main text a section
LISTICLE_BLOCK = 5000       # characters of paragraphs in one container: an ItemList page that is one text
HOME_STORY_PARAGRAPH = 200  # average characters of the main text's paragraphs on a home page showing a story
DATELINE_BEFORE, DATELINE_AFTER = 200, 600  # characters around the headline where bylines and datelines sit


@dataclass(frozen=True)
class Classification:
    label: str    # "article", "listing" or "other"
    reason: str   # short and from a bounded set, e.g. "jsonld:NewsArticle", "url:tag", "forum:schema"

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
    url_kind = url_listing_kind(url) if url else None  # no URL (a file) says nothing
    if url_kind == "home":
        if doc is not None and home_shows_one_story(page_signals(doc, url)):
            return Classification("article", "content+url:home")
        return Classification("listing", "url:home")
    if doc is None:
        return Classification("other", "empty")
    if url_kind in ("search", "pagination"):
        return Classification("listing", f"url:{url_kind}")

    sig = page_signals(doc, url)
    kind = other_page_kind(sig)
    if kind is not None:
        return kind
    declared = declared_types(doc, sig)
    if declared is not None and declared.reason.endswith(":many-articles"):
        # Several typed articles: a listing of teasers, or one story with typed "related" boxes.
        if _article_content(sig) and sig["url_article"] and not url_kind:
            return Classification("article", declared.reason.replace("many-articles", "main+teasers"))
        return declared
    if declared is not None and declared.label == "listing":
        if declared.reason.endswith(":ItemList") and is_listicle(sig):
            return Classification("article", declared.reason.replace("ItemList", "listicle"))
        return declared

    if url_kind:
        # /tag/, /topic/, /author/...: a listing unless the page says and shows it is one story.
        if scores_at_least(sig, STRONG_ARTICLE_SCORE):
            return Classification("article", f"content+url:{url_kind}")
        return Classification("listing", f"url:{url_kind}")
    if scores_at_least(sig, ARTICLE_SCORE):
        if declared is not None:
            return declared
        return Classification("article", "url+content" if sig["url_article"] else "content")
    return _not_article(sig, declared)


def _not_article(sig, declared: Classification | None) -> Classification:
    """The main reason a page scored too low, for the crawl stats."""
    if sig["links"] >= LISTING_LINKS and (sig["paragraph_chars"] < LISTING_MAX_TEXT or sig["link_share"] >= 0.45):
        return Classification("listing", "content:links")
    if sig["teasers"] >= TEASER_CARDS or sig["times"] >= DATED_ITEMS:
        return Classification("listing", "content:teasers")
    if sig["links"] >= SECTION_LINKS and sig["url_section"]:
        # Teasers with summaries look like paragraphs; a short path with links is still a section.
        return Classification("listing", "url:section")
    if sig["prices"] >= MANY_PRICES or sig["cart"]:
        return Classification("other", "content:shop")
    if declared is not None:
        return Classification("other", f"weak:{declared.reason}")
    if _article_content(sig):
        return Classification("other", "content-only")
    return Classification("other", "no-signal")


def _article_content(sig) -> bool:
    return sig["h1"] and sig["long_paragraphs"] >= ARTICLE_PARAGRAPHS


def is_listicle(sig) -> bool:
    """A page typed ``ItemList`` that is one long text with its list (a "best of" or a guide with
    its steps marked up): a single container holds LISTICLE_BLOCK characters of paragraphs and the
    page scores an article's points. A list of links or teasers has no such block."""
    return sig["block_chars"] >= LISTICLE_BLOCK and scores_at_least(sig, ARTICLE_SCORE)


def home_shows_one_story(sig) -> bool:
    """A site's home page is a listing, unless it shows one story in full (a blog whose front page
    is its latest post): a date beside the headline, one main text of five or more long paragraphs
    (HOME_STORY_PARAGRAPH characters each on average, not a column of summaries), nothing that makes
    it a forum, shop or manual, and twice the points an article needs."""
    return (sig["block_paragraphs"] >= 5 and sig["block_chars"] >= HOME_STORY_PARAGRAPH * sig["block_paragraphs"]
            and sig["dateline"] and other_page_kind(sig) is None and scores_at_least(sig, 2 * ARTICLE_SCORE))


# --- forums, shops, documentation ---------------------------------------------------------------

FORUM_TYPES = frozenset({"discussionforumposting", "qapage"})
COMMENT_TYPES = frozenset({"comment", "usercomments"})
PRODUCT_TYPES = frozenset({"product", "productgroup"})


def other_page_kind(sig) -> Classification | None:
    """A forum thread, a product page or a documentation page, which may carry long prose (posts,
    a description, explanations) but are not articles: what the page declares, or code blocks
    where a manual lives or with no sign of a story."""
    types, og = sig["types"], sig["og_type"]
    if types & FORUM_TYPES or og == "forum":
        return Classification("other", "forum:schema")
    if sig["code_blocks"] >= CODE_BLOCKS and (sig["docs_url"] or sig["docs_markup"]):
        # Code with the navigation of a manual (a /docs/ path, a docs. host, the markup of a
        # documentation generator): documentation, even typed TechArticle or og:type article.
        return Classification("other", "docs:code")
    if sig["article_types"]:
        return None  # a declared story with comments, a review with its product
    if types & COMMENT_TYPES and sig["times"] >= 3:
        return Classification("other", "forum:comments")
    if (types & PRODUCT_TYPES or og.startswith(("product", "ebay"))) and not sig["dated"]:
        return Classification("other", "product:schema")
    if sig["code_blocks"] >= CODE_BLOCKS and not (sig["published_meta"] or sig["author_meta"] or og == "article"
                                                  or sig["url_article"] or sig["blog_url"]):
        # Code and no sign of a story either (no date, author, story URL): a page of a manual.
        return Classification("other", "docs:code")
    return None


# --- the article score --------------------------------------------------------------------------

ARTICLE_SCORE = 6          # points (below) a page needs to be an article
STRONG_ARTICLE_SCORE = 7   # ... to be one under a listing-shaped URL (/tag/, /topic/ ...)

# Points, chosen by a small search over wcxb-dev, extraction-dev and metadata-dev together (each
# signal generic: no site, no language; bench/classify.py). What the publisher declares weighs
# most; then a main text (long paragraphs, many of them in one container); then the markup of a
# story (author/date/share class names, a byline, a date, a story URL); against it, what a shop,
# a forum, a page of teasers or a page of links shows. Searched again (2026-12-03) with the
# documentation, boilerplate, CMS-page, forum and /blog/ signals, each weight keeping its sign.
WEIGHTS = {
    "article_types": 15, "og_article": 5, "og_page": -4, "published_meta": 1, "author_meta": 2, "url_article": 4,
    "blog_url": 4, "story_url_and_text": 1, "story_classes": 3, "many_story_classes": 5,
    "long_average_paragraph": 1, "one_text_block": 2, "long_text_block": 2, "long_text_section": 2, "prose": 3,
    "much_prose": 1, "shop_classes": -4, "forum_classes": -6, "mostly_links": -3, "sections_not_text": -1,
    "teasers": -1, "prices": -6, "cart": -3, "few_paragraphs": -2, "dated_items": -10, "dateline": 2,
}
STORY_CLASSES = frozenset({"article", "author", "byline", "date", "publish", "published", "entry", "hentry",
                           "single", "share", "postid", "blog", "post"})
SHOP_CLASSES = frozenset({"product", "products", "price", "cart", "filter", "rating", "add", "options",
                          "accordion"})
CODE_BLOCKS = 3      # <pre> blocks that make a page of code
# The markup documentation generators leave (Sphinx, MkDocs, Docusaurus ...), not blogs.
DOCS_CLASSES = frozenset({"docutils", "xref", "admonition", "headerlink", "docs", "doc"})
DOCS_PHRASES = ("edit this page",)
# The markup of forum software: posts with their author's profile, signature and reply count.
FORUM_CLASSES = frozenset({"postbody", "username", "signature", "replies", "votes", "bbcode", "postprofile",
                           "userinfo", "forum", "thread", "messages"})
TEASER_CARDS = 5     # <article> elements: a page of cards
DATED_ITEMS = 5      # <time> elements: posts or teasers, each dated
MANY_PRICES = 5


# Each feature, cheapest signals first: ``scores_at_least`` stops reading the page as soon as the
# points already won, plus the most the unread features could still add or take, decide the label.
FEATURES = (
    ("article_types", lambda s: bool(s["article_types"])),
    ("og_article", lambda s: s["og_type"] == "article"),
    ("og_page", lambda s: s["og_type"] == "article" and s["modified_meta"] and not s["published_meta"]),
    ("url_article", lambda s: s["url_article"]),
    ("blog_url", lambda s: s["blog_url"] and s["long_paragraphs"] > 0),
    ("published_meta", lambda s: s["published_meta"]),
    ("author_meta", lambda s: s["author_meta"]),
    ("teasers", lambda s: s["teasers"] >= TEASER_CARDS),
    ("dated_items", lambda s: s["times"] >= DATED_ITEMS),
    ("story_classes", lambda s: s["story_classes"] >= 2),
    ("many_story_classes", lambda s: s["story_classes"] >= 4),
    ("shop_classes", lambda s: s["shop_classes"] >= 3),
    ("forum_classes", lambda s: s["forum_classes"] >= 2),
    # the old rule alone: a headline and three paragraphs at a story-shaped URL (a short story)
    ("story_url_and_text", lambda s: s["url_article"] and _article_content(s)),
    ("long_average_paragraph", lambda s: s["paragraph_chars"] >= 200 * max(s["long_paragraphs"], 1)),
    ("one_text_block", lambda s: s["block_paragraphs"] >= 5),
    ("long_text_block", lambda s: s["block_chars"] >= 3000),
    ("long_text_section", lambda s: s["section_chars"] >= 5000),
    ("prose", lambda s: s["long_paragraphs"] >= ARTICLE_PARAGRAPHS and s["paragraph_chars"] >= 1000),
    ("much_prose", lambda s: s["paragraph_chars"] >= 4000),
    ("few_paragraphs", lambda s: s["long_paragraphs"] < ARTICLE_PARAGRAPHS),
    ("dateline", lambda s: s["dateline"]),
    ("sections_not_text", lambda s: s["h2"] >= 8 and s["block_paragraphs"] < 5),
    ("mostly_links", lambda s: s["link_share"] >= 0.45),
    ("prices", lambda s: s["prices"] >= MANY_PRICES),
    ("cart", lambda s: bool(s["cart"])),
)


def article_features(sig) -> dict[str, bool]:
    """Every feature, on or off (for diagnosis: the classifier itself reads only what it needs)."""
    return {name: test(sig) for name, test in FEATURES}


def article_score(sig) -> int:
    return sum(WEIGHTS[name] for name, on in article_features(sig).items() if on)


def scores_at_least(sig, threshold: int) -> bool:
    """``article_score(sig) >= threshold``, reading features only until the answer is certain."""
    score = 0
    gain = sum(w for w in WEIGHTS.values() if w > 0)  # the most the unread features can add ...
    loss = sum(w for w in WEIGHTS.values() if w < 0)  # ... and take
    for name, test in FEATURES:
        if score + loss >= threshold:
            return True
        if score + gain < threshold:
            return False
        weight = WEIGHTS[name]
        if weight > 0:
            gain -= weight
        else:
            loss -= weight
        if test(sig):
            score += weight
    return score >= threshold


# --- declared types ---------------------------------------------------------------------------

def declared_types(doc, sig: PageSignals | None = None) -> Classification | None:
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

    if (sig or PageSignals(doc))["og_type"] == "article":
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


def url_path_words(url: str) -> tuple[str, frozenset]:
    """The host's first label and the path segments, lower case."""
    parts = urlsplit(url)
    return (parts.hostname or "").split(".", 1)[0], frozenset(s for s in (parts.path or "").lower().split("/") if s)


def url_looks_like_docs(url: str) -> bool:
    """``/docs/``, ``/en/latest/``, ``docs.`` or ``developer.`` hosts: where manuals live."""
    host, segments = url_path_words(url)
    return host in DOCS_HOSTS or bool(segments & DOCS_SEGMENTS)


def url_looks_like_blog(url: str) -> bool:
    """A page under ``/blog/``, ``/posts/``, ``/news/``: where stories live (``/news`` itself is a section)."""
    segments = [s for s in (urlsplit(url).path or "").lower().split("/") if s]
    return any(s in BLOG_SEGMENTS for s in segments[:-1])


# --- content ----------------------------------------------------------------------------------

_NOT_TEXT = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::a"


_TOKEN = re.compile(r"[a-z]+")
_PRICE = re.compile(r"[$\u20ac\u00a3\u00a5]\s?\d|\d\s?(?:\u20ac|\$|USD|EUR|GBP)\b")
_CART = ("add to cart", "add to bag", "add to basket", "buy now", "in den warenkorb", "ajouter au panier",
         "a\u00f1adir al carrito")


class PageSignals:
    """Everything the classifier weighs, read from one parsed page on first use (``sig["name"]``):
    most pages are decided by a few cheap signals, and the paragraph and text scans are the dear ones.

    A paragraph is a ``<p>`` with at least LONG_PARAGRAPH characters, mostly not link text, or,
    for sites that write their text as ``<div>`` and ``<br>``, a text run of that length. A main
    text keeps its paragraphs side by side in one container (``block_*``); a page of sections or
    cards spreads short ones over many.
    """

    def __init__(self, doc, url: str = ""):
        self.doc, self.url = doc, url
        self._values: dict = {}

    def __getitem__(self, name: str):
        values = self._values
        if name not in values:
            reader = _READERS[name]
            got = reader(self)
            if isinstance(got, dict):
                values.update(got)
            else:
                values[name] = got
        return values[name]

    def as_dict(self) -> dict:
        return {name: self[name] for name in _READERS}


def page_signals(doc, url: str = "") -> PageSignals:
    return PageSignals(doc, url)


def _paragraphs(sig: PageSignals) -> dict:
    doc = sig.doc
    found = []  # (element, characters, parent of a <p>) for every paragraph and text run
    # The length test comes first: it is cheap, and most nodes fail it before the others.
    for p in doc.xpath(f"//body//p[string-length(normalize-space()) >= {LONG_PARAGRAPH}]"):
        text = " ".join("".join(p.xpath(".//text()[not(ancestor::script or ancestor::style)]")).split())
        link_text = "".join(p.xpath(".//a//text()"))
        if len(text) >= LONG_PARAGRAPH and len(link_text) < len(text) / 2:
            found.append((p, len(text), p.getparent()))
    for run in doc.xpath(f"//body//text()[string-length(normalize-space()) >= {LONG_PARAGRAPH}]"
                         f"[not({_NOT_TEXT} or ancestor::p)]"):
        chars = len(" ".join(run.split()))
        if chars >= LONG_PARAGRAPH:
            found.append((run.getparent().getparent() if run.is_tail else run.getparent(), chars, None))
    found = _outside_boilerplate(found)
    blocks: dict = {}
    sections: dict = {}
    for _, chars, parent in found:
        if parent is not None:
            n, c = blocks.get(parent, (0, 0))
            blocks[parent] = (n + 1, c + chars)
            grand = parent.getparent()
            sections[grand] = sections.get(grand, 0) + chars
    return {
        "long_paragraphs": len(found),
        "paragraph_chars": sum(chars for _, chars, _ in found),
        "block_paragraphs": max((n for n, _ in blocks.values()), default=0),
        "block_chars": max((c for _, c in blocks.values()), default=0),
        "section_chars": max(sections.values(), default=0),
    }


_BOILER_TAGS = ("nav", "footer", "header", "aside")


def _outside_boilerplate(found: list) -> list:
    """The paragraphs not in a page's header, footer, navigation or aside. A page built wholly
    inside one of those (a ``<header>`` round the story, everything in a ``<nav>``) is not all
    boilerplate: a container that holds the ``<h1>`` or most of the paragraphs is kept."""
    where = [[el] if el.tag in _BOILER_TAGS else [] for el, _, _ in found]
    counts: dict = {}
    for (el, _, _), boxes in zip(found, where):
        boxes.extend(el.iterancestors(*_BOILER_TAGS))
        for box in boxes:
            counts[box] = counts.get(box, 0) + 1
    if not counts:
        return found
    half = len(found) / 2
    dropped = {box for box, n in counts.items() if n <= half and box.find(".//h1") is None}
    return [item for item, boxes in zip(found, where) if not dropped.intersection(boxes)]


def _text(sig: PageSignals) -> dict:
    doc = sig.doc
    text = doc.xpath("string(//body)")
    for code in doc.xpath("//body//script/text() | //body//style/text()", smart_strings=False):
        text = text.replace(code, " ", 1)
    text_len = len("".join(text.split()))
    link_len = len("".join("".join(doc.xpath("//body//a//text()")).split()))
    lowered = text.lower()
    return {
        "body_text": text,
        "link_share": link_len / max(text_len, 1),
        "prices": len(_PRICE.findall(text)),
        "cart": any(words in lowered for words in _CART),
        "docs_phrase": any(words in lowered for words in DOCS_PHRASES),
    }


def _dateline(sig: PageSignals) -> bool:
    """A date written just before or after the headline, where stories print their byline and
    dateline ("Ana Ruiz | Senior writer | July 2, 2025", "Published 3 March 2026"): 65 % of
    wcxb-dev's articles show one, 2 to 5 % of its service, product, collection and documentation
    pages. The headline is the longest ``<h1>`` the ``<title>`` holds (else the longest), found in
    the page's text; dates are read by the extractor's ``find_dates`` (numeric and month names
    of many languages), not by a parse of the whole page."""
    heads = [t for t in (" ".join(h.xpath("string()").split()) for h in sig.doc.iter("h1")) if t]
    if not heads:
        return False
    title = " ".join(sig.doc.xpath("string(//title)").split()).casefold()
    in_title = [h for h in heads if len(h) >= 3 and h.casefold() in title]
    head = max(in_title or heads, key=len)
    text = " ".join(sig["body_text"].split())
    pos = text.find(head)
    if pos < 0:
        return False
    return bool(find_dates(text[max(0, pos - DATELINE_BEFORE): pos + len(head) + DATELINE_AFTER], limit=2))


def _classes(sig: PageSignals) -> dict:
    tokens = set(_TOKEN.findall(" ".join(set(sig.doc.xpath("//@class", smart_strings=False))).lower()))
    return {"story_classes": len(tokens & STORY_CLASSES), "shop_classes": len(tokens & SHOP_CLASSES),
            "docs_classes": len(tokens & DOCS_CLASSES), "forum_classes": len(tokens & FORUM_CLASSES)}


def _types(sig: PageSignals) -> dict:
    types, article_types, dated = _all_types(sig.doc)
    return {"types": types, "article_types": article_types, "jsonld_dated": dated}


_PUBLISHED_NAMES = frozenset({"article:published_time", "date", "pubdate", "publish-date"})


def _metas(sig: PageSignals) -> dict:
    """og:type, a publication date and an author, from one pass over the ``<meta>`` elements."""
    og, published, modified, author = None, False, False, False
    for meta in sig.doc.iter("meta"):
        get = meta.get
        prop, name = get("property"), get("name")
        if og is None and (prop == "og:type" or name == "og:type") and get("content") is not None:
            og = get("content").strip().lower()
        published = published or (prop == "article:published_time" or name in _PUBLISHED_NAMES
                                   or get("itemprop") == "datePublished")
        modified = modified or prop == "article:modified_time"
        author = author or name == "author" or prop == "article:author"
    return {"og_type": og or "", "published_meta": published, "modified_meta": modified, "meta_author": author}


def _author(sig: PageSignals) -> bool:
    return sig["meta_author"] or any(el.get("rel") == "author" for el in sig.doc.iter("a", "link"))


def _count(xpath: str):
    return lambda sig: int(sig.doc.xpath(xpath))


_READERS = {
    "h1": lambda sig: bool(sig.doc.xpath("//h1[normalize-space()]")),
    "long_paragraphs": _paragraphs, "paragraph_chars": _paragraphs,
    "block_paragraphs": _paragraphs, "block_chars": _paragraphs, "section_chars": _paragraphs,
    "links": _count("count(//a[@href])"),
    "link_share": _text, "prices": _text, "cart": _text, "docs_phrase": _text, "body_text": _text,
    "dateline": _dateline,
    "h2": _count("count(//h2)"),
    "code_blocks": _count("count(//pre)"),
    "teasers": _count("count(//article)"),
    "times": _count("count(//time)"),
    "story_classes": _classes, "shop_classes": _classes, "docs_classes": _classes, "forum_classes": _classes,
    "types": _types, "article_types": _types, "jsonld_dated": _types,
    "og_type": _metas, "published_meta": _metas, "modified_meta": _metas, "meta_author": _metas,
    "dated": lambda sig: sig["published_meta"] or sig["jsonld_dated"],
    "author_meta": _author,
    "url_article": lambda sig: bool(sig.url) and url_looks_like_article(sig.url),
    "url_section": lambda sig: bool(sig.url) and url_looks_like_section(sig.url),
    "docs_url": lambda sig: bool(sig.url) and url_looks_like_docs(sig.url),
    "blog_url": lambda sig: bool(sig.url) and url_looks_like_blog(sig.url),
    "docs_markup": lambda sig: sig["docs_classes"] > 0 or sig["docs_phrase"],
}


def _all_types(doc) -> tuple[set[str], set[str], bool]:
    """Every schema.org type the page names (JSON-LD nodes and microdata, lower case), the article
    types among them, and whether a JSON-LD node carries ``datePublished``."""
    types: set[str] = set()
    dated = False
    for data in jsonld_blocks(doc):
        for node in _top_nodes(data):
            node_types = node.get("@type")
            node_types = [node_types] if isinstance(node_types, str) else node_types or []
            types.update(t.rsplit("/", 1)[-1].lower() for t in node_types if isinstance(t, str))
            dated = dated or bool(node.get("datePublished"))
    types.update(t.lower() for t in (_schema_type(v) for v in doc.xpath("//*[@itemscope]/@itemtype")) if t)
    return types, types & _ARTICLE_TYPES_LOWER, dated


_ARTICLE_TYPES_LOWER = frozenset(t.lower() for t in ARTICLE_TYPES)


def _as_doc(html):
    """A document from str/bytes, parsed as extraction and the crawl parse pages (one parser)."""
    if html is None:
        return None
    if not isinstance(html, (str, bytes)):
        return html
    return parse(html)[0]
