"""JSON-LD reading: every ``<script type="application/ld+json">`` block, flattened through arrays
and ``@graph``, tolerant of the broken JSON real pages ship (trailing commas, raw newlines, HTML
comments, CDATA), so one bad block never hides the others."""

from __future__ import annotations

import json
import re

ARTICLE_TYPES = ("newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
                 "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "reportage",
                 "medicalwebpage", "advertisercontentarticle", "satiricalarticle", "askpublicnewsarticle")
PAGE_TYPES = ("webpage", "itempage", "collectionpage", "aboutpage", "medicalwebpage")

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def loads(text: str):
    """One JSON-LD block's data, or None: tolerant of what real pages ship (see the module doc)."""
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.replace("<![CDATA[", "").replace("]]>", "").strip().rstrip(";")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", _CTRL.sub(" ", text.replace("\n", " ").replace("\r", " "))),
                          strict=False)
    except ValueError:
        return None


def _walk(node, out: list, depth: int = 0):
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, out, depth + 1)
    elif isinstance(node, dict):
        out.append(node)
        graph = node.get("@graph")
        if graph is not None:
            _walk(graph, out, depth + 1)
        main = node.get("mainEntity")
        if isinstance(main, (dict, list)):
            _walk(main, out, depth + 1)


def types_of(node: dict) -> list[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return [t.rsplit("/", 1)[-1].casefold()]
    if isinstance(t, list):
        return [str(x).rsplit("/", 1)[-1].casefold() for x in t]
    return []


_blocks: tuple | None = None  # (document, its parsed blocks): the last document asked about


def jsonld_blocks(doc) -> list:
    """The data of every readable JSON-LD block, in document order. Classification, metadata and
    captions all read them, so they are parsed once per document (callers must not modify them)."""
    global _blocks  # noqa: PLW0603 - a one-document cache, like meta_dom's visible text
    if _blocks is not None and _blocks[0] is doc:
        return _blocks[1]
    scripts = doc.xpath('/descendant::script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
    blocks = [data for data in (loads(script.text or "") for script in scripts) if data is not None]
    _blocks = (doc, blocks)
    return blocks


def jsonld_objects(doc) -> list[dict]:
    """All JSON-LD objects of the page, in document order."""
    out: list[dict] = []
    for data in jsonld_blocks(doc):
        _walk(data, out)
    return out


def pick_article(objects: list[dict]) -> dict | None:
    """The object describing the article: an article type first, else a web page, else None."""
    for wanted in (ARTICLE_TYPES, PAGE_TYPES):
        for obj in objects:
            if any(t in wanted for t in types_of(obj)) and (obj.get("headline") or obj.get("name")
                                                            or obj.get("datePublished") or obj.get("author")):
                return obj
    return None


def text_of(value) -> str | None:
    """A plain string from a JSON-LD value that may be a string, a list or an object with name/@value."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        for v in value:
            t = text_of(v)
            if t:
                return t
        return None
    if isinstance(value, dict):
        for key in ("name", "@value", "text", "url", "@id"):
            if key in value:
                return text_of(value[key])
    return None


def id_index(objects: list[dict]) -> dict[str, dict]:
    """@id -> the fullest object with that id, to resolve references (Yoast puts authors in @graph)."""
    index: dict[str, dict] = {}
    for obj in objects:
        key = obj.get("@id")
        if isinstance(key, str) and len(obj) > len(index.get(key, ())):
            index[key] = obj
    return index


def resolve(value, index: dict | None):
    if index and isinstance(value, dict) and set(value) <= {"@id", "@type"} and isinstance(value.get("@id"), str):
        return index.get(value["@id"], value)
    if index and isinstance(value, list):
        return [resolve(v, index) for v in value]
    return value


def people_of(value, index: dict | None = None) -> list[tuple[str, str]]:
    """(name, kind) for each author entry; kind is 'person', 'organization' or 'unknown'."""
    out: list[tuple[str, str]] = []
    value = resolve(value, index)
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            if item.strip():
                out.append((item.strip(), "unknown"))
        elif isinstance(item, dict):
            name = text_of(item.get("name")) if not isinstance(item.get("name"), dict) else text_of(item["name"])
            if name and name.startswith(("http://", "https://", "/")):
                name = None
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(x for x in (text_of(item.get("givenName")), text_of(item.get("familyName"))) if x)
            if name:
                types = types_of(item)
                kind = "person" if "person" in types else ("organization" if any(
                    t in ("organization", "newsmediaorganization", "corporation") for t in types) else "unknown")
                out.append((name, kind))
        elif isinstance(item, list):
            out.extend(people_of(item, index))
    return out


def image_of(value) -> str | None:
    if isinstance(value, list):
        for v in value:
            u = image_of(v)
            if u:
                return u
        return None
    if isinstance(value, dict):
        return text_of(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return text_of(value)
