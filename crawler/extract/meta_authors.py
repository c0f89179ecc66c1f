"""Authors and the printed byline: structured data cross-checked against the visible byline.

JSON-LD and meta tags often name an organisation or a CMS account; the visible byline names the
people. Persons from structured data win when the page confirms them or shows nobody else; a
visible byline wins over an organisation. News agencies count beside persons. With no person at
all, the organisation or handle the page credits is the author, but only when a visible byline
shows it (an author field alone usually names the site's operator), and the publication's own
name is its publisher, not an author. Name cleaning lives in ``people``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from lxml import etree

from crawler.extract import meta_dom as dom
from crawler.extract import people
from crawler.extract.meta_jsonld import people_of, resolve, types_of

AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator",
               "byl", "cxenseparse:author", "citation_author", "twitter:data1")
_PREFIX_BEFORE = re.compile(r"(?:^|(?<=[\s·|,;]))(?:by|von|par|por|de|di|door|av|af|text|texte|written by|autor|author|auteur)\s*:?\s*$", re.I)


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
        text = dom.element_text(el)
        if not text or len(text) > 250:
            continue
        cls = ((el.get("class") or "") + " " + (el.get("id") or "")).casefold()
        if any(w in cls for w in ("bio", "avatar", "image", "photo", "desc", "comment", "more", "social", "follow")):
            continue
        if dom.skippable(el):
            continue
        names = people.names_from_text(text, agencies=True)
        if names:
            out.append((names, _printed_byline(text, names)))
            seen_nodes.update(el.iterdescendants())
    return out


_SHORT_BLOCKS = etree.XPath(" | ".join("/descendant::" + tag for tag in (
    "p", "span", "div", "em", "strong", "small", "li", "h4", "h5", "h6", "address", "b", "i")))
_PREFIX_START = re.compile(r"^\s*(?:by|von|par|por|door|av|af|text(?:e)?\s*(?::|von|par|by)|autor(?:in)?\s*:|author\s*:|"
                           r"auteur\s*:|written by|posted by|geschrieben von|(?:ein )?(?:beitrag|artikel) von|"
                           r"un article de|escrito por)\s+\S", re.I)


def _prefixed_byline(doc, agencies=False):
    """Last resort: a short element that reads like a byline ("By Jane Doe", "Text von Max Muster")."""
    for el in _SHORT_BLOCKS(doc):
        first = el.text if el.text and el.text.strip() else None
        if first is None and len(el):
            continue  # text starts in a child: that child is visited on its own
        text = dom.element_text(el)
        if not text or len(text) > 100 or not _PREFIX_START.match(text) or dom.skippable(el):
            continue
        names = people.names_from_text(text, agencies)
        if names:
            return names, _printed_byline(text, names)
    return [], None


def _credited(doc, jl, byline_nodes) -> tuple[list[str], str | None]:
    """(credits, printed byline) when the page names no person: the organisation, desk or handle that
    the structured author names and a visible byline confirms, else a visible byline element's credit.
    Meta author tags alone are not enough: without a person there they name the site's operator."""
    shown = []
    for el in byline_nodes[:40]:
        text = dom.element_text(el)
        if text and len(text) <= 120 and not dom.skippable(el):
            shown.append(text)
    found = [c for name, _ in jl for c in people.credits_from_text(name)]
    if found:
        bylines = " ".join(shown).casefold()
        found = [c for c in found if c.casefold() in bylines]
        if found:
            return found, None
    for text in shown[:12]:
        found = people.credits_from_text(text)
        if found:
            return found, text
    return [], None


