"""The headline: the visible heading that matches what the page declares as its title.

Declared titles (JSON-LD headline, og:title, <title>) carry site names and SEO variants; visible
<h1>s carry kickers, dates and sometimes the site's name. The heading part closest to a declared
title is what a reader sees as the headline; a declared title is the fallback.
"""

from __future__ import annotations

import difflib
import re

from lxml import etree

from crawler.extract import meta_dom as dom
from crawler.extract.meta_jsonld import text_of

_TITLE_SEP = re.compile(r"\s+(?:[|·•»:–—\-]|::|/)\s+")


def _similarity(a: str, b: str) -> float:
    """How well a visible heading matches a declared title: 1.0 equal, containment scaled by length."""
    return _similarity_norm(dom.norm_cmp(a), dom.norm_cmp(b))


def _similarity_norm(a: str, b: str) -> float:
    """``_similarity`` of texts already passed through ``norm_cmp`` (targets are normalised once)."""
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


def _strip_site(title: str, site_name: str | None) -> str:
    parts = _TITLE_SEP.split(title)
    if len(parts) < 2:
        return title
    if site_name:
        s = dom.norm_cmp(site_name)
        kept = [p for p in parts if dom.norm_cmp(p) != s and not (s and s in dom.norm_cmp(p) and len(p) < len(site_name) + 12)]
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
_HEADINGS = etree.XPath("/descendant::h1 | /descendant::h2 | /descendant::h3 | /descendant::*[@itemprop='headline']")


def _plain(el) -> str:
    """Heading text as written (no spaces added between inline elements), without scripts or styles."""
    parts = [el.text or ""]
    for node in el.iterdescendants():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag not in ("script", "style", "noscript", "template") and node.text:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    return dom.clean("".join(parts))


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
                rest = dom.clean(full.replace(txt, "", 1)).strip(" :|-–—/·")
                if rest and rest != full:
                    out.append(rest)
    return [c for c in out if c and len(c) < 400]


def headline(doc, meta, art, site_name) -> str | None:
    """The headline as printed, or the best declared title; None when the page has neither."""
    titles = []
    if art:
        titles.append(text_of(art.get("headline")) or text_of(art.get("name")))
    titles += [dom.first(meta, "og:title"), dom.first(meta, "twitter:title"), dom.first(meta, "headline"),
               dom.first(meta, "dc.title"), dom.first(meta, "parsely-title"), dom.first(meta, "title")]
    t = dom.TITLE(doc)
    page_title = dom.clean(t[0].text_content()) if t else None
    titles.append(page_title)
    titles = [dom.clean(x) for x in titles if x and dom.clean(x)]
    targets = list(dict.fromkeys(titles + [_strip_site(x, site_name) for x in titles]))
    headings = [el for el in dom.H1(doc)]
    if targets:
        best, best_score = None, 0.0
        norm_targets = [dom.norm_cmp(x) for x in targets]
        for rank, el in enumerate(headings + [h for h in _HEADINGS(doc) if h.tag != "h1" and (
                h.get("itemprop") == "headline" or _HEADING_CLASS.search((h.get("class") or "") + " "))]):
            if rank > 40 or best_score >= 1.0:  # nothing beats an exact match: stop comparing
                break
            for cand in _heading_candidates(el):
                norm = dom.norm_cmp(cand)
                score = max(_similarity_norm(norm, x) for x in norm_targets)
                if score > best_score + 1e-9:
                    best, best_score = cand, score
        if best is not None and best_score >= 0.85:
            return best
        best = titles[0]
        return _strip_site(best, site_name) if best == page_title or best.count(" | ") else best
    h1s = [(el, _plain(el)) for el in headings]
    h1s = [(el, txt) for el, txt in h1s if txt and len(txt) < 400]
    if h1s:
        inside = [txt for el, txt in h1s if not dom.skippable(el)]
        return (inside or [h1s[0][1]])[0]
    return None
