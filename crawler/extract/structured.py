"""Article metadata: structured data first (JSON-LD, microdata, OpenGraph, meta tags), cross-checked
against the visible page, DOM heuristics last.

Structured data is what publishers maintain for machines, so it is usually right about dates and
titles; it is often wrong about people (an organisation as author, a CMS account name), so the
visible byline wins when it names persons and the structured data does not.
Only reads the tree: the body stage runs afterwards and may prune it.
"""

from __future__ import annotations

import re

from crawler.extract import meta_dom as dom
from crawler.extract.meta_authors import authors as find_authors
from crawler.extract.meta_dates import published_modified
from crawler.extract.meta_headline import headline as find_headline
from crawler.extract.meta_jsonld import id_index, image_of, jsonld_objects, pick_article, resolve, text_of, types_of


def _language(doc, meta, art) -> str | None:
    for value in (doc.get("lang"), doc.get("{http://www.w3.org/XML/1998/namespace}lang"),
                  dom.first(meta, "og:locale", "content-language", "language", "dc.language"),
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
        t = dom.clean(t)
        if t and t.casefold() not in seen and len(t) < 100:
            seen.add(t.casefold())
            out.append(t)
    return out


def extract_metadata(doc, url, fetched=None):
    """Every metadata field of ``Article`` except captions and body, as a dict of field -> value,
    plus ``warnings`` (what was found and dropped). ``fetched``: the capture's time, which bounds dates."""
    dom.visible_cache.clear()
    meta = dom.collect_meta(doc)
    objects = jsonld_objects(doc)
    art = pick_article(objects)

    index = id_index(objects)
    site_name = None
    if art and isinstance(art.get("publisher"), (dict, list)):
        site_name = text_of(resolve(art["publisher"], index))
    site_name = site_name or dom.first(meta, "og:site_name", "application-name", "publisher")
    if not site_name:
        for obj in objects:
            if any(t in ("newsmediaorganization", "organization", "website") for t in types_of(obj)):
                site_name = text_of(obj.get("name"))
                if site_name:
                    break

    byline_nodes, date_nodes = dom.candidates(doc)
    authors, byline, named = find_authors(doc, meta, art, byline_nodes, index, site_name, url, objects)
    warnings: list[str] = []
    published, modified, _source = published_modified(doc, meta, art, url, date_nodes, named, fetched, warnings)

    section = (text_of(art.get("articleSection")) if art else None) or \
        dom.first(meta, "article:section", "section", "parsely-section", "article.section", "category")
    canonical = dom.LINK_CANONICAL(doc)
    canonical_url = dom.absolute(canonical[0] if canonical else (dom.first(meta, "og:url") or (text_of(art.get("url")) if art else None)), url)
    image = dom.first(meta, "og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")
    if not image and art:
        image = image_of(art.get("image"))
    if not image:
        li = dom.LINK_IMAGE(doc)
        image = li[0] if li else None
    description = dom.first(meta, "og:description") or (text_of(art.get("description")) if art else None) \
        or dom.first(meta, "description", "twitter:description", "dc.description")

    return {
        "headline": find_headline(doc, meta, art, site_name),
        "description": dom.clean(description) or None,
        "authors": authors,
        "byline": byline,
        "published": published,
        "modified": modified,
        "section": dom.clean(section) or None,
        "tags": _tags(meta, art),
        "language": _language(doc, meta, art),
        "site_name": dom.clean(site_name) or None,
        "canonical_url": canonical_url,
        "top_image": dom.absolute(image, url),
        "warnings": warnings,
    }
