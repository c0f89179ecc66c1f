"""Text that its own site garbled, repaired for the dataset (the WARC keeps the bytes as served).

We decode a page's bytes correctly, but some sites ship text that was already broken before it
reached them: UTF-8 encoded twice ("â€“" where the author wrote "–", "ðŸ˜€" for an emoji), HTML
entities escaped twice (the page says ``&amp;amp;`` or ``&amp;#8217;``, so a reader sees
"&amp;" or "&#8217;"), stray C1 control characters (cp1252 punctuation decoded as Latin-1). A
reader of the page sees the garbage; a reader of the dataset should see what the author wrote.

ftfy is the well-kept library for this. It is only called on text that shows a symptom (a cheap
regular expression), so clean text costs one failed search and stays byte-identical; and only
its repairing fixes are on: nothing that would rewrite correct text (curly quotes, ligatures,
full-width forms, Unicode normalisation, line breaks) runs. Double encoding is repaired twice
over: in the parsed page before the stages read it (``repair_tree``), and in every field of the
finished ``Article`` (``repair_article``, which also undoes doubly escaped entities).
"""

from __future__ import annotations

import re

import ftfy

# Characters that bytes 0x80-0xBF (UTF-8 continuation bytes) become when UTF-8 is read as cp1252
# or Latin-1: after a lead-byte character (0xC2-0xF4 read the same way), they are the mark of
# double-encoded text.
_CONTINUATION = "".join(sorted({bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)}))
_MOJIBAKE = ("[\u00c2-\u00f4][" + re.escape(_CONTINUATION) + "]"  # double-encoded UTF-8
             "|[\u0080-\u009f]")  # C1 controls: cp1252 punctuation decoded as Latin-1, or half-repaired text
_MOJIBAKE_RE = re.compile(_MOJIBAKE)
# The same, searched in the text's UTF-8 bytes: each pattern starts with a fixed byte, which the
# regex engine finds at memchr speed, where a character class at the start costs ~25 ms per MB
# of text (a page is 100-500 KB and every page is checked).
_MOJIBAKE_BYTES = (
    re.compile(b"\xc3[\x82-\xb4](?:" + b"|".join(re.escape(c.encode("utf-8")) for c in _CONTINUATION) + b")"),
    re.compile(b"\xc2[\x80-\x9f]"))
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def shows_mojibake(text: str) -> bool:
    """True when ``text`` holds double-encoded UTF-8 or a C1 control (cheap on a whole page)."""
    if text.isascii():
        return False
    data = text.encode("utf-8", "surrogatepass")
    return any(pattern.search(data) is not None for pattern in _MOJIBAKE_BYTES)


# C1 controls ftfy leaves: the five that are not cp1252 characters (the last byte of a half-repaired
# sequence, like the 0x9D of "â€\x9d" after "â€" became "”"). No written text holds them.
_STRAY_C1 = re.compile("[\u0080-\u009f]")

# Only the fixes that undo damage. ``unescape_html="auto"`` leaves text holding "<" alone: that
# is code or markup shown on purpose, where "&lt;" is what the author wrote.
_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto", remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
    replace_lossy_sequences=True, decode_inconsistent_utf8=True, fix_c1_controls=True,
    fix_latin_ligatures=False, fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
    fix_surrogates=True, remove_control_chars=False, normalization=None, explain=False)


# In the document, before any stage reads it, entities are markup: only the encoding is repaired.
_TREE_CONFIG = _CONFIG._replace(unescape_html=False)


def _fix(text: str, config) -> str:
    return _STRAY_C1.sub("", ftfy.fix_text(text, config))


def repair_tree(doc, text: str) -> bool:
    """Repair double-encoded text nodes and attributes of a parsed page in place, before any
    stage reads them: garbled text misleads the stages themselves (the "©" in "Ã©", a
    double-encoded "é", reads as a photo credit). ``text`` is the page's decoded text, searched
    once so a clean page costs no tree walk. True when anything changed."""
    if not shows_mojibake(text):
        return False
    changed = False
    for el in doc.iter():
        value = el.text
        if value and _MOJIBAKE_RE.search(value):
            fixed = _fix(value, _TREE_CONFIG)
            if fixed != value:
                el.text, changed = fixed, True
        value = el.tail
        if value and _MOJIBAKE_RE.search(value):
            fixed = _fix(value, _TREE_CONFIG)
            if fixed != value:
                el.tail, changed = fixed, True
        for name, value in el.items():
            if _MOJIBAKE_RE.search(value):
                fixed = _fix(value, _TREE_CONFIG)
                if fixed != value:
                    el.set(name, fixed)
                    changed = True
    return changed


def needs_repair(text: str | None) -> bool:
    return bool(text) and (shows_mojibake(text) or ("&" in text and _ENTITY.search(text) is not None))


def repair_text(text: str | None) -> str | None:
    """``text`` with double encoding, doubly escaped entities and C1 controls undone; the very
    same object when it shows none of them."""
    if not needs_repair(text):
        return text
    return _fix(text, _CONFIG)


_TEXT_FIELDS = ("headline", "description", "byline", "section", "site_name", "body")
_CAPTION_FIELDS = ("alt", "caption", "credit")


def repair_article(article) -> bool:
    """Repair every text field of an ``Article`` in place; True when anything changed."""
    changed = False
    for name in _TEXT_FIELDS:
        value = getattr(article, name)
        fixed = repair_text(value)
        if fixed is not value and fixed != value:
            setattr(article, name, fixed)
            changed = True
    for name in ("authors", "tags"):
        values = getattr(article, name)
        fixed = [repair_text(v) for v in values]
        if fixed != values:
            setattr(article, name, fixed)
            changed = True
    for caption in article.captions:
        for name in _CAPTION_FIELDS:
            value = caption[name] if isinstance(caption, dict) else getattr(caption, name)
            fixed = repair_text(value)
            if fixed is not value and fixed != value:
                if isinstance(caption, dict):
                    caption[name] = fixed
                else:
                    setattr(caption, name, fixed)
                changed = True
    return changed


__all__ = ["needs_repair", "shows_mojibake", "repair_text", "repair_tree", "repair_article"]
