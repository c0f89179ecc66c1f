"""Orchestrates the extraction stages over one parsed document.

Order matters: metadata and captions only read the tree; the body stage may prune it, so it runs last.
"""

from __future__ import annotations

from collections.abc import Mapping

from crawler.extract import captions as captions_mod
from crawler.extract import content, encoding, structured
from crawler.extract.article import Article

# Real article pages have a few thousand elements (some tens of thousands with inline SVG);
# beyond this the page is generated or hostile.
MAX_ELEMENTS = 300_000


def extract(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None) -> Article:
    article = Article(url=url)
    try:
        text, warnings = encoding.decode_html(html, headers)
        article.warnings.extend(warnings)
        doc = encoding.parse_html(text)
        if doc is None:
            article.warnings.append("empty or unparseable document")
            return article
        elements = int(doc.xpath("count(//*)"))  # counted in C, so the guard itself is cheap
        if elements > MAX_ELEMENTS:
            # Every stage walks the tree in Python; millions of elements would take minutes.
            article.warnings.append(f"page too large to extract ({elements} elements)")
            return article
        meta = structured.extract_metadata(doc, url)
        for key, value in meta.items():
            setattr(article, key, value)
        article.captions = captions_mod.extract_captions(doc, url)
        article.body = content.extract_body(doc, url, meta, article.warnings)
        article.word_count = len(article.body.split())
        if not article.body and not article.warnings:
            article.warnings.append("no article body found")
    except Exception as exc:  # never raise on bad input; say what happened
        article.warnings.append(f"extraction failed: {type(exc).__name__}: {exc}")
    return article
