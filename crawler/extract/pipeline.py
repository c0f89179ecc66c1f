"""Orchestrates the extraction stages over one parsed document.

Order matters: metadata and captions only read the tree; the body stage prunes it, so it runs
last, and it reads the headline and printed byline from the metadata to keep them out of the body.
Each stage is guarded on its own: a bug that one odd page triggers in one stage costs that
stage's fields (with a warning), not the whole record.
"""

from __future__ import annotations

from collections.abc import Mapping

from crawler.extract import captions as captions_mod
from crawler.extract import content, encoding, meta_dom, structured, verdict
from crawler.extract.article import Article

# Real article pages have a few thousand elements (some tens of thousands with inline SVG);
# beyond this the page is generated or hostile, and the Python walks of every stage would take
# seconds to minutes.
MAX_ELEMENTS = 300_000


def _failed(article: Article, stage: str, exc: Exception) -> None:
    article.warnings.append(f"{stage} extraction failed: {type(exc).__name__}: {exc}")


def parse(html: bytes | str, headers: Mapping[str, str] | None = None) -> tuple[object | None, list[str]]:
    """The lxml document every stage reads, and what decoding had to say; ``(None, [why])`` when
    there is nothing to parse. Split from ``extract`` so a caller that needs the same tree for
    something else (the spider's page analysis) parses a page once, not twice."""
    warnings: list[str] = []
    try:
        text, warnings = encoding.decode_html(html, headers)
        doc = encoding.parse_html(text)
    except Exception as exc:  # never raise on bad input; say what happened
        return None, [*warnings, f"decoding extraction failed: {type(exc).__name__}: {exc}"]
    if doc is None:
        warnings.append("empty or unparseable document")
    return doc, warnings


def extract(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None) -> Article:
    """Never raises: bad input gives an ``Article`` with empty fields and a warning saying why."""
    doc, warnings = parse(html, headers)
    return extract_parsed(doc, url, warnings)


def extract_parsed(doc, url: str | None = None, warnings: list[str] | tuple = ()) -> Article:
    """``extract`` on a document from ``parse`` (which it prunes: parse again to reuse a page)."""
    article = Article(url=url)
    article.warnings.extend(warnings)
    if doc is None:
        _judge(article, None)
        return article
    elements = int(doc.xpath("count(/descendant::*)"))  # counted in C, so the guard itself is cheap
    if elements > MAX_ELEMENTS:
        article.warnings.append(f"page too large to extract ({elements} elements)")
        _judge(article, None)
        return article

    meta: dict = {}
    try:
        meta_dom.shared_elements = (doc, list(meta_dom.all_elements(doc)))  # until the body stage prunes
        try:
            meta = structured.extract_metadata(doc, url) or {}
            for key, value in meta.items():
                setattr(article, key, value)
        except Exception as exc:
            _failed(article, "metadata", exc)
        try:
            article.captions = captions_mod.extract_captions(doc, url)
        except Exception as exc:
            _failed(article, "caption", exc)
    finally:
        meta_dom.shared_elements = None
    signals = verdict.page_signals(doc)  # before the body stage prunes the tree
    before = len(article.warnings)
    try:
        article.body = content.extract_body(doc, url, meta, article.warnings)
    except Exception as exc:
        _failed(article, "body", exc)
    article.word_count = len(article.body.split())
    if not article.body and len(article.warnings) == before:
        article.warnings.append("no article body found")
    _judge(article, signals)
    return article


def _judge(article: Article, signals) -> None:
    article.verdict, article.verdict_reasons = verdict.judge(
        article.headline, article.description, article.body, signals)


def extract_dict(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None) -> dict:
    """``extract(...).to_dict()``: what a process-pool worker returns (a plain dict pickles cheaply)."""
    return extract(html, url, headers).to_dict()
