"""Publication and modification dates: structured data first, checked against what the page shows.

A structured date the reader never sees is weak evidence: republished pages show the newer date,
generic pages carry CMS dates nobody reads. Visible datelines, labelled dates and the URL's
y/m/d are the cross-checks; without any evidence the answer is None, never "now".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract import dates
from crawler.extract import meta_dom as dom
from crawler.extract.meta_jsonld import ARTICLE_TYPES, PAGE_TYPES, jsonld_objects, text_of, types_of
from crawler.extract.meta_patterns import patterns

PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time", "published_time",
                  "datepublished", "article.published", "article_date_original", "pubdate", "publishdate",
                  "publish-date", "publish_date", "publication_date", "dc.date.issued", "dcterms.issued",
                  "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "date", "sailthru.date",
                  "parsely-pub-date", "originalpublicationdate", "cxenseparse:recs:publishtime", "datecreated",
                  "created", "article:published", "displaydate", "dc.created", "dateline", "live_date",
                  "citation_publication_date", "citation_online_date", "citation_date", "published-date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "modified_time",
                 "datemodified", "article.updated", "lastmod", "last-modified", "dc.date.modified",
                 "dcterms.modified", "updated_time", "article:modified", "revised")


# Countries whose English writes the day first; US English (and a page that says nothing more than
# "en" on a generic domain) writes the month first. Other languages write the day first.
_DAY_FIRST_REGIONS = frozenset(("gb", "uk", "au", "nz", "ie", "in", "za", "sg", "my", "pk", "ng", "ke", "hk",
                                "mt", "cy", "gh", "lk", "bd", "jm", "tt", "zw", "ug", "tz"))
_MONTH_FIRST_REGIONS = frozenset(("us", "ph", "ca"))


def _month_first(meta, doc, url=None) -> bool:
    """How the page writes ambiguous numeric dates ("03/04/2024"): from its own unambiguous numeric
    dates first, then its language and region (``lang``, ``og:locale``), then its country domain."""
    order = dates.numeric_order(dom.visible_text(doc)[:100_000])
    if order:
        return order == "mdy"
    langs = [v.replace("_", "-").casefold() for v in (doc.get("lang"), dom.first(meta, "og:locale"),
                                                     dom.first(meta, "content-language")) if v]
    lang = langs[0] if langs else ""
    if lang and not lang.startswith("en"):
        return False
    region = next((v.split("-")[1] for v in langs if v.startswith("en-") and len(v.split("-")[1]) == 2), None)
    if region:
        return region not in _DAY_FIRST_REGIONS
    host = (urlsplit(url).hostname or "") if url else ""
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    if tld in _DAY_FIRST_REGIONS:
        return False
    return bool(lang) or tld in _MONTH_FIRST_REGIONS


class _Sanity:
    """The checks every candidate date passes before it is stored: never after the capture, and a
    publication date never after a modification date the page's structured data states. A date
    that fails is not stored; the warning says which and why, once."""

    def __init__(self, fetched, warnings):
        self.bound = dates.capture_instant(fetched)
        self.warnings = warnings
        self.modified = None  # the structured modification date, once known

    def _drop(self, value, why):
        note = f"date {value} dropped: {why}"
        if self.warnings is not None and note not in self.warnings:
            self.warnings.append(note)
        return None

    def modified_ok(self, value):
        if value and dates.later_than(value, self.bound):
            return self._drop(value, "later than the capture")
        return value

    def published_ok(self, value, structured=False):
        """``structured``: the page's own structured data, which a structured modification date
        does not overrule (when the two disagree, the modification date goes)."""
        if not value:
            return None
        if dates.later_than(value, self.bound):
            return self._drop(value, "later than the capture")
        if not structured and dates.later(value, self.modified):
            return self._drop(value, f"later than the modification date {self.modified}")
        return value


def _live_blog_start(art) -> str | None:
    """A live blog's first post: its coverage start or its earliest update, when earlier than the
    datePublished that some CMSs move with every update."""
    found = []
    for value in (art.get("coverageStartTime"), art.get("datePublished")):
        d = dates.parse_date(text_of(value), with_text=False)
        if d:
            found.append(d)
    updates = art.get("liveBlogUpdate")
    for update in (updates if isinstance(updates, list) else [updates])[:500]:
        if isinstance(update, dict):
            d = dates.parse_date(text_of(update.get("datePublished")), with_text=False)
            if d:
                found.append(d)
    if not found:
        return None
    first = found[0]
    for d in found[1:]:
        if dates.later(first, d):
            first = d
    return first


def published_modified(doc, meta, art, url, date_nodes, has_author=True, fetched=None, warnings=None):
    """(published, modified, source of published); the source lets callers weigh the evidence.
    ``fetched`` (the capture's time) bounds every date and gives two-digit years their century;
    ``warnings`` receives what sanity dropped."""
    sane = _Sanity(fetched, warnings)
    with dates.capture_year(sane.bound):
        return _published_modified(doc, meta, art, url, date_nodes, has_author, sane)


def _published_modified(doc, meta, art, url, date_nodes, has_author, sane):
    mf = _month_first(meta, doc, url)
    art = art or _subject_item(doc)
    published = modified = None
    source = None
    if art:
        modified = sane.modified_ok(dates.parse_date(text_of(art.get("dateModified")), with_text=False))
    if not modified:
        for k in MODIFIED_META:
            for v in meta.get(k, []):
                modified = sane.modified_ok(dates.parse_date(v, month_first=mf, with_text=False))
                if modified:
                    break
            if modified:
                break
    sane.modified = modified
    if art:
        if "liveblogposting" in types_of(art):
            published = sane.published_ok(_live_blog_start(art), True)
        published = published or sane.published_ok(
            dates.parse_date(text_of(art.get("datePublished")), with_text=False), True) or sane.published_ok(
            dates.parse_date(text_of(art.get("dateCreated")), with_text=False), True)
        if published:
            source = "jsonld:" + ",".join(types_of(art))
            published = _with_local_offset(doc, published)
    if not published:
        for k in PUBLISHED_META:
            for v in meta.get(k, []):
                published = sane.published_ok(dates.parse_date(v, month_first=mf, with_text=False), True)
                if published:
                    source = "meta:" + k
                    break
            if published:
                break
    if not published or not modified:
        for el in dom.TIME_NODES(doc):
            if _not_this_page(el) or _of_other_item(el):
                continue
            prop = (el.get("itemprop") or "").casefold()
            value = el.get("datetime") or el.get("content") or el.get("title")
            d = dates.parse_date(value, month_first=mf, with_text=False) if value else None
            if not d:
                d = dates.parse_date(dom.clean(el.text_content())[:120], month_first=mf)
            if not d:
                continue
            if prop == "datemodified" or (prop != "datepublished" and _is_modified_label(el)):
                modified = modified or sane.modified_ok(d)
            elif not published:
                published = sane.published_ok(d)
                source = "time" if published else None
            if published and modified:
                break
    if not published:
        published = sane.published_ok(_visible_date(date_nodes, mf))
        source = "visible" if published else None
    if not published:
        published = sane.published_ok(dates.date_from_url(url))
        source = "url" if published else None
    published, modified, source = _cross_check(doc, meta, url, mf, published, modified, source, date_nodes,
                                               has_author, sane)
    if published and modified and dates.later(published, modified):
        # the modification date came from a weaker witness (a time element, a label) than this one
        sane._drop(modified, f"earlier than the publication date {published}")
        modified = None
    return published, modified, source


def _cross_check(doc, meta, url, mf, published, modified, source, date_nodes, has_author, sane):
    """Check a structured publication date against what the page shows.

    Pages republished or "updated" often keep the original date only in metadata while showing
    the newer one; pages (not articles) carry CMS dates nobody sees. A date the reader never sees
    and the URL does not carry is weak evidence. Every date this step brings in passes ``sane``.
    """
    ok = sane.published_ok
    if not source or not source.startswith(("jsonld", "meta")):
        url_day = dates.date_from_url(url)
        if published and url_day and url_day != published[:10] and source in ("visible", "time") and url_day in {
                d.isoformat() for _, d in dates.find_dates(dom.visible_text(doc)[:100_000], mf)} and ok(url_day):
            return url_day, modified, "url-shown"  # the URL's day, also printed on the page, over a dateline
        for find, name in ((_labelled_date, "labelled"), (_date_near_headline, "headline-area"),
                           (_dateline, "dateline"), (_lede_date, "lede")):
            if published is not None:
                break
            published = ok(find(doc, mf))
            source = name if published else None
        return published, modified, source
    url_day = dates.date_from_url(url)
    if url_day and url_day == published[:10]:
        return published, modified, source
    if url_day and published.endswith("+00:00"):
        local = dates.shift_to_day(published, url_day)
        if local:  # a UTC timestamp the publisher files under the previous/next local day
            return local, modified, source + "+url-day"
    shown = {d.isoformat() for _, d in dates.find_dates(dom.visible_text(doc)[:100_000], mf)}
    visible = ok(_visible_date(date_nodes, mf))
    # a date element's own reading counts as shown too ("14.11.24": two-digit years)
    if published[:10] in shown or (visible and visible[:10] == published[:10]):
        if len(published) == 10:  # a day without time: two visible witnesses agreeing on another day win
            if visible and visible != published and visible == _date_near_headline(doc, mf) \
                    and not _swapped(visible, published):
                return visible, modified, "visible-over-" + source
        return published, modified, source
    if not _can_read_dates(doc, meta):
        # the page writes dates in a language or script we cannot read: "not shown" is no evidence
        return published, modified, source
    if visible and visible in shown and visible != published[:10] and not _swapped(visible, published) \
            and not _next_day(visible, published):
        return visible, modified, "visible-over-" + source
    if _unseen_on_generic_page(meta, source, shown, has_author):
        return None, modified, None
    return published, modified, source


def _unseen_on_generic_page(meta, source, shown, has_author) -> bool:
    """A structured date on a page that is no article and shows no date: a CMS stamp nobody reads."""
    if not shown and not has_author and not any(t in source for t in ("article", "posting", "reportage", "question")):
        return True  # a generic page (no article type, no article:published_time) showing no date and no author
    return source.startswith("jsonld") and "webpage" in source and not any(
        t in source for t in ("article", "posting")) and not meta.get("article:published_time")


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


_CHROME = re.compile(r"masthead|site-?header|top-?bar|navbar|ticker|breadcrumb|today|current-?date|weather", re.I)
# one reader comment, by its numbered id ("comment3111", "comment-42") or a comments-list class
_COMMENT_ITEM = re.compile(r"(?:^|\s)comment[-_]?\d+(?:$|\s)|comments?-?list", re.I)


def _not_this_page(el) -> bool:
    """A date element that belongs to something else: comments, related teasers and sidebars
    (``skippable``), or the site's header and its widgets (a today's-date line above the page)."""
    if dom.skippable(el):
        return True
    ancestors = list(el.iterancestors())
    in_article = any(anc.tag in ("article", "main") for anc in ancestors)
    for anc in ancestors:
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("body", "html"):
            break
        attrs = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if _COMMENT_ITEM.search(attrs):
            return True
        if anc.get("role") == "banner" or _CHROME.search(attrs):
            return not in_article
        if tag == "header" and not in_article and not anc.xpath("descendant::h1"):
            return True  # the site's header, not the article's (which holds the headline)
    return False


# A question-and-answer or forum page is dated by its question or opening post: those items are
# the page's own subject, unlike the answers, comments and reviews nested in it.
_SUBJECT_ITEMS = ("qapage", "question", "discussionforumposting")


def _with_local_offset(doc, value: str) -> str:
    """A UTC instant as the page itself prints it, when one of its time elements states the very
    same instant with a local offset: UTC is nobody's calendar day, the publisher's offset is."""
    if not value.endswith("+00:00"):
        return value
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return value
    for el in dom.TIME_NODES(doc)[:50]:
        local = dates.parse_date(el.get("datetime") or el.get("content"), with_text=False)
        if local and len(local) > 19 and not local.endswith("+00:00"):
            try:
                if datetime.fromisoformat(local) == instant:
                    return local
            except ValueError:
                continue
    return value


def _subject_item(doc) -> dict | None:
    """With no article object, the JSON-LD thread or question the page is about (a forum's
    ``DiscussionForumPosting``, a Q&A page's ``Question``): its ``datePublished`` is the opening
    post's, while the times printed beside each reply are the replies'."""
    for obj in jsonld_objects(doc):
        if any(t in _SUBJECT_ITEMS for t in types_of(obj)) and (obj.get("datePublished") or obj.get("dateCreated")):
            return obj
    return None


def _of_other_item(el) -> bool:
    """Inside a microdata item that is not an article or page (a Review, Comment, Answer, Product,
    SoftwareApplication...): its datePublished is that item's, not this page's."""
    for anc in el.iterancestors():
        if anc.get("itemscope") is not None or anc.get("itemtype"):
            kind = (anc.get("itemtype") or "").rstrip("/").rsplit("/", 1)[-1].casefold()
            return bool(kind) and kind not in ARTICLE_TYPES and kind not in PAGE_TYPES and kind not in _SUBJECT_ITEMS
    return False


def _next_day(day: str, instant: str) -> bool:
    """True when ``day`` is the day before or after ``instant``, a time stated with the publisher's
    own (non-UTC) offset: the same moment printed in another time zone (the reader's or the
    server's), so the structured local day stands. A UTC or offset-less time is no local day: there
    the page's printed day is the better witness."""
    if len(instant) <= 19 or instant.endswith("+00:00"):
        return False
    try:
        return abs((date.fromisoformat(day) - date.fromisoformat(instant[:10])).days) == 1
    except ValueError:
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
        scans = (p.published_label_lc.finditer(low),)
    else:
        scans = (p.published_label.finditer(text),)
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


def _headline_text(doc) -> str | None:
    """The text of the page's headline ``<h1>``: the longest one the ``<title>`` contains (pages
    carry empty or site-name h1s in their chrome), else the longest one."""
    heads = [t for t in (dom.clean(h.text_content()) for h in dom.H1(doc)) if len(t) >= 3]
    if not heads:
        return None
    titles = dom.TITLE(doc)
    title = dom.norm_cmp(titles[0].text_content()) if titles else ""
    in_title = [t for t in heads if dom.norm_cmp(t) and dom.norm_cmp(t) in title]
    return max(in_title or heads, key=len)


def _date_near_headline(doc, mf) -> str | None:
    """A date written just before or after the headline: where bylines and datelines sit."""
    head = _headline_text(doc)
    if not head:
        return None
    text = dom.visible_text(doc)
    pos = text.find(head)
    if pos < 0:
        return None
    start = max(0, pos - 200)
    window = text[start: pos + len(head) + 600]
    chrome = " ".join(dom.clean(el.text_content()) for el in _SITE_HEADERS(doc))
    for offset, day in dates.find_dates(window, mf, limit=5):
        if start + offset < pos and chrome and _written_in(day, window[offset:offset + 40], chrome):
            continue  # the site header's today's-date line, just above the headline
        if _in_prose(window, offset):
            continue  # "Ich habe am 12. Mai 2006 eine Mail-Aktion ...": an event the story tells of
        return day.isoformat()
    return None


# a date's year, its clock time if any ("2019, 19:51", "2010 um 23:03 Uhr"), then the next word
_AFTER_DATE = re.compile(r"(?:19|20)\d\d(?:,?\s*(?:um|at|à|a las|alle)?\s*[0-2]?\d[:.h][0-5]\d"
                         r"(?:\s*(?:uhr|h|[ap]\.?m\.?))?)?[\s,]+(?P<word>[^\W\d_]+)")
_BYLINE_WORDS = frozenset(("von", "by", "par", "por", "di", "door", "av", "af", "from", "um", "at", "uhr", "und",
                           "and"))


def _in_prose(text: str, offset: int) -> bool:
    """True when the date at ``offset`` runs on into a sentence: the word after it (and after a
    clock time) is a lower-case word that no byline or dateline puts there."""
    year = dates.YEAR.search(text, offset, offset + 40)
    m = _AFTER_DATE.match(text, year.start(), offset + 80) if year else None
    if not m:
        return False
    word = m["word"]
    return word.islower() and word.casefold() not in _BYLINE_WORDS and len(word) > 1


_SITE_HEADERS = etree.XPath("/descendant::header[not(descendant::h1) and not(ancestor::article or ancestor::main)]"
                            " | /descendant::*[@role='banner'][not(descendant::h1)]")


def _written_in(day, written: str, chrome: str) -> bool:
    """True when the date written at the start of ``written`` appears in the ``chrome`` text."""
    return any(d == day and written[:o + 12].strip()[:10] in chrome for o, d in dates.find_dates(written, limit=1)[:1])


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
        if parent is not None and _not_this_page(parent):
            continue
        return found[0][1].isoformat()
    return None


_PARAGRAPHS = etree.XPath("/descendant::p[not(ancestor::a)]")
_LEDE_MAX_PARAGRAPHS = 40
# "Bern, 17.08.2007 - Rede ...", "(21. November 2022) Energieverbraucher ...", "29.11.2022 – Mehrfach ...":
# up to three words of place, the date (bracketed or not), then a dash, a stop or a colon
_LEDE_END = re.compile(r"^\)?\s*(?:[–—-]|[.:]\s)")


def _lede_date(doc, mf) -> str | None:
    """The date a news story's first paragraph opens with, the wire-service dateline
    ("Bern, 17.08.2007 - ..."): the story's own date, unlike a date inside a sentence."""
    for i, para in enumerate(_PARAGRAPHS(doc)):
        if i >= _LEDE_MAX_PARAGRAPHS:
            break
        text = dom.clean(para.text_content())[:60]
        found = dates.find_dates(text, mf, limit=1)
        if not found:
            continue
        offset, day = found[0]
        bracketed = text[:offset].rstrip().endswith("(")
        head = text[:offset].rstrip(" (")
        if (head and (len(head.split()) > 3 or not head.endswith(","))) or _not_this_page(para):
            continue
        rest = text[offset:]
        end = dates.YEAR.search(rest)
        after = rest[end.end():] if end else ""
        if end and ((bracketed and after.startswith(")")) or _LEDE_END.match(after)) \
                and not dates.find_dates(after[:16], mf, limit=1):  # "1/27/2026 - 3/24/2026": a period
            return day.isoformat()
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
        if not text or len(text) > 200 or _not_this_page(el):
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
