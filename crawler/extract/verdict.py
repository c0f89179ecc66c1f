"""The extraction verdict: ``ok``, or ``suspect`` with the reasons a reader should distrust the body.

Extraction fails quietly in a few typical shapes: nothing found, a teaser where the page holds the
story, another story's text, a fraction of what the publisher's own ``articleBody`` says, or a
paywall that left only the first paragraphs. Each shape leaves a trace that is cheap to check
once the body is known, so every article says what it is, and a dataset user can keep ``ok`` rows
or look at the rest. The page is read *before* the body stage prunes it (``page_signals``); the
judgement itself (``judge``) is a pure function of those signals and the extracted fields. Most
bodies are long enough that the paragraph count and the paywall marker cannot change the verdict,
and those two reads were a sixth of extraction's CPU; given a way to get the unpruned page again
(``unpruned``), they are read only when the judgement needs them.

Thresholds were calibrated on wcxb-dev and extraction-dev so that few good extractions are
flagged (see ``bench/verdict.py``); a suspect row is a prompt to look, not a proof of failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from crawler.extract import dom_hints
from crawler.extract.article import VERDICT_REASONS, VERDICTS
from crawler.extract.meta_jsonld import jsonld_objects
from crawler.extract.relevance import topic_overlap

OK, SUSPECT = VERDICTS
REASONS = VERDICT_REASONS

# A body with fewer words than this holds no story.
EMPTY_BODY_WORDS = 5
# A body this short is a teaser when the page around it holds far more prose ...
TEASER_MAX_WORDS = 120
# ... at least this many words in paragraphs, and this many times the body.
TEASER_PAGE_WORDS = 400
TEASER_PAGE_RATIO = 4.0
# A tiny body (a label, a "Loading ..." placeholder: what is left when the story is elsewhere or is
# a list of teasers) is a teaser next to less prose: this many words and characters at most ...
TINY_BODY_WORDS = 30
TINY_BODY_CHARS = 200  # CJK text has few spaces: a full story can count 15 "words"
# ... while the page's paragraphs hold at least this many words, and this many times the body.
TINY_PAGE_WORDS = 150
TINY_PAGE_RATIO = 8.0
# Behind a paywall marker, a body this short is what the paywall let through.
PAYWALL_TEASER_WORDS = 150
# Below this share of headline + description terms found in the body, it tells another story.
OFF_TOPIC_OVERLAP = 0.1
# Off-topic needs enough body to judge; a short body is judged by the teaser and empty rules.
OFF_TOPIC_MIN_WORDS = 40
# The publisher's articleBody counts when it is this long, and we are short when we hold less
# than this share of its words.
ARTICLE_BODY_MIN_WORDS = 150
ARTICLE_BODY_SHARE = 0.5

# Class or id of an element that gates the story behind a subscription or registration.
_PAYWALL_ATTR = re.compile(r"pay-?wall|reg-?wall|subscri\w*-?(?:wall|gate|only|required)|meter(?:ed)?-?wall"
                           r"|premium-?(?:wall|gate|content-?(?:gate|lock))|(?:content|article)-?(?:gate|locked)", re.I)
# Sentences that only a gate says (checked on short blocks, so prose that mentions them is safe).
_PAYWALL_TEXT = re.compile(
    r"(?:subscribe|sign in|log in|register|become a (?:member|subscriber))\b[^.!?]{0,40}\b(?:to (?:continue|keep) reading"
    r"|to read (?:the|this) (?:full|whole|rest|entire)|to unlock|for full access)"
    r"|\b(?:this (?:article|story|content) is (?:only )?(?:for|available to|reserved for) (?:paid |paying )?"
    r"(?:subscribers|members))"
    r"|\balready a (?:subscriber|member)\?"
    r"|\bthe rest of this (?:article|story) is (?:for|available to) (?:subscribers|members)", re.I)
_GATE_TEXT_CHARS = 300
_MARKER_XPATH = ("/descendant::*[self::div or self::section or self::aside or self::p or self::span or self::a"
                 " or self::button or self::h2 or self::h3 or self::strong][@class or @id]")


@dataclass(slots=True)
class PageSignals:
    """What the unpruned page says about the story, read before the body stage prunes the tree.
    ``page_words`` and ``paywall_marker`` are None until read: ``unpruned`` then gives the page
    as it was before pruning (parsed again), and ``decide`` reads them only if it needs them."""
    page_words: int | None = 0  # words in the page's paragraphs
    article_body_words: int = 0  # words in the longest JSON-LD articleBody
    not_free: bool = False  # JSON-LD says isAccessibleForFree: false
    paywall_marker: bool | None = False  # a visible element or sentence that gates the story
    unpruned: Callable[[], object] | None = None
    body_from_embedded_data: bool = False  # set after the body stage: the body is not the visible text


def _is_false(value) -> bool:
    return value is False or (isinstance(value, str) and value.strip().casefold() in ("false", "no", "0"))


def _not_free(objects: list[dict]) -> bool:
    for obj in objects:
        if _is_false(obj.get("isAccessibleForFree")):
            return True
        parts = obj.get("hasPart")
        for part in parts if isinstance(parts, list) else [parts]:
            if isinstance(part, dict) and _is_false(part.get("isAccessibleForFree")):
                return True
    return False


def _paywall_marker(doc) -> bool:
    for el in doc.xpath(_MARKER_XPATH):
        if _PAYWALL_ATTR.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
    for text in doc.xpath("/descendant::body//*[self::p or self::div or self::span or self::h2 or self::h3"
                          " or self::strong or self::a or self::button]/text()"):
        if len(text) < _GATE_TEXT_CHARS and _PAYWALL_TEXT.search(text):
            return True
    return False


def page_signals(doc, unpruned: Callable[[], object] | None = None) -> PageSignals:
    """Read the page (never raises: a failure costs the signal, not the article). With
    ``unpruned``, a function giving this page again unpruned (None if it cannot), the paragraph
    words and the paywall marker are left for ``decide`` to read when it needs them."""
    signals = PageSignals()
    if doc is None:
        return signals
    if unpruned is None:
        _read_page(signals, doc)
    else:
        signals.page_words = signals.paywall_marker = None
        signals.unpruned = unpruned
    try:
        article_body = dom_hints.jsonld_article_body(doc)
        signals.article_body_words = len(article_body.split()) if article_body else 0
    except Exception:  # noqa: BLE001
        pass
    try:
        signals.not_free = _not_free(jsonld_objects(doc))
    except Exception:  # noqa: BLE001
        pass
    return signals


def _read_page(signals: PageSignals, doc) -> None:
    signals.page_words, signals.paywall_marker, signals.unpruned = 0, False, None
    if doc is None:
        return
    try:
        signals.page_words = sum(len(t.split()) for t in doc.xpath("/descendant::p//text()"))
    except Exception:  # noqa: BLE001 - a signal is optional
        pass
    try:
        signals.paywall_marker = _paywall_marker(doc)
    except Exception:  # noqa: BLE001
        pass


def _page_words(signals: PageSignals) -> int:
    if signals.page_words is None:
        _read_page(signals, _unpruned(signals))
    return signals.page_words


def _gated(signals: PageSignals) -> bool:
    if signals.not_free:
        return True
    if signals.paywall_marker is None:
        _read_page(signals, _unpruned(signals))
    return signals.paywall_marker


def _unpruned(signals: PageSignals):
    try:
        return signals.unpruned() if signals.unpruned is not None else None
    except Exception:  # noqa: BLE001 - a signal is optional
        return None


def judge(headline: str | None, description: str | None, body: str | None,
          signals: PageSignals | None = None) -> tuple[str, list[str]]:
    """(``ok`` or ``suspect``, reasons in ``REASONS`` order)."""
    words = len(body.split()) if body else 0
    overlap = topic_overlap(headline, description, body) if words >= OFF_TOPIC_MIN_WORDS else None
    return decide(words, overlap, signals or PageSignals(), len(body.strip()) if body else 0)


def decide(words: int, overlap: float | None, signals: PageSignals,
           chars: int | None = None) -> tuple[str, list[str]]:
    """The judgement from the body's word count, its overlap with the headline and description
    (``relevance.topic_overlap``, None when not measured), the page's signals and the body's
    length in characters (None: not known, so not tiny)."""
    reasons: set[str] = set()
    if words < EMPTY_BODY_WORDS:
        reasons.add("empty-body")
    elif words <= TEASER_MAX_WORDS and _page_words(signals) >= max(TEASER_PAGE_WORDS, TEASER_PAGE_RATIO * words):
        reasons.add("teaser-only")
    elif (words <= TINY_BODY_WORDS and chars is not None and chars <= TINY_BODY_CHARS
          and _page_words(signals) >= max(TINY_PAGE_WORDS, TINY_PAGE_RATIO * words)):
        reasons.add("teaser-only")
    elif words <= PAYWALL_TEASER_WORDS and _gated(signals):
        reasons.add("teaser-only")
    if (signals.article_body_words >= ARTICLE_BODY_MIN_WORDS
            and words < signals.article_body_words * ARTICLE_BODY_SHARE):
        reasons.add("much-shorter-than-articleBody")
    # A paywalled page whose full text was served (to us, as to search engines) is a good
    # extraction: the paywall only matters when the body is what it let through.
    if reasons and _gated(signals):
        reasons.add("paywalled")
    if words >= OFF_TOPIC_MIN_WORDS and overlap is not None and overlap < OFF_TOPIC_OVERLAP:
        reasons.add("off-topic-body")
    if signals.body_from_embedded_data and words >= EMPTY_BODY_WORDS:
        reasons.add("body-from-embedded-data")
    ordered = [r for r in REASONS if r in reasons]
    return (SUSPECT if ordered else OK), ordered


__all__ = ["OK", "SUSPECT", "REASONS", "PageSignals", "page_signals", "judge", "decide"]
