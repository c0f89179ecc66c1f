"""DOM helpers shared by the metadata extractors: one pass over candidate elements, meta tags,
visible text, and the test for "this element belongs to something else" (comments, teasers, chrome).

Shared so each extractor (headline, authors, dates) reads the tree the same way and the costly
passes run once per page. Only reads the tree.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from lxml import etree

WS = re.compile(r"\s+")

# "/descendant::x[p]" selects exactly what "//x[p]" does when p is not positional, but libxml2 does
# not first build the descendant-or-self::node() node-set that "//" stands for: 20-40% less per
# query on real pages. The other extract modules write their XPath the same way.
_META = etree.XPath("/descendant::meta")
H1 = etree.XPath("/descendant::h1")
TITLE = etree.XPath("/descendant::title")
LINK_CANONICAL = etree.XPath('/descendant::link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
LINK_IMAGE = etree.XPath('/descendant::link[@rel="image_src"]/@href')
_SKIP_ANCESTORS = re.compile(
    r"(?:^|[\s_-])(?<!has-)(?<!with-)(?<!no-)(?<!has_)(?<!with_)(?:comments?|related|sidebar|promo|newsletter|teasers?|recommend\w*|more-from|popular|trending)"
    r"(?:$|[\s_-])", re.I)
# matched against lower-cased attribute text without re.I: the engine then skips ahead by first
# character, which matters because every element with a class or id is tested
_BYLINE_ATTR = re.compile(r"byline|author|autor|auteur|writer|reporter|creator|contributor")
_DATE_ATTR = re.compile(r"date|time|publish|datum|meta|byline")
_ANY_ATTR = re.compile(_BYLINE_ATTR.pattern + "|" + _DATE_ATTR.pattern)
_NOT_CANDIDATE = {"script", "style", "meta", "link", "body", "html", "article", "main", "img", "noscript", "head",
                  "svg", "path", "picture", "source", "iframe", "input", "button", "form"}
_CANDIDATE_ATTRS = frozenset(("class", "id", "rel", "itemprop", "data-testid", "data-author", "author"))
TIME_NODES = etree.XPath("/descendant::time | /descendant::*[@itemprop='datePublished' or @itemprop='dateModified'"
                         " or @itemprop='dateCreated']")


def all_elements(doc):
    """Every element of ``doc``'s document in document order: what XPath ``/descendant::*`` selects,
    walked in Python because libxml2 evaluates attribute predicates slowly (a filter like
    ``[@class or @id or @rel or @itemprop or @data-testid]`` cost twice the whole walk)."""
    root = doc.getroottree().getroot()
    if root is None:
        return
    for top in (*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()):
        yield from top.iter(etree.Element)


# (document, list(all_elements(document))) while the pipeline reads an unchanged tree: the metadata
# and caption stages each scan every element, and one walk serves both. Holding the list also keeps
# lxml's element proxies alive for the later look-ups of the same elements (5% of extraction CPU).
shared_elements: tuple | None = None


def elements_of(doc):
    """``all_elements(doc)``, from ``shared_elements`` when it holds this document."""
    shared = shared_elements
    if shared is not None and shared[0] is doc:
        return shared[1]
    return all_elements(doc)


def candidates(doc):
    """Byline-like and date-like elements, found in one pass (XPath translate() over every node is slow)."""
    bylines, datelines = [], []
    for el in elements_of(doc):
        tag = el.tag
        if tag in _NOT_CANDIDATE or (_CANDIDATE_ATTRS.isdisjoint(el.keys()) and tag != "byline" and tag != "author"):
            if tag == "article" and (el.get("data-author") or el.get("author")):
                bylines.append(el)  # a forum post naming its author (``authors`` reads the attribute only)
            continue
        rel = el.get("rel") or ""
        prop = el.get("itemprop") or ""
        attrs = ((el.get("class") or "") + " " + (el.get("id") or "") + " " + (el.get("data-testid") or "")).lower()
        if rel == "author" or prop in ("author", "creator") or tag in ("byline", "author") \
                or el.get("data-author") or el.get("author"):
            bylines.append(el)
        elif not _ANY_ATTR.search(attrs):
            continue
        elif _BYLINE_ATTR.search(attrs):
            bylines.append(el)
        if _DATE_ATTR.search(attrs):
            datelines.append(el)
    return bylines, datelines


INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def clean(text) -> str:
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():  # the invisible characters are not ASCII; translate costs a dict lookup per character
        text = text.translate(INVISIBLE_CHARS)
    # WS.sub(" ", text).strip(), 3-4 times faster: \s and str.split() both split on str.isspace()
    return " ".join(text.split())


def collapse_space(text: str) -> str:
    """``WS.sub(" ", text)`` (each run of whitespace becomes one space, ends included) without a
    match object per run: on a page's whole text that was the largest cost of ``visible_text``."""
    out = " ".join(text.split())
    if not out:
        return " " if text else ""
    if text[0].isspace():
        out = " " + out
    if text[-1].isspace():
        out += " "
    return out


