"""Cuts a DOM subtree into text blocks (paragraph-like runs), each tied to the element that owns it.

Everything the body stage measures and emits is a block: text is split wherever a block-level
element starts or ends or two ``<br>`` follow each other, as a browser would lay it out. The walk
is one iterative pass (``etree.iterwalk``), so its cost is linear in the page and deep nesting
cannot exhaust the Python stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

BLOCK_TAGS = frozenset((
    "html", "body", "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "tbody",
    "thead", "tfoot", "caption", "hr", "header", "footer", "nav", "aside", "form", "figure",
    "figcaption", "address", "center", "details", "summary", "fieldset", "legend", "menu",
    "dialog", "hgroup", "noscript", "option", "frameset", "frame",
))
_CELL_TAGS = frozenset(("td", "th"))
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BR = "\ue000"  # a private-use sentinel: one <br> inside a block
_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u200b\u2028\u2029]+")
_PARA_BREAK = re.compile(rf"\s*{_BR}\s*(?:{_BR}\s*)+")


@dataclass(slots=True)
class Block:
    text: str
    link_chars: int
    owner: object  # the innermost block-level element the text belongs to
    in_pre: bool = False

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


# Characters where _WS and str.split() disagree: Unicode whitespace _WS leaves alone, and the
# zero-width space _WS collapses. Without them, _WS.sub(" ", t).strip() is " ".join(t.split()),
# which is 3-4 times faster (no match object per run of spaces). Pinned by tests/extract/test_fast_paths.
_SPLIT_DIFFERS = re.compile("[\x1c-\x1f\x85\u1680\u2000-\u200b\u202f\u205f\u3000]")


def normalise_space(text: str) -> str:
    if text.isascii():  # then only \x1c-\x1f differ, and `in` is a memchr
        if "\x1c" not in text and "\x1d" not in text and "\x1e" not in text and "\x1f" not in text:
            return " ".join(text.split())
    elif _SPLIT_DIFFERS.search(text) is None:
        return " ".join(text.split())
    return _WS.sub(" ", text).strip()


def walk_blocks(root) -> list[Block]:
    """Blocks of ``root`` in document order; whitespace collapsed, single ``<br>`` kept as newline.

    ``etree.iterwalk`` never reports comments, so their tail text is lost: unwrap them first
    (``etree.strip_tags(root, etree.Comment)``).
    """
    blocks: list[Block] = []
    parts: list[str] = []
    link_chars = 0
    link_depth = 0
    stack = [root]

    def flush(owner) -> None:
        nonlocal link_chars
        if parts:
            raw = "".join(parts)
            parts.clear()
            links = link_chars
            link_chars = 0
            if _BR not in raw:  # the common case: one paragraph, no line breaks
                text = normalise_space(raw)
                if text:
                    blocks.append(Block(text, min(len(text), links), owner))
                return
            pieces = _PARA_BREAK.split(raw)
            share = len(pieces)
            for piece in pieces:
                lines = [normalise_space(line) for line in piece.split(_BR)]
                text = "\n".join(line for line in lines if line)
                if text:
                    blocks.append(Block(text, min(len(text), links // share), owner))
        else:
            link_chars = 0

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):  # comments and processing instructions: only their tail is text
            if event == "end" and el.tail:
                parts.append(el.tail)
                if link_depth:
                    link_chars += len(el.tail.strip())
            continue
        if event == "start":
            if tag in BLOCK_TAGS and el is not root:
                flush(stack[-1])
                stack.append(el)
            elif tag == "br":
                parts.append(_BR)
            elif tag in _CELL_TAGS:  # a table row reads as one line, its cells apart
                parts.append(" ")
            elif tag == "a":
                link_depth += 1
            if el.text:
                parts.append(el.text)
                if link_depth:
                    link_chars += len(el.text.strip())
        else:
            if tag in BLOCK_TAGS and el is not root:
                flush(el)
                stack.pop()
            elif tag == "a":
                link_depth -= 1
            if el.tail and el is not root:
                parts.append(el.tail)
                if link_depth:
                    link_chars += len(el.tail.strip())
    flush(stack[-1])
    return blocks
