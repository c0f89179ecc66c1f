"""Publication and modification dates: structured data first, checked against what the page shows.

A structured date the reader never sees is weak evidence: republished pages show the newer date,
generic pages carry CMS dates nobody reads. Visible datelines, labelled dates and the URL's
y/m/d are the cross-checks; without any evidence the answer is None, never "now".
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from crawler.extract import dates
from crawler.extract import meta_dom as dom
from crawler.extract.meta_jsonld import ARTICLE_TYPES, PAGE_TYPES, text_of, types_of
from crawler.extract.meta_patterns import patterns

PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time", "published_time",
                  "datepublished", "article.published", "article_date_original", "pubdate", "publishdate",
                  "publish-date", "publish_date", "publication_date", "dc.date.issued", "dcterms.issued",
                  "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "date", "sailthru.date",
                  "parsely-pub-date", "originalpublicationdate", "cxenseparse:recs:publishtime", "datecreated",
                  "created", "article:published", "displaydate", "dc.created", "dateline", "live_date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "modified_time",
                 "datemodified", "article.updated", "lastmod", "last-modified", "dc.date.modified",
                 "dcterms.modified", "updated_time", "article:modified", "revised")


def _month_first(meta, doc) -> bool:
    lang = (doc.get("lang") or dom.first(meta, "og:locale", "content-language") or "").casefold()
    return lang.startswith("en") and not lang.startswith(("en-gb", "en_gb", "en-au", "en-in", "en-ie", "en-nz"))


def published_modified(doc, meta, art, url, date_nodes, has_author=True):
    """(published, modified, source of published); the source lets callers weigh the evidence."""
    mf = _month_first(meta, doc)
    published = modified = None
    source = None
    if art:
        published = dates.parse_date(text_of(art.get("datePublished")), with_text=False) or \
            dates.parse_date(text_of(art.get("dateCreated")), with_text=False)
        modified = dates.parse_date(text_of(art.get("dateModified")), with_text=False)
        if published:
            source = "jsonld:" + ",".join(types_of(art))
    if not published:
        for k in PUBLISHED_META:
            for v in meta.get(k, []):
                published = dates.parse_date(v, month_first=mf, with_text=False)
                if published:
                    source = "meta:" + k
                    break
            if published:
                break
    if not modified:
        for k in MODIFIED_META:
            for v in meta.get(k, []):
                modified = dates.parse_date(v, month_first=mf, with_text=False)
                if modified:
                    break
            if modified:
                break
    if not published or not modified:
        for el in dom.TIME_NODES(doc):
            if dom.skippable(el) or _of_other_item(el):
                continue
            prop = (el.get("itemprop") or "").casefold()
            value = el.get("datetime") or el.get("content") or el.get("title")
            d = dates.parse_date(value, month_first=mf, with_text=False) if value else None
            if not d:
                d = dates.parse_date(dom.clean(el.text_content())[:120], month_first=mf)
            if not d:
                continue
            if prop == "datemodified" or (prop != "datepublished" and _is_modified_label(el)):
                modified = modified or d
            elif not published:
                published = d
                source = "time"
            if published and modified:
                break
    if not published:
        published = _visible_date(date_nodes, mf)
        source = "visible" if published else None
    if not published:
        published = dates.date_from_url(url)
        source = "url" if published else None
    return _cross_check(doc, meta, url, mf, published, modified, source, date_nodes, has_author)


def _cross_check(doc, meta, url, mf, published, modified, source, date_nodes, has_author):
    """Check a structured publication date against what the page shows.

    Pages republished or "updated" often keep the original date only in metadata while showing
    the newer one; pages (not articles) carry CMS dates nobody sees. A date the reader never sees
    and the URL does not carry is weak evidence.
    """
    if not source or not source.startswith(("jsonld", "meta")):
        url_day = dates.date_from_url(url)
        if published and url_day and url_day != published[:10] and source in ("visible", "time") and url_day in {
                d.isoformat() for _, d in dates.find_dates(dom.visible_text(doc)[:100_000], mf)}:
            return url_day, modified, "url-shown"  # the URL's day, also printed on the page, over a dateline
        if published is None:
            published = _labelled_date(doc, mf)
            source = "labelled" if published else None
        if published is None:
            published = _date_near_headline(doc, mf)
            source = "headline-area" if published else None
        if published is None:
            published = _dateline(doc, mf)
            source = "dateline" if published else None
        return published, modified, source
    url_day = dates.date_from_url(url)
    if url_day and url_day == published[:10]:
        return published, modified, source
    if url_day and published.endswith("+00:00"):
        local = dates.shift_to_day(published, url_day)
        if local:  # a UTC timestamp the publisher files under the previous/next local day
            return local, modified, source + "+url-day"
    shown = {d.isoformat() for _, d in dates.find_dates(dom.visible_text(doc)[:100_000], mf)}
    if published[:10] in shown:
        if len(published) == 10:  # a day without time: two visible witnesses agreeing on another day win
            visible = _visible_date(date_nodes, mf)
            if visible and visible != published and visible == _date_near_headline(doc, mf) \
                    and not _swapped(visible, published):
                return visible, modified, "visible-over-" + source
        return published, modified, source
    if not _can_read_dates(doc, meta):
        # the page writes dates in a language or script we cannot read: "not shown" is no evidence
        return published, modified, source
    if modified and modified[:10] in shown and modified[:10] > published[:10]:
        return modified, modified, source + "+shown-modified"
    visible = _visible_date(date_nodes, mf)
    if visible and visible in shown and visible != published[:10] and not _swapped(visible, published):
        return visible, modified, "visible-over-" + source
    if not shown and not has_author and "news" not in source and "reportage" not in source:
        # a generic page (no news type) showing no date and no author: the reader sees no date
        return None, modified, None
    if source.startswith("jsonld") and "webpage" in source and not any(
            t in source for t in ("article", "posting")) and not meta.get("article:published_time"):
        return None, modified, None
    return published, modified, source


def _can_read_dates(doc, meta) -> bool:
    """True when the page's language is one whose month names the pattern table has (or, with no
    declared language, its text is mostly Latin script), so a date missing from ``find_dates`` is
    really missing from the page."""
    lang = (doc.get("lang") or dom.first(meta, "og:locale", "content-language", "language") or "").strip()
    code = lang.replace("_", "-").split("-")[0].casefold()
    if code and code not in patterns().date_languages:
        return False
    # templates often declare a default language ("en-US") over text in another script
    sample = dom.visible_text(doc)[:3000]
    letters = [c for c in sample if c.isalpha()]
    return not letters or sum(c < "\u0250" for c in letters) >= 0.8 * len(letters)


def _of_other_item(el) -> bool:
    """Inside a microdata item that is not an article or page (a Review, Comment, Product,
    SoftwareApplication...): its datePublished is that item's, not this page's."""
    for anc in el.iterancestors():
        if anc.get("itemscope") is not None or anc.get("itemtype"):
            kind = (anc.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].casefold()
            return bool(kind) and kind not in ARTICLE_TYPES and kind not in PAGE_TYPES
    return False


def _swapped(a: str, b: str) -> bool:
    """Same date with day and month exchanged (01.11. read as January 11): an ambiguity, not evidence."""
    return a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]


_FOOTER_CHARS = 250


def _labelled_date(doc, mf) -> str | None:
    """A date the page labels as this document's ("Published: ...", "Stand: ...", "Aktualisiert am ...")."""
    p = patterns()
    text = dom.visible_text(doc)
    low = text.lower()
    if len(low) == len(text):  # offsets carry over (true unless a letter lower-cases to two)
        scans = (p.published_label_lc.finditer(low), p.modified_label_lc.finditer(low))
    else:
        scans = (p.published_label.finditer(text), p.modified_label.finditer(text))
    for kind, matches in enumerate(scans):
        for m in matches:
            if kind and m.start() > len(text) - _FOOTER_CHARS:
                break  # "Last modified: ..." as the page's last line: the template's stamp, not the story's
            window = text[m.end(): m.end() + 40]
            found = dates.find_dates(window, mf, limit=2)
            if found and (found[0][0] <= 8 or (found[0][0] <= 24 and sum(
                    ch.isalpha() for ch in _date_like().sub(" ", window[:found[0][0]])) <= 6)):
                return found[0][1].isoformat()  # "Published: ...", "wurde am Samstag, 3. Dezember ..."
    return None


