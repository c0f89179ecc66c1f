"""Orchestrates the extraction stages over one parsed document.

Order matters: metadata and captions only read the tree; the body stage prunes it, so it runs
last, and it reads the headline and printed byline from the metadata to keep them out of the body.
Each stage is guarded on its own: a bug that one odd page triggers in one stage costs that
stage's fields (with a warning), not the whole record.
"""

from __future__ import annotations

from collections.abc import Mapping

from crawler.extract import captions as captions_mod
from crawler.extract import content, encoding, hydration, meta_dom, repair, structured, verdict
from crawler.extract.article import Article

# Real article pages have a few thousand elements (some tens of thousands with inline SVG);
# beyond this the page is generated or hostile, and the Python walks of every stage would take
# seconds to minutes.
MAX_ELEMENTS = 300_000


def _failed(article: Article, stage: str, exc: Exception) -> None:
    article.warnings.append(f"{stage} extraction failed: {type(exc).__name__}: {exc}")


def parse(html: bytes | str, headers: Mapping[str, str] | None = None,
          html5: bool = False, *, repair_text: bool = True) -> tuple[object | None, list[str]]:
    """The lxml document every stage reads, and what decoding had to say; ``(None, [why])`` when
    there is nothing to parse. Split from ``extract`` so a caller that needs the same tree for
    something else (the spider's page analysis) parses a page once, not twice. ``html5``: the
    tree an HTML5 parser builds (``encoding.parse_html5``) instead of libxml2's own. Text that
    the site double-encoded is repaired in the tree (``repair.repair_tree``) unless
    ``repair_text`` is False."""
    warnings: list[str] = []
    try:
        text, warnings = encoding.decode_html(html, headers)
        doc = (encoding.parse_html5 if html5 else encoding.parse_html)(text)
    except Exception as exc:  # never raise on bad input; say what happened
        return None, [*warnings, f"decoding extraction failed: {type(exc).__name__}: {exc}"]
    if doc is None:
        warnings.append("empty or unparseable document")
    elif repair_text:
        try:
            if repair.repair_tree(doc, text):
                warnings.append("double-encoded text repaired")
        except Exception as exc:  # the page as decoded is still worth extracting
            warnings.append(f"text repair failed: {type(exc).__name__}: {exc}")
    return doc, warnings


def extract(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None,
            fetched: str | None = None, *, repair_text: bool = True) -> Article:
    """Never raises: bad input gives an ``Article`` with empty fields and a warning saying why.
    ``repair_text=False`` keeps text as the page has it (garbled or not): for measuring repair.
    ``fetched`` is when the page was captured (ISO 8601, the WARC-Date): no date on the page can be
    later. Without it the response's HTTP ``Date`` header stands in; without either, dates are
    bounded by nothing but the calendar (never by this machine's clock: re-extracting an old
    capture must give what extracting it at capture time gave)."""
    doc, warnings = parse(html, headers, repair_text=repair_text)
    return extract_parsed(doc, url, warnings, source=(html, headers), repair_text=repair_text,
                          fetched=fetched or capture_time(headers))


def capture_time(headers: Mapping[str, str] | None) -> str | None:
    """The response's own ``Date`` header: the server's clock when it answered."""
    if not headers:
        return None
    for name, value in headers.items():
        if name.lower() == "date" and value:
            return value
    return None


def extract_parsed(doc, url: str | None = None, warnings: list[str] | tuple = (),
                   source: tuple | None = None, *, repair_text: bool = True, fetched: str | None = None) -> Article:
    """``extract`` on a document from ``parse`` (which it prunes: parse again to reuse a page).

    ``source``, the ``(html, headers)`` the document was parsed from: when libxml2's tree gives
    no body, the page is parsed again by an HTML5 parser and extracted from that tree if it
    gives one. libxml2 builds trees no browser builds (a stray tag can put ``<main>`` inside a
    header ``<button>``, pruned with the header); the HTML5 parse costs a second parse, so only
    pages that need it pay (``bench/parsers.py`` measures both ways)."""
    article = _extract_tree(doc, url, warnings, repair_text, fetched, _reparser(source, False, repair_text))
    if source is not None and doc is not None and not article.body:
        doc5, warnings5 = parse(*source, html5=True, repair_text=repair_text)
        if doc5 is not None:
            second = _extract_tree(doc5, url, [*warnings5, "no body in libxml2's tree: parsed again as HTML5"],
                                   repair_text, fetched, _reparser(source, True, repair_text))
            if second.body:
                return second
    return article


def _reparser(source: tuple | None, html5: bool, repair_text: bool):
    """The document ``parse`` gave for ``source``, parsed again (the same tree, unpruned), for
    the verdict signals that only a short body needs (``verdict.page_signals``)."""
    if source is None:
        return None
    return lambda: parse(*source, html5=html5, repair_text=repair_text)[0]


def _extract_tree(doc, url: str | None, warnings: list[str] | tuple, repair_text: bool = True,
                  fetched: str | None = None, unpruned=None) -> Article:
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
            meta = structured.extract_metadata(doc, url, fetched) or {}
            article.warnings.extend(meta.pop("warnings", ()))
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
    signals = verdict.page_signals(doc, unpruned)  # before the body stage prunes the tree
    state = hydration.read(doc)  # an app's embedded state: read before the body stage strips scripts
    before = len(article.warnings)
    try:
        article.body = content.extract_body(doc, url, meta, article.warnings)
    except Exception as exc:
        _failed(article, "body", exc)
    signals.body_from_embedded_data = (hydration.apply(article, state)
                                       or content.FROM_ARTICLE_BODY in article.warnings[before:])
    if not article.body and len(article.warnings) == before:
        article.warnings.append("no article body found")
    if repair_text:
        try:
            if repair.repair_article(article):
                article.warnings.append("garbled text repaired (double-encoded UTF-8, escaped entities or C1 controls)")
        except Exception as exc:
            _failed(article, "text repair", exc)
    article.word_count = len(article.body.split())
    _judge(article, signals)
    return article


def _judge(article: Article, signals) -> None:
    article.verdict, article.verdict_reasons = verdict.judge(
        article.headline, article.description, article.body, signals)


def extract_dict(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None,
                 fetched: str | None = None) -> dict:
    """``extract(...).to_dict()``: what a process-pool worker returns (a plain dict pickles cheaply)."""
    return extract(html, url, headers, fetched).to_dict()
