"""Bytes -> text -> lxml tree, trusting declared charsets only as far as the bytes agree.

News pages lie about their encoding often enough to matter: a server default of ``utf-8`` in
front of cp1252 files, a ``<meta charset>`` copied from a template, no declaration at all. The
order here is the one browsers use (BOM, HTTP header, ``<meta>``), but every declaration is
checked against the bytes: a declared UTF-8 that does not decode strictly falls through to
detection (charset-normalizer), and a detection that fails ends in cp1252 with replacement
characters rather than an exception. Each time we overrule or guess, a warning says so.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

import lxml.html
from lxml import etree

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it shares the first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Browsers only look at the first 1024 bytes; real pages put huge inline scripts first, so look further.
_META_SCAN_BYTES = 16 * 1024
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# Text that is mostly NUL or C0 control bytes is not HTML in any encoding.
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# WHATWG: these labels mean windows-1252 in every browser, so decoding with strict latin-1 would be wrong.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252",
            "us-ascii": "cp1252", "iso8859-1": "cp1252", "x-user-defined": "cp1252",
            "utf8": "utf-8", "unicode": "utf-8", "gb2312": "gb18030", "gbk": "gb18030"}


def _normalise(label: str | None) -> str | None:
    """A Python codec name for a declared label, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if key.lower() == "content-type":
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            if isinstance(value, (list, tuple)):
                value = value[0] if value else ""
            match = _HEADER_CHARSET.search(str(value))
            return match.group(1) if match else None
    return None


def meta_charset(data: bytes) -> str | None:
    """``<meta charset=...>`` or the http-equiv form; both carry ``charset=`` inside one tag."""
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def looks_binary(data: bytes) -> bool:
    """Text in any encoding we accept has almost no C0 controls (ISO-2022's ESC is allowed);
    random or compressed bytes have about 10%."""
    sample = data[:4096]
    if not sample:
        return False
    return len(_BINARY_CONTROL.findall(sample)) > len(sample) * 0.03


def sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII markup leaves a NUL in every other byte."""
    sample = data[:1024]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) * 0.4 and even == 0:
        return "utf-16-le"
    if even > len(sample) * 0.4 and odd == 0:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a product dependency, but never crash over it
        return None
    # Enough bytes to see the accented words of the body, not so many that a 50 MB page costs seconds.
    best = from_bytes(data[:256 * 1024]).best()
    return best.encoding if best is not None else None


def decode_html(html: bytes | str, headers: Mapping[str, str] | None = None) -> tuple[str, list[str]]:
    """(text, warnings). Never raises; the warnings say when a declaration was overruled or guessed."""
    if isinstance(html, str):
        return html, []
    if html is None:
        return "", []
    data = bytes(html)
    warnings: list[str] = []
    if not data:
        return "", []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), []
    utf16 = sniff_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), [f"no BOM or declaration: decoded as {utf16}"]
    if looks_binary(data):
        return "", ["binary content: not decoded as HTML"]

    declared_header = header_charset(headers)
    declared_meta = meta_charset(data)
    for source, label in (("HTTP header", declared_header), ("meta", declared_meta)):
        if not label:
            continue
        codec = _normalise(label)
        if codec is None:
            warnings.append(f"unknown charset {label!r} declared in {source}")
            continue
        text = _strict(data, codec)
        if text is not None and not (codec == "cp1252" and _is_utf8(data)):
            return text, warnings
        if text is not None:
            # cp1252 decodes almost anything; bytes that are valid multi-byte UTF-8 are UTF-8 in practice.
            warnings.append(f"charset {label!r} from {source} contradicted by the bytes: decoded as utf-8")
            return data.decode("utf-8"), warnings
        text, bad = _lenient(data, codec)
        if text is not None:
            warnings.append(f"{bad} undecodable byte sequence(s) replaced ({label} from {source})")
            return text, warnings
        warnings.append(f"charset {label!r} from {source} does not match the bytes")

    text = _strict(data, "utf-8")
    if text is not None:
        return text, warnings
    text, bad = _lenient(data, "utf-8")
    if text is not None:
        warnings.append(f"{bad} undecodable byte sequence(s) replaced (utf-8)")
        return text, warnings
    detected = _normalise(_detect(data))
    if detected in _LATIN_VARIANTS and _strict(data, "cp1252") is not None:
        # Detectors cannot tell Latin-script code pages apart on short text (they guess cp1250
        # for French); cp1252 is by far the commonest and what browsers assume.
        detected = "cp1252"
    if detected:
        if declared_header or declared_meta:
            warnings.append(f"decoded as detected charset {detected}")
        text = _strict(data, detected)
        if text is not None:
            return text, warnings
    warnings.append("charset unknown: decoded as cp1252 with replacements")
    return data.decode("cp1252", errors="replace"), warnings


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _lenient(data: bytes, codec: str) -> tuple[str | None, int]:
    """(text, replaced) when the codec decodes all but a stray byte here and there.

    One corrupt byte in an otherwise UTF-8 page is common (truncated copy-paste, a bad ad
    snippet); re-detecting the whole page over it would garble every accented letter.
    """
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None, 0
    bad = text.count("\ufffd")
    # Text in the wrong codec fails on nearly every non-ASCII character, not on one in fifty.
    if bad and bad * 50 <= len(_NON_ASCII.findall(text)) - bad:
        return text, bad
    return None, bad


def _is_utf8(data: bytes) -> bool:
    """True when the bytes hold non-ASCII and all of it is valid UTF-8 (pure ASCII proves nothing)."""
    if data.isascii():
        return False
    return _strict(data, "utf-8") is not None


_LATIN_VARIANTS = frozenset(codecs.lookup(name).name for name in (
    "cp1250", "cp1252", "cp1254", "cp1257", "latin-1", "iso-8859-2", "iso-8859-3", "iso-8859-4",
    "iso-8859-9", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16",
    "mac-roman", "mac-latin2", "cp850", "cp437"))
BIG_PAGE_CHARS = 8 * 1024 * 1024
# Scripts other than JSON-LD (metadata reads those) and styles, lazily matched to their end tag.
_BIG_SCRIPT = re.compile(
    r"<script\b(?![^>]*ld\+json)[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>", re.I | re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# lxml.html's own parser picks each element's Python class in a Python callback
# (``HtmlElementClassLookup.lookup``) every time an element is touched from Python: thousands of
# calls per page, a visible share of extraction CPU. A C-level default lookup gives the same
# ``HtmlElement`` (``text_content``, ``drop_tree``) to every tag; only <form>, <input>, <select>,
# <textarea> and <label> lose their form-helper subclasses, which nothing that reads this tree uses.
_PARSER = etree.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


def parse_html(text: str):
    """An lxml document, or None when there is nothing to parse.

    libxml2 caps nesting at 256 levels without ``huge_tree`` and drops what lies deeper, which is
    what we want: pathological nesting costs neither time nor a stack overflow.
    """
    if not text or not text.strip():
        return None
    # lxml refuses str input that carries an encoding declaration.
    text = _XML_DECL.sub("", text, count=1)
    if len(text) > BIG_PAGE_CHARS:
        # libxml2 truncates text nodes over 10 MB (and everything after them) without huge_tree;
        # on big pages that node is an inline script or style, which no stage needs.
        text = _BIG_SCRIPT.sub("", text)
    text = text.replace("\x00", "")
    try:
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def parse_html5(text: str):
    """``parse_html`` on the tree an HTML5 parser (Lexbor, through selectolax) builds: the tree a
    browser builds, serialised and handed to libxml2 with every element already closed.

    libxml2 ignores an end tag it ranks below an open element (``</button>`` never closes a
    ``<div>`` left open inside it), so one stray tag can put the rest of a page, its ``<main>``
    included, inside a header button. Lexbor parses and serialises a large page in a few ms
    (``bench/parsers.py``), so this costs about a second parse."""
    if not text or not text.strip():
        return None
    from selectolax.lexbor import LexborHTMLParser

    return parse_html(LexborHTMLParser(text.replace("\x00", "")).html or "")
