"""Structured hints about where the story sits: the publisher's own JSON-LD ``articleBody``.

The JSON-LD text is not used as the body (it is often truncated for paywalls, flattened without
paragraphs, or stale), only as a pointer: the visible blocks holding its first and last words
bracket the story, and their lowest common ancestor is the container the publisher meant.
"""

from __future__ import annotations

import html
import json
import re

from crawler.extract.dom_blocks import Block, normalise_space

_LD_XPATH = '/descendant::script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]/text()'
_WORDS = re.compile(r"\w+")
_TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")
# Enough words to be unique on the page, few enough to fit in one paragraph.
PROBE_WORDS = 8
# Below this, an articleBody is a teaser, not a pointer to the story.
MIN_ARTICLE_BODY = 200
_MAX_NODES = 20_000  # JSON-LD graphs are small; a hostile one must not cost seconds


def jsonld_article_body(doc) -> str | None:
    """The longest ``articleBody`` string in the page's JSON-LD as plain text, one paragraph per
    non-blank line (some publishers put HTML in it: tags go, entities are decoded)."""
    best = ""
    for raw in doc.xpath(_LD_XPATH):
        if "articleBody" not in raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack, seen = [data], 0
        while stack and seen < _MAX_NODES:
            node = stack.pop()
            seen += 1
            if isinstance(node, dict):
                value = node.get("articleBody")
                if isinstance(value, str) and len(value) > len(best):
                    best = value
                stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                stack.extend(v for v in node if isinstance(v, (dict, list)))
    if "<" in best:
        best = _TAG.sub("\n", best)
    if "&" in best:
        best = html.unescape(best)
    best = "\n\n".join(line for line in (normalise_space(raw) for raw in best.splitlines()) if line)
    return best if len(best) >= MIN_ARTICLE_BODY else None


def _probe(words: list[str]) -> str:
    return " ".join(words)


def locate(blocks: list[Block], article_body: str):
    """The lowest element holding the blocks where ``article_body`` starts and ends, or None."""
    words = _WORDS.findall(article_body)
    if len(words) < 2 * PROBE_WORDS:
        return None
    head, tail = _probe(words[:PROBE_WORDS]), _probe(words[-PROBE_WORDS:])
    start = end = None
    for block in blocks:
        flat = " ".join(_WORDS.findall(block.text))
        if start is None and head in flat:
            start = block.owner
        if start is not None and tail in flat:
            end = block.owner
    if start is None or end is None:
        return None
    ancestors = {start, *start.iterancestors()}
    node = end
    while node is not None and node not in ancestors:
        node = node.getparent()
    return node
