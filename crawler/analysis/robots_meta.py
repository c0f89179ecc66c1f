"""The robots directives a page carries about itself: ``<meta name="robots">`` (and per-bot
variants such as ``<meta name="googlebot">``) and the ``X-Robots-Tag`` header (plain, or
``botname: directives``).

The archive records all of them as served, whoever they address; whether a page forbids
archiving *us* (``noarchive`` for every robot or for our own name) is decided apart, so the
record stays true when the policy or our name changes. Read from the raw bytes with two small
regular expressions rather than a parse: it runs for every captured response on the reactor
thread, before the page is parsed in the worker pool. No Scrapy here (``reextract`` uses it).
"""

from __future__ import annotations

import re

# meta tags anywhere in the first part of the document (robots meta in <body> is honoured too)
SCAN_BYTES = 512 * 1024
_META = re.compile(rb"<meta\s[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# meta names that address robots: "robots", and names of bots (googlebot, googlebot-news, ...)
_BOT_NAME = re.compile(r"^(?:robots|[a-z0-9_.-]*bot[a-z0-9_.-]*)$")
_HEADER_BOT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*:\s*(.*)$", re.S)
# directives written "name: value": their name is not a bot's
_KEYED = {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}


def _tokens(text: str) -> list[str]:
    return [t.strip().lower() for t in text.split(",") if t.strip()]


def meta_directives(body: bytes | None, names=()) -> dict[str, list[str]]:
    """``{meta name: [directives]}`` of a page's robots meta tags (names lower-cased): ``robots``,
    names of bots (``googlebot``...) and ``names`` (ours, which need not end in "bot")."""
    ours = {n.lower() for n in names}
    out: dict[str, list[str]] = {}
    if not body:
        return out
    for tag in _META.findall(body[:SCAN_BYTES]):
        attrs = {m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or b"")
                 for m in _ATTR.finditer(tag)}
        name = attrs.get(b"name", b"").decode("latin-1").strip().lower()
        if name and (_BOT_NAME.match(name) or name in ours) and b"content" in attrs:
            found = _tokens(attrs[b"content"].decode("latin-1"))
            if found:
                out.setdefault(name, []).extend(t for t in found if t not in out.get(name, []))
    return out


def header_directives(values) -> dict[str, list[str]]:
    """``{bot or "*": [directives]}`` from the ``X-Robots-Tag`` header lines of a response."""
    out: dict[str, list[str]] = {}
    for value in values or ():
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        bot, text = "*", value
        m = _HEADER_BOT.match(value)
        if m and m.group(1).lower() not in _KEYED:
            bot, text = m.group(1).lower(), m.group(2)
        found = _tokens(text)
        if found:
            out.setdefault(bot, []).extend(t for t in found if t not in out.get(bot, []))
    return out


def robots_directives(x_robots_tags, body: bytes | None, names=()) -> dict:
    """``{"meta": {...}, "header": {...}}`` with only the parts present; ``{}`` for none."""
    out = {}
    meta = meta_directives(body, names)
    if meta:
        out["meta"] = meta
    header = header_directives(x_robots_tags)
    if header:
        out["header"] = header
    return out


def forbids(directives: dict, directive: str, names=()) -> bool:
    """True when ``directive`` (e.g. ``noarchive``) addresses every robot or one of ``names``."""
    ours = {"robots", "*", *(n.lower() for n in names)}
    return any(directive in found for part in directives.values()
               for name, found in part.items() if name in ours)


def bot_names(user_agent: str | None, bot_name: str | None = None) -> tuple[str, ...]:
    """The names that address this crawler: its user agent's product token and its bot name."""
    names = {(user_agent or "").split("/")[0].split()[0].lower() if (user_agent or "").strip() else "",
             (bot_name or "").lower()}
    return tuple(sorted(n for n in names if n))


def decoded_start(body: bytes, content_encoding: str | None, limit: int = SCAN_BYTES) -> bytes:
    """The first ``limit`` bytes of a body as the page reads it: the WARC middleware sees the
    body as it came off the wire, gzip- or deflate-encoded; a damaged stream gives what decoded."""
    coding = (content_encoding or "").strip().lower()
    if not body or coding not in ("gzip", "x-gzip", "deflate"):
        return body[:limit] if body else b""
    import zlib

    for wbits in ((16 + zlib.MAX_WBITS,) if "gzip" in coding else (zlib.MAX_WBITS, -zlib.MAX_WBITS)):
        try:
            return zlib.decompressobj(wbits).decompress(body, limit)
        except zlib.error:
            continue
    return b""
