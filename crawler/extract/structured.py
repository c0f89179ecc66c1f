"""Article metadata: structured data first (JSON-LD, microdata, OpenGraph, meta tags), cross-checked
against the visible page, DOM heuristics last.

Structured data is what publishers maintain for machines, so it is usually right about dates and
titles; it is often wrong about people (an organisation as author, a CMS account name), so the
visible byline wins when it names persons and the structured data does not.
Only reads the tree: the body stage runs afterwards and may prune it.
"""

from __future__ import annotations

import difflib
import html
import re
from urllib.parse import urljoin

from lxml import etree

from crawler.extract import dates, people
from crawler.extract.meta_patterns import patterns
from crawler.extract.meta_jsonld import (id_index, image_of, jsonld_objects, people_of, pick_article, resolve,
                                         text_of, types_of)

_WS = re.compile(r"\s+")
_TITLE_SEP = re.compile(r"\s+(?:[|·•»:–—\-]|::|/)\s+")

_META = etree.XPath("//meta")
_PREFIX_BEFORE = re.compile(r"(?:^|(?<=[\s·|,;]))(?:by|von|par|por|de|di|door|av|af|text|texte|written by|autor|author|auteur)\s*:?\s*$", re.I)
_H1 = etree.XPath("//h1")
_TITLE = etree.XPath("//title")
_LINK_CANONICAL = etree.XPath('//link[translate(@rel, "CANONICAL", "canonical")="canonical"]/@href')
_LINK_IMAGE = etree.XPath('//link[@rel="image_src"]/@href')
_SKIP_ANCESTORS = re.compile(
    r"(?:^|[\s_-])(?<!has-)(?<!with-)(?<!no-)(?<!has_)(?<!with_)(?:comments?|related|sidebar|promo|newsletter|teasers?|recommend\w*|more-from|popular|trending)"
    r"(?:$|[\s_-])", re.I)
_BYLINE_ATTR = re.compile(r"byline|author|autor|auteur|writer|reporter|creator|contributor", re.I)
_DATE_ATTR = re.compile(r"date|time|publish|datum|meta|byline", re.I)
_ANY_ATTR = re.compile(_BYLINE_ATTR.pattern + "|" + _DATE_ATTR.pattern, re.I)
_NOT_CANDIDATE = {"script", "style", "meta", "link", "body", "html", "article", "main", "img", "noscript", "head",
                  "svg", "path", "picture", "source", "iframe", "input", "button", "form"}
_ATTRS = etree.XPath("//*[@class or @id or @rel or @itemprop or @data-testid] | //byline | //author")
_TIME_NODES = etree.XPath("//time | //*[@itemprop='datePublished' or @itemprop='dateModified' or @itemprop='dateCreated']")


def _candidates(doc):
    """Byline-like and date-like elements, found in one pass (XPath translate() over every node is slow)."""
    bylines, datelines = [], []
    for el in _ATTRS(doc):
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_CANDIDATE:
            continue
        rel = el.get("rel") or ""
        prop = el.get("itemprop") or ""
        attrs = (el.get("class") or "") + " " + (el.get("id") or "") + " " + (el.get("data-testid") or "")
        if rel == "author" or prop in ("author", "creator") or tag in ("byline", "author"):
            bylines.append(el)
        elif not _ANY_ATTR.search(attrs):
            continue
        elif _BYLINE_ATTR.search(attrs):
            bylines.append(el)
        if _DATE_ATTR.search(attrs):
            datelines.append(el)
    return bylines, datelines


PUBLISHED_META = ("article:published_time", "og:article:published_time", "og:published_time", "published_time",
                  "datepublished", "article.published", "article_date_original", "pubdate", "publishdate",
                  "publish-date", "publish_date", "publication_date", "dc.date.issued", "dcterms.issued",
                  "dc.date.created", "dcterms.created", "dc.date", "dcterms.date", "date", "sailthru.date",
                  "parsely-pub-date", "originalpublicationdate", "cxenseparse:recs:publishtime", "datecreated",
                  "created", "article:published", "displaydate", "dc.created", "dateline", "live_date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "modified_time",
                 "datemodified", "article.updated", "lastmod", "last-modified", "dc.date.modified",
                 "dcterms.modified", "updated_time", "article:modified", "revised")
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
               "byl", "cxenseparse:author", "citation_author", "twitter:data1")


_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def _clean(text) -> str:
    if text and "&" in text:
        text = html.unescape(text)
    return _WS.sub(" ", (text or "").translate(_INVISIBLE_CHARS)).strip()


