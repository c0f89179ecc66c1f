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

from crawler.extract import boilerplate, dom_hints, relevance, verdict
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
# Chrome that would take more than this share of the page's prose in all is misnamed in part.
CHROME_BUDGET = 0.8
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
# When the DOM pick holds less than this share of the JSON-LD articleBody's words, the latter is the body.
ARTICLE_BODY_SHARE = 0.5
# Blocks tried after an off-topic pick before keeping it (the verdict then says off-topic-body).
MAX_CANDIDATES = 2
# A child holding this share of the container's mass is a part that may tell a story of its own ...
PART_SHARE = 0.2
# ... a part sharing this much of the headline's terms is plainly on topic, and a part with a
# heading of its own sharing at most this fraction of what the on-topic part shares is another story
# (generic words such as "month" or "north" keep an unrelated story's overlap above zero).
ON_TOPIC_OVERLAP = 0.5
OTHER_STORY_RATIO = 0.34
FROM_ARTICLE_BODY = "body taken from the page's JSON-LD articleBody (the page's own text was empty or far shorter)"


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
    """Drop boilerplate elements that do not wrap the story; returns how many were dropped.

    When the matches together would take nearly all the page's prose (``CHROME_BUDGET``), a name
    is misleading (a guide whose every section is a "jump-section", accordion panels marked
    ``hidden``): the matches sharing the reason that holds the most prose stay, unless that reason
    names readers' comments, which do outweigh a short post.
    """
    total = mass.get(root, 0)
    limit = total * MAX_CHROME_SHARE
    doomed, reasons = [], {}
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
        reasons[el] = reason
    if total and doomed:
        chosen = set(doomed)
        outer = [el for el in doomed if not any(a in chosen for a in el.iterancestors())]
        if sum(mass.get(el, 0) for el in outer) > total * CHROME_BUDGET:
            by_reason: dict = {}
            for el in outer:
                by_reason[reasons[el]] = by_reason.get(reasons[el], 0) + mass.get(el, 0)
            misnamed = max(by_reason, key=by_reason.get)
            if not _COMMENTS.search(misnamed):
                doomed = [el for el in doomed if reasons[el] != misnamed]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return len(doomed)


_COMMENTS = re.compile(r"comment|disqus|repl(?:y|ies)|respond|discussion", re.I)


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
    return descend(start, mass)


def descend(node, mass: dict):
    """From ``node`` into the child holding nearly all the mass, until the mass splits."""
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


def without(mass: dict, element) -> dict:
    """The mass map with ``element``'s subtree taken out: where the walk goes once it is ruled out."""
    out = dict(mass)
    removed = out.get(element, 0)
    if not removed:
        return out
    for el in element.iter():
        out.pop(el, None)
    for el in element.iterancestors():
        out[el] = out.get(el, 0) - removed
    return out


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


def _words(text: str) -> int:
    return len(text.split())


def off_topic(text: str, meta: dict) -> bool:
    """True when ``text`` is long enough to judge and shares almost no terms with the headline and
    description (the verdict's own test, so the body stage and the verdict agree)."""
    if _words(text) < verdict.OFF_TOPIC_MIN_WORDS:
        return False
    overlap = relevance.topic_overlap(meta.get("headline"), meta.get("description"), text)
    return overlap is not None and overlap < verdict.OFF_TOPIC_OVERLAP


def off_topic_parts(container, mass: dict, blocks: list[Block], meta: dict) -> list:
    """Big children of the container that tell another story: each is marked as a story of its own
    (``_is_story``) and shares far less with the headline than a sibling part that is plainly on topic.
    A second full story in an aside, or a "next article" appended below, is the usual shape."""
    parts = [child for child in container if isinstance(child.tag, str)
             and mass.get(child, 0) >= mass.get(container, 0) * PART_SHARE]
    if len(parts) < 2:
        return []
    owner_part = {el: part for part in parts for el in part.iter()}
    texts: dict = {part: [] for part in parts}
    for block in blocks:
        part = owner_part.get(block.owner)
        if part is not None:
            texts[part].append(block.text)
    overlaps = {part: relevance.topic_overlap(meta.get("headline"), meta.get("description"), " ".join(texts[part]))
                for part in parts}
    best = max((v for v in overlaps.values() if v is not None), default=None)
    if best is None or best < ON_TOPIC_OVERLAP:
        return []
    return [part for part in parts
            if overlaps[part] is not None and overlaps[part] <= best * OTHER_STORY_RATIO
            and _words(" ".join(texts[part])) >= verdict.OFF_TOPIC_MIN_WORDS and _is_story(part)]


def _is_story(el) -> bool:
    """An element the page marks as a story of its own: an ``<article>`` or ``<aside>``, or a block
    with a top-level headline (``<h1>``) inside. Section wrappers with ``<h2>`` do not count: long
    guides split into such sections whose words may not repeat the headline's."""
    return el.tag in ("article", "aside") or next(el.iter("h1"), None) is not None


def container_text(container, body, mass: dict, blocks: list[Block], skip: set[str], meta: dict) -> str:
    """The kept blocks of the container and its prose siblings, without parts that tell another story."""
    inside = None
    if container is not body:
        inside = set(container.iter())
        for sibling in prose_siblings(container, mass, body):
            inside.update(sibling.iter())
    for part in off_topic_parts(container, mass, blocks, meta):
        if inside is None:
            inside = set(body.iter())
        inside.difference_update(part.iter())
    candidates = [b for b in blocks if inside is None or b.owner in inside]
    return "\n\n".join(b.text for b in candidates if keep_block(b, skip))


def extract_body(doc, url=None, meta=None, warnings: list[str] | None = None) -> str:
    """Plain-text body, paragraphs separated by one blank line; '' when no story text is found.

    The DOM pick is checked before it is trusted: when it tells another story than the headline,
    the next candidate block is tried; when it is empty or far shorter than the publisher's own
    JSON-LD ``articleBody``, that text is the body (with a warning saying so).
    """
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
    text = ""
    if mass.get(body):
        text = dom_text(body, blocks, mass, article_body, meta)
    if article_body and _words(text) < _words(article_body) * ARTICLE_BODY_SHARE and not off_topic(article_body, meta):
        if warnings is not None:
            warnings.append(FROM_ARTICLE_BODY)
        return article_body
    return text


def dom_text(body, blocks: list[Block], mass: dict, article_body: str | None, meta: dict) -> str:
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
    text = container_text(container, body, mass, blocks, skip, meta)
    rest = mass
    for _ in range(MAX_CANDIDATES):
        if not off_topic(text, meta) or container is body:
            break
        rest = without(rest, container)
        if rest.get(body, 0) < MIN_P_MASS:
            break
        container = descend(body, rest)
        candidate = container_text(container, body, rest, blocks, skip, meta)
        if not off_topic(candidate, meta) and _words(candidate) >= verdict.OFF_TOPIC_MIN_WORDS:
            return candidate
    return text


__all__ = ["extract_body", "HEADING_TAGS"]
