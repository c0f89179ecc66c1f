"""The article a JavaScript app ships in its own embedded state, for pages whose DOM holds no story.

An app shell (Next.js, Nuxt, a Redux or Apollo store) renders the article in the browser from
data it serialises into the page: ``<script id="__NEXT_DATA__">`` JSON, Nuxt's ``__NUXT_DATA__``
(devalue's flat array) or ``window.__NUXT__``, ``window.__INITIAL_STATE__ = {...}``,
``__PRELOADED_STATE__``, ``__APOLLO_STATE__``. The bytes on the wire already hold the story, so no
browser is needed: the state is parsed and the article object found in it *generically* (no
site's schema is known): the object with the longest body-like text field (``body``, ``content``,
``html``, rich-text block lists...) that also carries a title and an author or a publication
date. HTML in it goes through the body stage's own boilerplate rules.

Used only where the body stage gives up: when the DOM text is empty or far shorter than the
embedded body (``apply``). The scripts are read before the body stage strips them (``read``),
and parsed only when the DOM body is short enough for the state to matter, so pages that render
their text cost one regex pass over their inline scripts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lxml import etree, html as lxml_html

from crawler.extract import boilerplate, content, dates, people, relevance
from crawler.extract.dom_blocks import normalise_space, walk_blocks

FROM_EMBEDDED_DATA = "body taken from the page's embedded app state (the page's own text was empty or far shorter)"
# The embedded body replaces the DOM's when the DOM holds less than this share of its words ...
SHARE = content.ARTICLE_BODY_SHARE
# ... and it is long enough to be a story, not a teaser, a product blurb or a caption.
MIN_WORDS = 80
# The page's headline names the state's article when it shares this much of its terms.
SAME_STORY = content.ON_TOPIC_OVERLAP
# States are big (a whole app's store); walking a hostile one must not take seconds.
MAX_NODES = 200_000
MAX_DEPTH = 60
MAX_STATE_CHARS = 20_000_000

# ``window.__X__ = `` (also ``self.`` / ``globalThis.`` / ``window["__X__"]``): the usual ways to
# hand a store to the client bundle.
_ASSIGN = re.compile(r"""(?:window|self|globalThis)\s*(?:\.\s*|\[\s*["'])(__[A-Za-z0-9_]+__|[A-Za-z_$][\w$]*(?:STATE|State|DATA|Data)[\w$]*)["']?\]?\s*=\s*""")
_JSON_PARSE = re.compile(r"""JSON\.parse\(\s*(["'])""")
_STATE_IDS = ("__NEXT_DATA__", "__NUXT_DATA__")
_SCRIPTS = "/descendant::script[not(@src)]"
# In a JavaScript object literal that is not JSON (Nuxt 2's ``(function(a,b){return {...}})``):
# ``key: "string"`` pairs are still readable.
_JS_PAIR = re.compile(r"""(?:^|[{,\s])["']?([A-Za-z_$][\w$]*)["']?\s*:\s*"((?:[^"\\]|\\.)*)\"""", re.S)
_TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")


def _norm_key(key: str) -> str:
    return key.replace("_", "").replace("-", "").casefold()


BODY_KEYS = frozenset(("body", "articlebody", "bodyhtml", "bodytext", "content", "contenthtml", "contents",
                       "html", "text", "fulltext", "articletext", "storytext", "story", "richtext", "bodycontent",
                       "articlecontent", "maincontent", "storybody", "rendered", "blocks", "paragraphs"))
TITLE_KEYS = frozenset(("headline", "title", "seotitle", "displaytitle", "heading", "articletitle", "headlinetext"))
AUTHOR_KEYS = frozenset(("author", "authors", "byline", "writer", "writers", "creator", "creators", "contributors",
                         "authorname", "bylines"))
PUBLISHED_KEYS = frozenset(("datepublished", "publishedat", "publishdate", "published", "publicationdate",
                            "publishedon", "firstpublished", "firstpublishedat", "pubdate", "date", "displaydate",
                            "publisheddate", "publishtime", "publishedtime"))
MODIFIED_KEYS = frozenset(("datemodified", "modifiedat", "updatedat", "modified", "lastmodified", "updated",
                           "lastupdated", "updatedate", "modifieddate", "lastpublishedat"))
# Inside a rich-text value, the leaves that hold its words (everything else is markup data).
_LEAF_KEYS = frozenset(("text", "value", "content", "html", "children", "body", "rendered", "data", "content_html",
                        "contenthtml", "bodyhtml", "items", "paragraph", "paragraphs", "blocks", "plaintext"))


@dataclass(slots=True)
class State:
    """The page's embedded state scripts, unparsed: ``(kind, text)`` with kind ``json``,
    ``devalue`` (Nuxt 3's flat array) or ``assign`` (the text after ``window.X =``)."""
    scripts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(len(text) for _, text in self.scripts)


@dataclass(slots=True)
class EmbeddedArticle:
    body: str
    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None

    @property
    def words(self) -> int:
        return len(self.body.split())


def read(doc) -> State | None:
    """The embedded state scripts of the page (before the body stage strips scripts); None when
    it has none. Never raises."""
    if doc is None:
        return None
    state = State()
    try:
        for script in doc.xpath(_SCRIPTS):
            text = script.text
            if not text or len(text) < 200:
                continue
            sid = script.get("id")
            if sid in _STATE_IDS:
                state.scripts.append(("devalue" if sid == "__NUXT_DATA__" else "json", text))
                continue
            for m in _ASSIGN.finditer(text):
                state.scripts.append(("assign", text[m.end():]))
    except Exception:  # noqa: BLE001 - embedded state is an optional source
        return None
    return state if state.scripts else None


# -- parsing ---------------------------------------------------------------------------------

_DECODER = json.JSONDecoder(strict=False)


def _value_after_assign(text: str):
    """The value assigned: JSON, ``JSON.parse("...")``, or (JavaScript that is not JSON) the
    object's ``key: "string"`` pairs gathered into one flat dict."""
    text = text.lstrip()
    m = _JSON_PARSE.match(text)
    if m:
        quote = m.group(1)
        end = _string_end(text, m.end(), quote)
        if end is not None:
            literal = text[m.end():end]
            if quote == "'":
                literal = literal.replace('\\\'', "'").replace('"', '\\"')
            try:
                return _DECODER.decode(_DECODER.decode(f'"{literal}"'))
            except ValueError:
                return None
    if text[:1] in "{[":
        try:
            return _DECODER.raw_decode(text)[0]
        except ValueError:
            pass
    return _js_pairs(text)


def _string_end(text: str, start: int, quote: str) -> int | None:
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i
        i += 1
    return None


def _js_pairs(text: str) -> dict | None:
    """Longest string per key: enough to find a title and a body in a JS literal."""
    pairs: dict[str, str] = {}
    for key, raw in _JS_PAIR.findall(text[:MAX_STATE_CHARS]):
        try:
            value = _DECODER.decode(f'"{raw}"')
        except ValueError:
            continue
        if len(value) > len(pairs.get(key, "")):
            pairs[key] = value
    return pairs or None


def unflatten_devalue(flat):
    """Nuxt 3's ``__NUXT_DATA__`` (devalue): a flat array whose containers hold indexes into it.
    ``["Reactive", i]``-style wrappers are unwrapped; negative indexes are undefined/NaN/holes."""
    if not isinstance(flat, list) or not flat:
        return None
    cache: dict[int, object] = {}
    budget = [MAX_NODES]

    def get(index, depth=0):
        if not isinstance(index, int) or index < 0 or index >= len(flat) or depth > MAX_DEPTH or budget[0] <= 0:
            return None
        if index in cache:
            return cache[index]
        budget[0] -= 1
        value = flat[index]
        if isinstance(value, dict):
            out: dict = {}
            cache[index] = out
            for key, ref in value.items():
                out[key] = get(ref, depth + 1)
            return out
        if isinstance(value, list):
            if value and isinstance(value[0], str):  # a typed wrapper: ["Reactive", 3], ["Date", "..."]
                if value[0] in ("Date", "RegExp", "BigInt", "URL"):
                    return value[1] if len(value) > 1 else None
                return get(value[1], depth + 1) if len(value) == 2 else None
            out_list: list = []
            cache[index] = out_list
            out_list.extend(get(ref, depth + 1) for ref in value)
            return out_list
        return value

    return get(0)


def parse(state: State) -> list:
    """The parsed states (never raises: an unreadable script is skipped)."""
    out = []
    for kind, text in state.scripts:
        if len(text) > MAX_STATE_CHARS:
            continue
        try:
            if kind == "assign":
                value = _value_after_assign(text)
            else:
                value = _DECODER.decode(text.strip())
                if kind == "devalue":
                    value = unflatten_devalue(value)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, (dict, list)):
            out.append(value)
    return out


# -- finding the article ---------------------------------------------------------------------

def _fragment_text(markup: str, skip: set[str]) -> str:
    """An HTML fragment's prose, cleaned as the body stage cleans a page: never-text tags and
    boilerplate elements go, then link lists and boilerplate lines."""
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _plain_text(_TAG.sub("\n", markup), skip)
    content.strip_junk(root)
    content.remove_chrome(root, content.paragraph_mass(root))
    return "\n\n".join(b.text for b in walk_blocks(root) if content.keep_block(b, skip))


def _plain_text(text: str, skip: set[str]) -> str:
    paras = []
    for line in text.splitlines():
        line = normalise_space(line)
        if not line or not re.search(r"\w", line):
            continue
        if len(line) <= content.MAX_PHRASE_BLOCK and boilerplate.is_boilerplate_text(line):
            continue
        if line.casefold() in skip:
            continue
        paras.append(line)
    return "\n\n".join(paras)


def _is_span(item, key: str | None) -> bool:
    """A rich-text run (``{"text": "Hello ", "marks": ["em"]}``, a block's ``children``): its leaf
    values are strings only, and it carries marks or sits in a ``children`` list."""
    return isinstance(item, dict) and (key == "children" or "marks" in item) and all(
        isinstance(v, str) for k, v in item.items() if isinstance(k, str) and _norm_key(k) in _LEAF_KEYS)


def _leaves(value, out: list[str], depth: int = 0, key: str | None = None) -> None:
    """The paragraphs of a rich-text value in document order: a string is one, the runs of one
    block (a list of spans) make one, a list of blocks makes one per block."""
    if depth > MAX_DEPTH or len(out) > 5000:
        return
    if isinstance(value, str):
        if value.strip():
            out.append(value)
    elif isinstance(value, list):
        if value and all(_is_span(item, key) for item in value):
            run = "".join(v for item in value for k, v in item.items()
                          if isinstance(k, str) and _norm_key(k) in _LEAF_KEYS)
            if run.strip():
                out.append(run)
            return
        for item in value:
            _leaves(item, out, depth + 1)
    elif isinstance(value, dict):
        for name, item in value.items():
            if isinstance(name, str) and _norm_key(name) in _LEAF_KEYS:
                _leaves(item, out, depth + 1, name)


def _body_text(value, skip: set[str]) -> str:
    if isinstance(value, str):
        raw = value
        if len(raw.split()) < MIN_WORDS // 2:  # cheap: most strings in a store are short
            return ""
    else:
        parts: list[str] = []
        _leaves(value, parts)
        if not parts:
            return ""
        raw = "\n".join(f"<p>{p}</p>" if not _TAG.search(p) else p for p in parts) if len(parts) > 1 else parts[0]
    if _TAG.search(raw):
        return _fragment_text(raw, skip)
    return _plain_text(raw.replace("\r", ""), skip)


def _string_of(value) -> str | None:
    if isinstance(value, str):
        text = normalise_space(_TAG.sub(" ", value))
        return text or None
    if isinstance(value, dict):
        for key in ("name", "title", "text", "value", "displayName", "fullName", "rendered", "plainText"):
            if isinstance(value.get(key), str):
                return _string_of(value[key])
    return None


def _names(value) -> list[str]:
    raw: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items[:20]:
        if isinstance(item, dict):
            name = _string_of(item)
            if not name and isinstance(item.get("firstName"), str):
                name = f"{item.get('firstName', '')} {item.get('lastName', '') or ''}".strip()
        else:
            name = _string_of(item)
        if name:
            raw.append(name)
    return people.clean_authors(raw)


def _date(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        if 10**8 < seconds < 10**10:
            return datetime.fromtimestamp(seconds, timezone.utc).isoformat()
        return None
    if isinstance(value, str):
        return dates.parse_date(value, with_text=False)
    if isinstance(value, dict):
        return _date(value.get("value") or value.get("date") or value.get("iso"))
    return None


def _fields(obj: dict) -> dict[str, object]:
    return {_norm_key(k): v for k, v in obj.items() if isinstance(k, str)}


def _article_from(obj: dict, body: str) -> EmbeddedArticle | None:
    keys = _fields(obj)
    headline = next((_string_of(keys[k]) for k in TITLE_KEYS if k in keys and _string_of(keys[k])), None)
    authors = next((names for k in AUTHOR_KEYS if k in keys for names in [_names(keys[k])] if names), [])
    published = next((d for k in PUBLISHED_KEYS if k in keys for d in [_date(keys[k])] if d), None)
    modified = next((d for k in MODIFIED_KEYS if k in keys for d in [_date(keys[k])] if d), None)
    if not headline or not (authors or published):
        return None
    return EmbeddedArticle(body=body, headline=headline, authors=authors, published=published, modified=modified)


def find_article(states: list, skip: set[str] = frozenset()) -> EmbeddedArticle | None:
    """The object with the longest body-like text that also has a title and an author or a
    publication date (a product, a menu or a page of settings has no byline or dateline)."""
    best: EmbeddedArticle | None = None
    stack = [(s, 0) for s in states]
    seen = 0
    while stack and seen < MAX_NODES:
        node, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            keys = _fields(node)
            if any(k in keys for k in TITLE_KEYS):
                for key in BODY_KEYS:
                    value = keys.get(key)
                    if value is None or isinstance(value, (int, float, bool)):
                        continue
                    body = _body_text(value, skip)
                    if len(body.split()) >= MIN_WORDS and (best is None or len(body) > len(best.body)):
                        article = _article_from(node, body)
                        if article:
                            best = article
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return best


def _another_story(article, found: EmbeddedArticle) -> bool:
    """The page names a story and the state's article is not it (a store holding the next
    article or a list of teasers). A page title that is just the site's name names nothing."""
    title = article.headline
    if not title or (article.site_name and article.site_name.casefold() in title.casefold()
                     and len(title) <= len(article.site_name) + 3):
        return False
    limit = content.verdict.OFF_TOPIC_OVERLAP
    for text in (found.headline, found.body):
        overlap = relevance.topic_overlap(title, None, text)
        if overlap is None or overlap >= limit:
            return False
    return True


# -- the hook --------------------------------------------------------------------------------

def apply(article, state: State | None) -> bool:
    """Where the body stage gave up: take the story from the embedded state when the DOM body is
    empty or holds less than ``SHARE`` of its words, and fill the metadata the page lacked.
    True when the body now comes from the state. Never raises."""
    if state is None:
        return False
    try:
        dom_words = len(article.body.split())
        # The state cannot hold a body longer than itself: skip parsing when it could not win.
        if dom_words and len(state.scripts) and state.chars < len(article.body) / SHARE:
            return False
        skip = {k for k in (normalise_space(article.headline or "").casefold(),) if k}
        found = find_article(parse(state), skip)
        if found is None or dom_words >= found.words * SHARE:
            return False
        if _another_story(article, found):
            return False
        article.body = found.body
        # The page's own headline stands, unless it has none or it is the site's name (an app
        # shell's <title>): then the state's title names the story. Its people and dates fill
        # what the page lacks only when the state's article is plainly the page's story (a
        # topic page holding one story's state must not take that story's byline and date).
        untitled = not article.headline or bool(
            article.site_name and article.headline.casefold() == article.site_name.casefold())
        same = untitled or (relevance.topic_overlap(article.headline, None, found.headline) or 0) >= SAME_STORY
        if untitled:
            article.headline = found.headline or article.headline
        if same:
            article.authors = article.authors or found.authors
            article.published = article.published or found.published
            article.modified = article.modified or found.modified
        article.warnings.append(FROM_EMBEDDED_DATA)
        return True
    except Exception as exc:  # noqa: BLE001 - a bug here costs this source, not the article
        article.warnings.append(f"embedded data extraction failed: {type(exc).__name__}: {exc}")
        return False


__all__ = ["FROM_EMBEDDED_DATA", "State", "EmbeddedArticle", "read", "parse", "find_article", "apply",
           "unflatten_devalue"]