def _collect_meta(doc) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for el in _META(doc):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if value is None:
            value = el.get("datetime")
        if key and value and value.strip():
            meta.setdefault(key.strip().casefold(), []).append(value.strip())
    return meta


def _first(meta, *keys) -> str | None:
    for k in keys:
        vals = meta.get(k)
        if vals:
            return vals[0]
    return None


def _abs(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if url.startswith("data:"):
        return None
    try:
        return urljoin(base, url) if base else url
    except ValueError:
        return url


def _skippable(el) -> bool:
    """Inside comments, related-article teasers, sidebars or footers: not this article's metadata."""
    ancestors = list(el.iterancestors())
    in_article = any(a.tag == "article" for a in ancestors)
    for anc in ancestors:
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("body", "html"):
            break
        if tag in ("aside", "nav") or (tag == "footer" and not in_article):
            return True
        cls = ((anc.get("class") or "") + " " + (anc.get("id") or "")).casefold()
        if cls.strip() and _SKIP_ANCESTORS.search(cls):
            return True
    return False


# --- headline ------------------------------------------------------------------------------------

def _norm_cmp(text: str) -> str:
    return _WS.sub(" ", re.sub(r"[\W_]+", " ", text.casefold())).strip()


def _similarity(a: str, b: str) -> float:
    """How well a visible heading matches a declared title: 1.0 equal, containment scaled by length."""
    a, b = _norm_cmp(a), _norm_cmp(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 15 and short in long_:
        return 0.8 * len(short) / len(long_) + 0.15
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < 0.85 or sm.quick_ratio() < 0.85:
        return 0.0
    return sm.ratio()


def _close(a: str, b: str) -> bool:
    return _similarity(a, b) >= 0.85


def _strip_site(title: str, site_name: str | None) -> str:
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    if site_name:
        s = _norm_cmp(site_name)
        kept = [p for p in parts if _norm_cmp(p) != s and not (s and s in _norm_cmp(p) and len(p) < len(site_name) + 12)]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 and _TITLE_SEP.search(title) is None else _rejoin(title, kept)
    return max(parts, key=len)


def _rejoin(title: str, kept: list[str]) -> str:
    if len(kept) == 1:
        return kept[0]
    first, last = kept[0], kept[-1]
    start = title.find(first)
    end = title.rfind(last) + len(last)
    return title[start:end] if start >= 0 and end > start else max(kept, key=len)


_HEADING_CLASS = re.compile(r"(?:^|[\s_-])(?:entry-title|post-title|article-title|article__title|headline|"
                            r"story-title|page-title|title)(?:$|[\s_-])", re.I)
_HEADINGS = etree.XPath("//h1 | //h2 | //h3 | //*[@itemprop='headline']")


def _plain(el) -> str:
    """Heading text as written (no spaces added between inline elements), without scripts or styles."""
    parts = [el.text or ""]
    for node in el.iterdescendants():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag not in ("script", "style", "noscript", "template") and node.text:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    return _clean("".join(parts))


def _heading_candidates(el) -> list[str]:
    """The heading, and its parts: a kicker or date printed inside an <h1> is not the headline."""
    full = _plain(el)
    out = [full]
    children = [c for c in el if isinstance(c.tag, str) and c.tag not in ("script", "style", "br")]
    if len(children) >= 1:
        for child in children:
            txt = _plain(child)
            if txt and txt != full:
                out.append(txt)
                rest = _clean(full.replace(txt, "", 1)).strip(" :|-–—/·")
                if rest and rest != full:
                    out.append(rest)
    return [c for c in out if c and len(c) < 400]


def _headline(doc, meta, art, site_name) -> str | None:
    titles = []
    if art:
        titles.append(text_of(art.get("headline")) or text_of(art.get("name")))
    titles += [_first(meta, "og:title"), _first(meta, "twitter:title"), _first(meta, "headline"),
               _first(meta, "dc.title"), _first(meta, "parsely-title"), _first(meta, "title")]
    t = _TITLE(doc)
    page_title = _clean(t[0].text_content()) if t else None
    titles.append(page_title)
    titles = [_clean(x) for x in titles if x and _clean(x)]
    targets = list(dict.fromkeys(titles + [_strip_site(x, site_name) for x in titles]))
    headings = [el for el in _H1(doc)]
    if targets:
        best, best_score = None, 0.0
        for rank, el in enumerate(headings + [h for h in _HEADINGS(doc) if h.tag != "h1" and (
                h.get("itemprop") == "headline" or _HEADING_CLASS.search((h.get("class") or "") + " "))]):
            if rank > 40:
                break
            for cand in _heading_candidates(el):
                score = max(_similarity(cand, x) for x in targets)
                if score > best_score + 1e-9:
                    best, best_score = cand, score
        if best is not None and best_score >= 0.85:
            return best
        best = titles[0]
        return _strip_site(best, site_name) if best == page_title or best.count(" | ") else best
    h1s = [(el, _plain(el)) for el in headings]
    h1s = [(el, txt) for el, txt in h1s if txt and len(txt) < 400]
    if h1s:
        inside = [txt for el, txt in h1s if not _skippable(el)]
        return (inside or [h1s[0][1]])[0]
    return None


# --- authors ---------------------------------------------------------------------------------------

def _text(el) -> str:
    """Element text with a space between child elements ("<b>By</b>Jane" is two words on screen)."""
    return _clean(" ".join(el.itertext()))


def _printed_byline(text: str, names: list[str]) -> str:
    """The byline as printed: from its "By"-like prefix (or first name) to the end of the last name."""
    low = text.casefold()
    starts = [low.find(n.casefold()) for n in names]
    ends = [i + len(n) for i, n in zip(starts, names) if i >= 0]
    starts = [i for i in starts if i >= 0]
    if not starts:
        return text
    start, end = min(starts), max(ends)
    m = _PREFIX_BEFORE.search(text[:start])
    if m:
        start = m.start()
    return text[start:end].strip()


def _visible_bylines(nodes) -> list[tuple[list[str], str]]:
    """(names, printed text) for each byline-like element outside comments and teasers, in page order."""
    out = []
    seen_nodes = set()
    for el in nodes:
        if el in seen_nodes:
            continue
        text = _text(el)
        if not text or len(text) > 250:
            continue
        cls = ((el.get("class") or "") + " " + (el.get("id") or "")).casefold()
        if any(w in cls for w in ("bio", "avatar", "image", "photo", "desc", "comment", "more", "social", "follow")):
            continue
        if _skippable(el):
            continue
        names = people.names_from_text(text)
        if names:
            out.append((names, _printed_byline(text, names)))
            seen_nodes.update(el.iterdescendants())
    return out


_SHORT_BLOCKS = etree.XPath("//p | //span | //div | //em | //strong | //small | //li | //h4 | //h5 | //h6 | //address | //b | //i")
_PREFIX_START = re.compile(r"^\s*(?:by|von|par|por|door|av|af|text(?:e)?\s*(?::|von|par|by)|autor(?:in)?\s*:|author\s*:|"
                           r"auteur\s*:|written by|posted by|geschrieben von|(?:ein )?(?:beitrag|artikel) von|"
                           r"un article de|escrito por)\s+\S", re.I)


def _prefixed_byline(doc):
    """Last resort: a short element that reads like a byline ("By Jane Doe", "Text von Max Muster")."""
    for el in _SHORT_BLOCKS(doc):
        first = el.text if el.text and el.text.strip() else None
        if first is None and len(el):
            continue  # text starts in a child: that child is visited on its own
        text = _text(el)
        if not text or len(text) > 100 or not _PREFIX_START.match(text) or _skippable(el):
            continue
        names = people.names_from_text(text)
        if names:
            return names, _printed_byline(text, names)
    return [], None


def _authors(doc, meta, art, byline_nodes, index, site_name):
    jl = []
    if art:
        for key in ("author", "creator"):
            if art.get(key):
                jl = people_of(art[key], index)
                if jl:
                    break
    jl_persons = people.clean_authors([n for n, kind in jl if kind != "organization"])
    raw_meta = [v for k in AUTHOR_META for v in meta.get(k, []) if not v.startswith("http") and k != "twitter:data1"]
    label = (_first(meta, "twitter:label1") or "").casefold()
    if any(w in label for w in ("written by", "verfasst von", "auteur", "autor", "écrit par", "escrito por")):
        raw_meta += meta.get("twitter:data1", [])[:1]
    meta_names = people.clean_authors(raw_meta)
    visible = _visible_bylines(byline_nodes)
    known = {n.casefold() for n in jl_persons + meta_names}
    # prefer the visible byline that names the structured author (the first may be a teaser's)
    chosen = next((v for v in visible if known & {n.casefold() for n in v[0]}), visible[0] if visible else None)
    vis_names = chosen[0] if chosen else []
    byline = chosen[1] if chosen else None
    if jl_persons:
        authors = jl_persons
        # the visible byline may be more complete (co-authors) or show the real person
        if vis_names and not set(map(str.casefold, vis_names)) & set(map(str.casefold, jl_persons)) \
                and any(kind == "unknown" for _, kind in jl) and len(vis_names) >= len(jl_persons):
            authors = vis_names
    elif vis_names and not (meta_names and not known & {n.casefold() for n in vis_names}):
        authors = vis_names
    elif meta_names:
        authors = meta_names
    else:
        authors, byline = _prefixed_byline(doc)
    if site_name:
        site = _norm_cmp(site_name)
        squashed = site.replace(" ", "")
        trimmed = []
        for a in authors:
            words = a.split()
            # "Adam Aaronson PhillyVoice": the publication glued after the name
            if len(words) > 2 and _norm_cmp(words[-1]).replace(" ", "") in (squashed, squashed.split(".")[0]):
                a = " ".join(words[:-1])
            if _norm_cmp(a) != site:
                trimmed.append(a)
        authors = trimmed
    return people.dedupe(authors), byline


# --- dates -----------------------------------------------------------------------------------------

def _month_first(meta, doc) -> bool:
    lang = (doc.get("lang") or _first(meta, "og:locale", "content-language") or "").casefold()
    return lang.startswith("en") and not lang.startswith(("en-gb", "en_gb", "en-au", "en-in", "en-ie", "en-nz"))


def _dates(doc, meta, art, url, date_nodes, has_author=True):
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
        for el in _TIME_NODES(doc):
            if _skippable(el):
                continue
            prop = (el.get("itemprop") or "").casefold()
            value = el.get("datetime") or el.get("content") or el.get("title")
            d = dates.parse_date(value, month_first=mf, with_text=False) if value else None
            if not d:
                d = dates.parse_date(_clean(el.text_content())[:120], month_first=mf)
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


_INVISIBLE_TAGS = {"script", "style", "noscript", "template", "head", "title", "meta", "link", "svg"}


_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
    " or ancestor::svg)]", smart_strings=False)
_visible_cache: dict = {}


def _visible_text(doc) -> str:
    """The text a reader sees (no scripts, styles or head), for checking dates against the page."""
    key = id(doc)
    hit = _visible_cache.get(key)
    if hit is not None and hit[0] is doc:
        return hit[1]
    text = _WS.sub(" ", " ".join(_VISIBLE_TEXT(doc))[:400_000].translate(_INVISIBLE_CHARS))
    _visible_cache.clear()
    _visible_cache[key] = (doc, text)
    return text


def _cross_check(doc, meta, url, mf, published, modified, source, date_nodes, has_author):
    """Check a structured publication date against what the page shows.

    Pages republished or "updated" often keep the original date only in metadata while showing
    the newer one; pages (not articles) carry CMS dates nobody sees. A date the reader never sees
    and the URL does not carry is weak evidence.
    """
    if not source or not source.startswith(("jsonld", "meta")):
        if published is None:
            published = _labelled_date(doc, mf)
            source = "labelled" if published else None
        if published is None:
            published = _date_near_headline(doc, mf)
            source = "headline-area" if published else None
        return published, modified, source
    url_day = dates.date_from_url(url)
    if url_day and url_day == published[:10]:
        return published, modified, source
    if url_day and published.endswith("+00:00"):
        local = dates.shift_to_day(published, url_day)
        if local:  # a UTC timestamp the publisher files under the previous/next local day
            return local, modified, source + "+url-day"
    shown = {d.isoformat() for _, d in dates.find_dates(_visible_text(doc)[:100_000], mf)}
    if published[:10] in shown:
        return published, modified, source
    if modified and modified[:10] in shown and modified[:10] > published[:10]:
        return modified, modified, source + "+shown-modified"
    visible = _visible_date(date_nodes, mf)
    if visible and visible in shown and visible != published[:10]:
        return visible, modified, "visible-over-" + source
    if not shown and not has_author and "news" not in source and "reportage" not in source:
        # a generic page (no news type) showing no date and no author: the reader sees no date
        return None, modified, None
    if source.startswith("jsonld") and "webpage" in source and not any(
            t in source for t in ("article", "posting")) and not meta.get("article:published_time"):
        return None, modified, None
    return published, modified, source


def _labelled_date(doc, mf) -> str | None:
    """A date the page labels as this document's ("Published: ...", "Stand: ...", "Aktualisiert am ...")."""
    p = patterns()
    text = _visible_text(doc)
    for rx in (p.published_label, p.modified_label):
        for m in rx.finditer(text):
            window = text[m.end(): m.end() + 40]
            found = dates.find_dates(window, mf, limit=2)
            if found and found[0][0] <= 8:
                return found[0][1].isoformat()
    return None


def _date_near_headline(doc, mf) -> str | None:
    """A date written just before or after the headline: where bylines and datelines sit."""
    h1 = _H1(doc)
    if not h1:
        return None
    text = _visible_text(doc)
    head = _clean(h1[0].text_content())
    pos = text.find(head) if head else -1
    if pos < 0:
        return None
    window = text[max(0, pos - 200): pos + len(head) + 600]
    found = dates.find_dates(window, mf, limit=5)
    return found[0][1].isoformat() if found else None


def _is_modified_label(el) -> bool:
    text = _clean((el.getparent().text_content() if el.getparent() is not None else "") or "")[:80]
    cls = (el.get("class") or "").casefold()
    if "publish" in cls:
        return False
    return "updated" in cls or "modified" in cls or bool(patterns().modified_label.match(text))


def _visible_date(nodes, mf) -> str | None:
    p = patterns()
    for el in nodes:
        text = _clean(el.text_content())
        if not text or len(text) > 200 or _skippable(el):
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


# --- the rest --------------------------------------------------------------------------------------

def _language(doc, meta, art) -> str | None:
    for value in (doc.get("lang"), doc.get("{http://www.w3.org/XML/1998/namespace}lang"),
                  _first(meta, "og:locale", "content-language", "language", "dc.language"),
                  text_of(art.get("inLanguage")) if art else None):
        if value:
            code = re.split(r"[-_,;\s]", value.strip())[0].casefold()
            if 2 <= len(code) <= 3 and code.isalpha():
                return code
    return None


def _tags(meta, art) -> list[str]:
    raw: list[str] = []
    raw += meta.get("article:tag", [])
    for k in ("news_keywords", "keywords", "parsely-tags", "sailthru.tags"):
        for v in meta.get(k, []):
            raw += v.split(",")
    if not raw and art and art.get("keywords"):
        kw = art["keywords"]
        raw += kw.split(",") if isinstance(kw, str) else [text_of(k) or "" for k in kw if k]
    seen, out = set(), []
    for t in raw:
        t = _clean(t)
        if t and t.casefold() not in seen and len(t) < 100:
            seen.add(t.casefold())
            out.append(t)
    return out


def extract_metadata(doc, url):
    """Every metadata field of ``Article`` except captions and body, as a dict of field -> value."""
    _visible_cache.clear()
    meta = _collect_meta(doc)
    objects = jsonld_objects(doc)
    art = pick_article(objects)

    index = id_index(objects)
    site_name = None
    if art and isinstance(art.get("publisher"), (dict, list)):
        site_name = text_of(resolve(art["publisher"], index))
    site_name = site_name or _first(meta, "og:site_name", "application-name", "publisher")
    if not site_name:
        for obj in objects:
            if any(t in ("newsmediaorganization", "organization", "website") for t in types_of(obj)):
                site_name = text_of(obj.get("name"))
                if site_name:
                    break

    byline_nodes, date_nodes = _candidates(doc)
    authors, byline = _authors(doc, meta, art, byline_nodes, index, site_name)
    published, modified, _source = _dates(doc, meta, art, url, date_nodes, bool(authors))

    section = (text_of(art.get("articleSection")) if art else None) or \
        _first(meta, "article:section", "section", "parsely-section", "article.section", "category")
    canonical = _LINK_CANONICAL(doc)
    canonical_url = _abs(canonical[0] if canonical else (_first(meta, "og:url") or (text_of(art.get("url")) if art else None)), url)
    image = _first(meta, "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
    if not image and art:
        image = image_of(art.get("image"))
    if not image:
        li = _LINK_IMAGE(doc)
        image = li[0] if li else None
    description = _first(meta, "og:description") or (text_of(art.get("description")) if art else None) \
        or _first(meta, "description", "twitter:description", "dc.description")

    return {
        "headline": _headline(doc, meta, art, site_name),
        "description": _clean(description) or None,
        "authors": authors,
        "byline": byline,
        "published": published,
        "modified": modified,
        "section": _clean(section) or None,
        "tags": _tags(meta, art),
        "language": _language(doc, meta, art),
        "site_name": _clean(site_name) or None,
        "canonical_url": canonical_url,
        "top_image": _abs(image, url),
    }