def _date_near_headline(doc, mf) -> str | None:
    """A date written just before or after the headline: where bylines and datelines sit."""
    h1 = dom.H1(doc)
    if not h1:
        return None
    text = dom.visible_text(doc)
    head = dom.clean(h1[0].text_content())
    pos = text.find(head) if head else -1
    if pos < 0:
        return None
    window = text[max(0, pos - 200): pos + len(head) + 600]
    found = dates.find_dates(window, mf, limit=5)
    return found[0][1].isoformat() if found else None


_TEXT_NODES = etree.XPath(
    "/descendant::body/descendant::text()[normalize-space()][not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::a or ancestor::option)]")
_DATELINE_MAX_NODES = 3000


@lru_cache(maxsize=1)
def _date_like():
    """Month, weekday and clock words with digits and separators: what is left after it is a label."""
    p = patterns()
    words = "|".join(re.escape(w) for w in sorted(set(p.month_of) | p.weekdays | {"uhr", "um", "at"}, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + words + r")(?!\w)\.?|[\d.:/,\-–]+", re.I)


def _dateline(doc, mf) -> str | None:
    """The first element that holds nothing but a date ("29.11.2022", "Apr 7, 2009", "Teilen: 01.11.2023
    11:35"): how pages print their own date. Dates inside sentences ("am 6. Mai findet ...") are events,
    link texts are other pages', and dates in comments, teasers and sidebars are not this page's."""
    p = patterns()
    for i, node in enumerate(_TEXT_NODES(doc)):
        if i > _DATELINE_MAX_NODES:
            break
        text = node.strip()
        if len(text) > 40 or not any(ch.isdigit() for ch in text):
            continue
        found = dates.find_dates(text, mf, limit=1)
        if len(found) != 1:
            continue
        rest = _date_like().sub(" ", text).strip(" :|-–·")
        if rest and not p.published_label.fullmatch(rest):
            continue  # "Created Jan 25, 2008", "Start 27/02/2022": some other event's date
        parent = node.getparent()
        if parent is not None and dom.skippable(parent):
            continue
        return found[0][1].isoformat()
    return None


def _is_modified_label(el) -> bool:
    text = dom.clean((el.getparent().text_content() if el.getparent() is not None else "") or "")[:80]
    cls = (el.get("class") or "").casefold()
    if "publish" in cls:
        return False
    return "updated" in cls or "modified" in cls or bool(patterns().modified_label.match(text))


def _visible_date(nodes, mf) -> str | None:
    p = patterns()
    for el in nodes:
        text = dom.clean(el.text_content())
        if not text or len(text) > 200 or dom.skippable(el):
            continue
        cls = (el.get("class") or "").casefold()
        if "update" in cls or "modif" in cls:
            continue
        m = p.modified_label.search(text)
        if m and not p.published_label.search(text[:m.start()]):
            text = text[:m.start()]
        d = dates.parse_date(text, month_first=mf)
        if d:
            return d
    return None