def authors(doc, meta, art, byline_nodes, index, site_name, url=None):
    """(authors in page order, byline as printed or None, whether a person or agency is named).
    Authors are persons and agencies; when the page names neither, the credited organisation."""
    jl = []
    if art:
        for key in ("author", "creator"):
            if art.get(key):
                jl = people_of(art[key], index)
                if jl:
                    break
    jl_named = people.clean_authors([n for n, kind in jl if kind != "organization"], agencies=True)
    jl_named += [n for n, kind in jl if kind == "organization" and people.is_agency(n)]
    # agencies join whoever the persons turn out to be; they must not outvote a visible person
    agencies = [n for n in jl_named if people.is_agency(n)]
    jl_persons = [n for n in jl_named if not people.is_agency(n)]
    raw_meta = [v for k in AUTHOR_META for v in meta.get(k, []) if not v.startswith("http") and k != "twitter:data1"]
    label = (dom.first(meta, "twitter:label1") or "").casefold()
    if any(w in label for w in ("written by", "verfasst von", "auteur", "autor", "écrit par", "escrito por")):
        raw_meta += meta.get("twitter:data1", [])[:1]
    meta_names = people.clean_authors(raw_meta, agencies=True)
    agencies += [n for n in meta_names if people.is_agency(n)]
    meta_names = [n for n in meta_names if not people.is_agency(n)]
    visible = _visible_bylines(byline_nodes)
    known = {n.casefold() for n in jl_persons + meta_names}
    # prefer the visible byline that names the structured author (the first may be a teaser's)
    chosen = next((v for v in visible if known & {n.casefold() for n in v[0]}), visible[0] if visible else None)
    vis_names = chosen[0] if chosen else []
    byline = chosen[1] if chosen else None
    if jl_persons:
        authors = jl_persons
        # the visible byline may be more complete (co-authors) or show the real person
        seen_jl, seen_vis = set(map(str.casefold, jl_persons)), set(map(str.casefold, vis_names))
        if vis_names and not seen_vis & seen_jl \
                and any(kind == "unknown" for _, kind in jl) and len(vis_names) >= len(jl_persons):
            authors = vis_names
        elif seen_jl < seen_vis:  # the byline names co-authors the structured data left out
            authors = vis_names
    elif vis_names and not (meta_names and not known & {n.casefold() for n in vis_names}):
        authors = vis_names
    elif meta_names:
        authors = meta_names
    else:
        authors, byline = _prefixed_byline(doc, agencies=True)
    if agencies:
        have = {a.casefold() for a in authors}
        authors = authors + [a for a in agencies if a.casefold() not in have]
    if authors:
        if not _publisher_is_person(art, index):  # a personal blog is published by its author
            # so is a personal site named after its owner: a Person in structured data whom a
            # visible byline also shows is that person, even when the site bears the same name
            owners = {n.casefold() for n, kind in jl if kind == "person"} \
                & {n.casefold() for names, _ in visible for n in names}
            authors = _without_site(authors, site_name, url, keep=owners)
        if not authors:  # the author fields name only the publication: that is the publisher
            return [], byline, False
    else:
        # no person anywhere: the organisation, desk or handle the page itself credits as author
        authors, credited_byline = _credited(doc, jl, byline_nodes)
        return people.dedupe(authors), byline or credited_byline, False
    return people.dedupe(authors), byline, True


def _publisher_is_person(art, index) -> bool:
    publisher = resolve(art.get("publisher"), index) if art else None
    items = publisher if isinstance(publisher, list) else [publisher]
    return any(isinstance(p, dict) and "person" in types_of(p) for p in items)


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum())


def _without_site(authors: list[str], site_name: str | None, url: str | None, keep=frozenset()) -> list[str]:
    """Authors minus the publication itself: its name or its domain in an author field is the
    publisher, not a person ("Auto Zeitung" on autozeitung.de); it returns only as a credit that a
    visible byline confirms. "Adam Aaronson PhillyVoice" loses the publication glued after the name."""
    keys = set()
    if site_name:
        keys.add(_squash(site_name))
        keys.add(_squash(site_name.split(".")[0]))
    site_keys = set(keys)
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [x for x in host.split(".") if x not in ("www", "m", "de", "en", "fr", "es", "it", "amp")]
    if len(labels) >= 2:
        keys.add(_squash(labels[-2]))
    keys.discard("")
    out = []
    for a in authors:
        words = a.split()
        if len(words) > 2 and _squash(words[-1]) in keys:
            a = " ".join(words[:-1])
        key = _squash(a.rsplit(".", 1)[0] if "." in a and " " not in a else a)
        if key in keys and (" " not in a or key in site_keys) and not people.is_agency(a) \
                and a.casefold() not in keep:
            continue
        out.append(a)
    return out
