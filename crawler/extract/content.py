"""The article body: find the element that holds the story's text, then keep only its prose.

Method, in order of trust:
1. Page chrome goes first: tags that never hold the story (scripts, media, forms) and elements
   the boilerplate table names (share bars, ads, related links, captions, bylines...), except
   when an element holds most of the page's paragraph text, which means it wraps the story.
2. Text mass: every text block scores its non-link characters; masses add up the tree. The
   container is found by walking down from ``<body>`` (or from an element marked as the article
   body by schema.org or a well-known class) into the child that holds nearly all the mass, and
   stopping where the mass splits: that is the smallest element holding the whole story.
   Dense-prose siblings of it (a lead set apart) join it. When the publisher's JSON-LD
   ``articleBody`` brackets a different element and the walk went elsewhere or too deep, that
   element wins (``dom_hints``).
3. Inside it, blocks that are link lists, known boilerplate lines (``boilerplate_patterns``),
   the headline or the printed byline are dropped.

Everything is a few linear passes over the lxml tree (about 3 ms for a typical news page).
The thresholds below were checked for flatness on extraction-dev (±0.1 around each value moves
F1 by at most 0.006), so they are not tuned to its pages.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.extract import boilerplate, dom_hints
from crawler.extract.dom_blocks import BLOCK_TAGS, HEADING_TAGS, Block, normalise_space, walk_blocks

PROSE_TAGS = frozenset(("p", "li", "blockquote", "dd", "td", "pre") + tuple(HEADING_TAGS))
# Real article pages have a few thousand elements once scripts are gone; far more is a
# generated or hostile page, and walking it in Python would take seconds.
MAX_ELEMENTS = 200_000
# A <noscript> with more text than this is a page for script-less readers, not a notice.
NOSCRIPT_PAGE_CHARS = 1000
# A block shorter than this carries no weight when looking for the story (menus, labels, dates).
MIN_BLOCK_CHARS = 25
# Below this much <p> prose, a page keeps its text elsewhere and needs the full block walk.
MIN_P_MASS = 500
# A block with more of its text in links than this is navigation, not prose.
MAX_LINK_DENSITY = 0.5
# Chrome that holds more than this share of the page's prose is kept: it wraps the story.
MAX_CHROME_SHARE = 0.5
# Descend into a child while it holds at least this share of its parent's mass.
DESCEND_SHARE = 0.7
# A content-marked element must hold at least this share of the page's mass to be trusted.
HINT_SHARE = 0.4
# ... and for schema.org ``itemprop=articleBody``, a statement by the publisher.
SCHEMA_HINT_SHARE = 0.1
# A sibling of the container joins the body when it holds this much prose, this densely.
SIBLING_MIN_CHARS = 80
SIBLING_DENSITY = 0.8
# Boilerplate phrases are only matched on blocks this short: a long paragraph is prose.
MAX_PHRASE_BLOCK = 200


def block_weight(block: Block) -> int:
    length = len(block.text)
    if length < MIN_BLOCK_CHARS or block.link_chars > length * MAX_LINK_DENSITY:
        return 0
    return length - block.link_chars


def text_mass(root, blocks: list[Block]) -> dict:
    """Element -> prose characters in its subtree, accumulated bottom-up in one reverse pass."""
    mass: dict = {}
    for block in blocks:
        weight = block_weight(block)
        if weight:
            mass[block.owner] = mass.get(block.owner, 0) + weight
    for el in reversed(list(root.iter())):
        value = mass.get(el)
        if value and el is not root:
            parent = el.getparent()
            if parent is not None:
                mass[parent] = mass.get(parent, 0) + value
    return mass


def strip_junk(root) -> None:
    """Remove never-text tags, and unwrap comments: ``iterwalk`` skips them, tails and all.

    ``<noscript>`` usually holds a tracking pixel or "enable JavaScript", but some sites put the
    whole page in it for script-less readers: a big one is unwrapped, not removed.
    """
    for el in list(root.iter("noscript")):
        if el.xpath("string-length(normalize-space())") > NOSCRIPT_PAGE_CHARS:
            el.tag = "div"
    etree.strip_elements(root, *boilerplate.JUNK_TAGS, with_tail=False)
    etree.strip_tags(root, etree.Comment, etree.ProcessingInstruction)


def paragraph_mass(root) -> dict:
    """Element -> characters of ``<p>`` prose below it: a cheap first estimate of where the story is.

    Only paragraphs count (found by lxml in C), so it costs a fraction of a full block walk;
    pages that hold their text outside ``<p>`` fall back to the full walk (``text_mass``).
    """
    mass: dict = {}
    for p in root.iter("p"):
        length = len(p.text_content().strip())
        if length < MIN_BLOCK_CHARS:
            continue
        for el in p.iterancestors():
            mass[el] = mass.get(el, 0) + length
            if el is root:
                break
    if mass.get(root, 0) < MIN_P_MASS:
        return text_mass(root, walk_blocks(root))
    return mass


def remove_chrome(root, mass: dict) -> int:
    """Drop boilerplate elements that do not wrap the story; returns how many were dropped."""
    limit = mass.get(root, 0) * MAX_CHROME_SHARE
    doomed = []
    for el in boilerplate.candidates(root):
        if mass.get(el, 0) > limit:
            continue
        reason = boilerplate.boilerplate_reason(el)
        if not reason:
            continue
        if el.tag not in BLOCK_TAGS and reason.startswith(("class=", "id=")):
            # Inside prose, a class on a link or span is styling ("icon", "media"), not chrome.
            parent = el.getparent()
            if parent is not None and parent.tag in PROSE_TAGS:
                continue
        doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return len(doomed)


def find_container(root, mass: dict):
    total = mass.get(root, 0)
    start = root
    if total:
        # schema.org's articleBody is an explicit statement; class names are conventions.
        marked = [el for el in root.xpath("descendant::*[@itemprop='articleBody' or @itemprop='articlebody']")
                  if mass.get(el, 0) >= total * SCHEMA_HINT_SHARE]
        if not marked:
            marked = [el for el in root.iter() if isinstance(el.tag, str)
                      and mass.get(el, 0) >= total * HINT_SHARE and boilerplate.is_content_marked(el)]
        if marked:
            start = max(marked, key=lambda el: mass[el])
    node = start
    while True:
        node_mass = mass.get(node, 0)
        best, best_mass = None, 0
        for child in node:
            child_mass = mass.get(child, 0)
            if child_mass > best_mass:
                best, best_mass = child, child_mass
        if best is None or best_mass < node_mass * DESCEND_SHARE:
            return node
        node = best


def prose_siblings(container, mass: dict, stop) -> list:
    """Siblings of the container that are prose too: a lead or summary set apart from the body.

    Only dense prose counts (most characters in long, link-free blocks), so teasers, bylines and
    link lists next to the story stay out.
    """
    parent = container.getparent()
    if container is stop or parent is None:
        return []
    extras = []
    for sibling in parent:
        if sibling is container or not isinstance(sibling.tag, str):
            continue
        prose = mass.get(sibling, 0)
        if prose < SIBLING_MIN_CHARS:
            continue
        if prose >= SIBLING_DENSITY * sibling.xpath("string-length(normalize-space())"):
            extras.append(sibling)
    return extras


_WORD = re.compile(r"\w")


def _contains(ancestor, node) -> bool:
    return node is ancestor or any(a is ancestor for a in node.iterancestors())


def _key(text: str | None) -> str:
    return normalise_space(text or "").casefold().strip(" .:\"'“”")


def keep_block(block: Block, skip: set[str]) -> bool:
    text = block.text
    owner_tag = getattr(block.owner, "tag", None)
    if owner_tag == "h1" or not _WORD.search(text):  # headline; stray separators such as "|"
        return False
    if block.link_chars > len(text) * MAX_LINK_DENSITY:
        return False
    if len(text) <= MAX_PHRASE_BLOCK and boilerplate.is_boilerplate_text(text):
        return False
    if _key(text) in skip:
        return False
    return True


def extract_body(doc, url=None, meta=None, warnings: list[str] | None = None) -> str:
    """Plain-text body, paragraphs separated by one blank line; '' when no story text is found."""
    meta = meta or {}
    body = doc.find("body")
    if body is None:
        body = doc
    article_body = dom_hints.jsonld_article_body(doc)  # before the scripts go
    strip_junk(body)
    elements = int(body.xpath("count(descendant::*)"))  # counted in C: cheap even on a huge page
    if elements > MAX_ELEMENTS:
        if warnings is not None:
            warnings.append(f"page too large for body extraction ({elements} elements)")
        return ""
    remove_chrome(body, paragraph_mass(body))
    blocks = walk_blocks(body)
    mass = text_mass(body, blocks)
    if not mass.get(body):
        return ""
    container = find_container(body, mass)
    if article_body:
        hinted = dom_hints.locate(blocks, article_body)
        # The publisher's pointer wins when the mass walk went elsewhere or too deep; when the
        # walk's container already holds it, the walk keeps what the (maybe truncated) hint missed.
        if (hinted is not None and hinted is not body and not _contains(container, hinted)
                and (_contains(hinted, container) or mass.get(hinted, 0) >= mass.get(container, 0) / 2)):
            container = hinted
    # The headline and the printed byline are fields of their own; the dek often opens the story.
    skip = {k for k in (_key(meta.get("headline")), _key(meta.get("byline"))) if k}
    inside = None
    if container is not body:
        inside = set(container.iter())
        for sibling in prose_siblings(container, mass, body):
            inside.update(sibling.iter())
    candidates = [b for b in blocks if inside is None or b.owner in inside]
    return "\n\n".join(b.text for b in candidates if keep_block(b, skip))


__all__ = ["extract_body", "HEADING_TAGS"]
