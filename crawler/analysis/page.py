"""Everything the spider learns from one HTML page, from a single parse, in a pool worker.

Parsing is the costliest thing a crawl does per page after fetching it. Classifying the page
(article or not), listing its links and, for an article, extracting it all read the same tree,
so ``analyse`` parses once and does all three; it runs in ``crawler.workers.PagePool``, off the
reactor thread, and returns plain data that pickles cheaply. It must not import Scrapy: every
worker process imports this module.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from crawler.extract.pipeline import capture_time, extract_parsed, parse
from crawler.analysis.classify import classify

_PAGE_LINKS = "//a/@href | //area/@href"
_FEED_LINKS = ("//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
               "[contains(@type, 'rss') or contains(@type, 'atom')]/@href")
_EMBEDS = ("//img/@src | //script/@src | //link[contains(concat(' ', normalize-space(@rel), ' '), "
           "' stylesheet ')]/@href")


def joiner(base: str):
    """An absolute-URL function for many links of one page: absolute links are not re-parsed and
    root-relative ones are joined by concatenation (pages carry hundreds of links; joining them
    with ``urljoin`` was a visible share of crawl CPU). Links urllib cannot parse, such as a broken
    IPv6 host, give "" (which ``clean_url`` rejects): one bad link must not cost the page the rest."""
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"

    def join(href: str) -> str:
        href = href.strip()
        if "\\" not in href:
            if href.startswith(("http://", "https://")):
                return href
            if href.startswith("/") and not href.startswith("//") and "/." not in href:
                return origin + href  # root-relative, the common case: what urljoin gives, cheaply
        try:
            return urljoin(base, href)
        except ValueError:
            return ""

    return join


def base_url(doc, url: str) -> str:
    """The page's ``<base href>`` made absolute, or the page URL itself."""
    for href in doc.xpath("//base/@href", smart_strings=False)[:1]:
        try:
            return urljoin(url, href.strip())
        except ValueError:
            break
    return url


def analyse(body: bytes, url: str, headers: dict, embeds: bool = False, article: bool = False,
            links: bool = True, fetched: str | None = None) -> dict:
    """``label``/``reason`` (``crawler.analysis.classify``); ``links``: (absolute URL, "page"|"feed") in page
    order; ``embeds``: absolute URLs of images, scripts and stylesheets; ``article``:
    ``Article.to_dict()`` for a page classified as an article, else None (each only when asked);
    ``unreadable``: why there was no document to read, for a non-empty body lxml could not parse.
    ``fetched``: the capture's time (WARC-Date), which no date on the page may follow."""
    doc, warnings = parse(body, headers)
    verdict = classify(url, doc, headers)
    result = {"label": verdict.label, "reason": verdict.reason, "links": [], "embeds": [],
              "article": None, "unreadable": None}
    if doc is None:
        if body and body.strip():
            result["unreadable"] = "; ".join(warnings) or "unparseable"
        return result
    join = joiner(base_url(doc, url)) if links or embeds else None
    if links:
        result["links"] = [(join(h), "page") for h in doc.xpath(_PAGE_LINKS, smart_strings=False)]
        result["links"] += [(join(h), "feed") for h in doc.xpath(_FEED_LINKS, smart_strings=False)]
    if embeds:
        result["embeds"] = [join(src) for src in doc.xpath(_EMBEDS, smart_strings=False)]
    if article and verdict.label == "article":
        # last: extraction prunes the tree
        result["article"] = extract_parsed(doc, url, warnings, source=(body, headers),
                                           fetched=fetched or capture_time(headers)).to_dict()
    return result