def collect_meta(doc) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for el in _META(doc):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if value is None:
            value = el.get("datetime")
        if key and value and value.strip():
            meta.setdefault(key.strip().casefold(), []).append(value.strip())
    return meta


def first(meta, *keys) -> str | None:
    for k in keys:
        vals = meta.get(k)
        if vals:
            return vals[0]
    return None


def absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if url.startswith("data:"):
        return None
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return url


def skippable(el) -> bool:
    """Inside comments, related-article teasers, sidebars or footers: not this article's metadata.
    A wrapper that holds the headline is the page's layout, whatever its class says."""
    ancestors = list(el.iterancestors())
    in_article = any(a.tag == "article" for a in ancestors)
    for anc in ancestors:
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("body", "html"):
            break
        if tag in ("aside", "nav") or (tag == "footer" and not in_article):
            return True
        cls = ((anc.get("class") or "") + " " + (anc.get("id") or "")).casefold()
        if cls.strip() and _SKIP_ANCESTORS.search(cls) and not _holds_headline(anc) \
                and _SKIP_ANCESTORS.search(_without_modifiers(cls)):
            return True
    return False


_MODIFIERS = ("has-", "with-", "no-", "has_", "with_", "no_")


def _without_modifiers(cls: str) -> str:
    """Class names less those that describe a layout's parts ("main-content has-double-sidebar",
    "with-left-sidebar"): the element holding the page's text is not the sidebar it makes room for."""
    return " ".join(t for t in cls.split() if not t.startswith(_MODIFIERS))


def _holds_headline(el) -> bool:
    """A "sidebar" or "newsletter" class on an element that holds the page's ``<h1>`` names a layout
    ("content-sidebar-wrap", a newsletter platform's post), not a box beside the article."""
    return next(el.iterdescendants("h1"), None) is not None


def element_text(el) -> str:
    """Element text with a space between child elements ("<b>By</b>Jane" is two words on screen)."""
    return clean(" ".join(el.itertext()))


_NON_WORD = re.compile(r"[\W_]+")


def norm_cmp(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


_INVISIBLE_TAGS = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg"}


_HIDDEN_SUBTREES = frozenset(("script", "style", "noscript", "template", "svg"))
_BODIES = etree.XPath("/descendant::body")


def visible_texts(doc) -> list[str]:
    """The text nodes of ``//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript
    or ancestor::template or ancestor::svg)]``, in document order, found by a Python walk that skips
    hidden subtrees: libxml2 evaluated the five ancestor tests on every text node, which cost 2.5 times
    this walk on real pages. (libxml2's HTML parser merges adjacent text, so each ``.text``/``.tail``
    is exactly one text node.)"""
    parts: list[str] = []
    append = parts.append
    walked: list = []
    for body in _BODIES(doc):
        if any(a.tag in _HIDDEN_SUBTREES or any(a is b for b in walked) for a in body.iterancestors()):
            continue  # inside a hidden element, or inside a <body> already walked
        walked.append(body)
        walker = etree.iterwalk(body, events=("start", "end", "comment", "pi"))
        for event, el in walker:
            if event == "start":
                if el.tag in _HIDDEN_SUBTREES:
                    walker.skip_subtree()  # its "end" still comes: its tail is visible
                elif el.text:
                    append(el.text)
            elif el.tail and el is not body:  # end of an element, or a comment / PI (text not shown)
                append(el.tail)
    return parts


visible_cache: dict = {}


def visible_text(doc) -> str:
    """The text a reader sees (no scripts, styles or head), cached for the page being extracted."""
    key = id(doc)
    hit = visible_cache.get(key)
    if hit is not None and hit[0] is doc:
        return hit[1]
    # a regex skips the big string in C; str.translate with a dict costs a Python lookup per character
    text = " ".join(visible_texts(doc))[:400_000]
    if not text.isascii():
        text = _INVISIBLE_RE.sub("", text)
    text = collapse_space(text)
    visible_cache.clear()
    visible_cache[key] = (doc, text)
    return text
