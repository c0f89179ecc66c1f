"""Decides whether one element or one text block is boilerplate, using the table in ``boilerplate_patterns``.

The decisions are local and cheap (attribute look-ups, one compiled regex) because they run on
every element of every page; whether removing a match is safe (it may wrap the article) is the
caller's decision, made with the text mass it measured.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from crawler.extract import boilerplate_patterns as table

_JUNK = frozenset(table.JUNK_TAGS)
_STRUCTURAL = frozenset(table.STRUCTURAL_TAGS)
_CANDIDATE_ATTRS = frozenset(("class", "id", "role", "hidden", "aria-hidden", "itemprop", "style"))
_ROLES = frozenset(table.ROLES)
_ITEMPROPS = frozenset(table.ITEMPROPS)
_TOKENS = frozenset(table.CLASS_TOKENS)
_PREFIXES = tuple(table.CLASS_PREFIXES)
_NAMES = frozenset(table.CLASS_NAMES)
_EXCEPTIONS = frozenset(table.PREFIX_EXCEPTIONS)
_BODY_TOKENS = frozenset(table.BODY_TOKENS)
_CONTENT = frozenset(table.CONTENT_TOKENS)
_CONTENT_RE = re.compile("|".join(re.escape(name) for name in table.CONTENT_TOKENS))
_STATE_PREFIXES = tuple(table.STATE_PREFIXES)
# Only elements carrying one of these can be chrome (``boilerplate_reason`` reads nothing else), so
# the full check runs on a fraction of the tree.
CANDIDATES_XPATH = (
    "descendant::*[@class or @id or @role or @hidden or @aria-hidden or @itemprop or @style]"
    + "".join(f" | descendant::{tag}" for tag in table.STRUCTURAL_TAGS))
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_BLOCK_RE = re.compile("(?:" + "|".join(f"(?:{p})" for p in table.BLOCK_PATTERNS) + ")", re.I)
_MONTHS = "|".join(sorted(table.MONTHS, key=len, reverse=True))
_DATE_WORD = (
    r"(?:updated|published|posted|on|at|a\.?m\.?|p\.?m\.?|utc|gmt|[ecmp][sd]?t|bst|cet|cest|ist|jst|aest|"
    rf"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|{_MONTHS})\.?(?![a-z])")
# Each alternative consumes a maximal run, so a failing match cannot backtrack exponentially.
_DATE_ONLY = re.compile(rf"^(?:{_DATE_WORD}|\d+(?!\d)(?:st|nd|rd|th)?|[\W_])*$", re.I)
_DATE_EVIDENCE = re.compile(
    rf"\b({_MONTHS}|(mon|tue|wed|thu|fri|sat|sun)[a-z]*)\b|\d{{1,2}}:\d{{2}}|\b\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b(19|20)\d\d\b",
    re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

JUNK_TAGS = table.JUNK_TAGS


def candidates(root) -> list:
    """``root.xpath(CANDIDATES_XPATH)``: the same elements in the same order, picked in Python from
    one walk of the tree, because libxml2's seven attribute tests per element cost twice the walk
    (0.72 vs 0.39 ms on a typical news page)."""
    return [el for el in root.iterdescendants(etree.Element)
            if el.tag in _STRUCTURAL or not _CANDIDATE_ATTRS.isdisjoint(el.keys())]


@lru_cache(maxsize=65536)
def _classify_names(value: str) -> tuple[bool, bool, bool]:
    """(boilerplate, content, body) for one class/id attribute value; cached since pages repeat them.
    ``body``: a name with a body sub-token ("hs_cos_wrapper_post_body"), which wraps the story."""
    boiler = content = body = False
    for name in value.split():
        lowered = name.lower()
        if _CONTENT_RE.search(lowered):
            content = True
            continue
        if lowered in _NAMES:
            boiler = True
            continue
        if lowered.startswith(_STATE_PREFIXES):
            continue
        # without an upper-case letter (lower() changed nothing) _CAMEL has nothing to split
        tokens = _SPLIT.split(lowered if lowered == name else _CAMEL.sub("-", name).lower())
        if _BODY_TOKENS.intersection(tokens):
            body = True
            continue  # "sr-body-share-wrapper" wraps the body; chrome inside it has names of its own
        for token in tokens:
            if token and (token in _TOKENS or (token.startswith(_PREFIXES) and token not in _EXCEPTIONS)):
                boiler = True
                break
    return boiler, content, body


def is_content_marked(el) -> bool:
    """True when class/id or itemprop name the element as the article text container."""
    if (el.get("itemprop") or "").lower() == "articlebody":
        return True
    for attr in ("class", "id"):
        value = el.get(attr)
        if value and _classify_names(value)[1]:
            return True
    return False


def boilerplate_reason(el) -> str | None:
    """Why the element looks like page chrome, or None. Structural tags count as chrome too."""
    tag = el.tag
    if tag in _STRUCTURAL:
        return tag
    get = el.get
    if get("hidden") is not None or get("aria-hidden") == "true":
        return "hidden"
    role = get("role")
    if role and role.lower() in _ROLES:
        return f"role={role}"
    prop = get("itemprop")
    if prop and prop.lower() in _ITEMPROPS:
        return f"itemprop={prop}"
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return "hidden"
    # An id naming the body ("post_body") overrules a class naming chrome ("meta_field"), and the reverse.
    reason = None
    for attr in ("class", "id"):
        value = get(attr)
        if value:
            boiler, content, body = _classify_names(value)
            if content or (body and not boiler):
                return None
            if boiler and reason is None:
                reason = f"{attr}={value[:40]}"
    return reason


def is_boilerplate_text(text: str) -> bool:
    """True for a whole block that is a known kind of boilerplate line (byline, banner, promo...)."""
    return bool(_BLOCK_RE.match(text)) or is_date_only(text)


def is_date_only(text: str) -> bool:
    """A dateline or timestamp alone; a price or phone number is digits too, but has no date in it."""
    return (len(text) < 80 and any(ch.isdigit() for ch in text) and bool(_DATE_ONLY.match(text))
            and bool(_DATE_EVIDENCE.search(text)))
