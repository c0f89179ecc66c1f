"""An independent check for mojibake in extracted text: the classic sequences themselves.

Built from first principles, not from the repair code or ftfy: every common non-ASCII character
(Latin-1 letters and signs, general punctuation, currency, arrows, and emoji) is encoded as UTF-8 and
read back as cp1252 and as Latin-1, which is exactly how double-encoded text comes to be; the
results (two characters or more) are the sequences a reader sees instead. Legitimate text
practically never contains them ("Ã©", "â€™", "Â»", "ðŸ"), and the ground truth of wcxb-dev,
extraction-dev and metadata-dev has none (checked by ``bench/verdict.py``).
Also counted: C1 control characters (U+0080-U+009F), which no written text holds. Entities left
in the text (``&amp;``, ``&#8217;``) are reported apart (``entities``): code samples show them on
purpose ("&lt;div&gt;"), so they are a hint, not proof.
"""

from __future__ import annotations

import re


def _sequences() -> list[str]:
    chars = [chr(c) for c in range(0xA0, 0x180)]  # Latin-1 supplement, Latin Extended-A
    chars += [chr(c) for c in range(0x2010, 0x2050)]  # dashes, quotes, bullets, ellipsis, primes
    chars += ["\u20ac", "\u2122", "\u2190", "\u2192", "\u00a0"]
    out = set()
    for ch in chars:
        raw = ch.encode("utf-8")
        for codec in ("cp1252", "latin-1"):
            garbled = raw.decode(codec, errors="replace")
            if len(garbled) >= 2 and "\ufffd" not in garbled:
                out.add(garbled)
    # Emoji and other astral characters: F0 9F ... read as cp1252 / Latin-1.
    out.update(("\u00f0\u0178", "\u00f0\u009f"))
    return sorted(out, key=len, reverse=True)


MOJIBAKE = re.compile("|".join(map(re.escape, _sequences())))
C1 = re.compile("[\u0080-\u009f]")
ESCAPED_ENTITY = re.compile(r"&(?:amp|quot|apos|nbsp|lt|gt|#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});")


def garbled(text: str | None) -> list[str]:
    """The mojibake in ``text``: double-encoding sequences and C1 controls (empty when it reads clean)."""
    if not text:
        return []
    return MOJIBAKE.findall(text) + C1.findall(text)


def entities(text: str | None) -> list[str]:
    """HTML entities left in ``text`` (double escaping, or a code sample that shows them)."""
    return ESCAPED_ENTITY.findall(text) if text else []


def article_texts(article: dict) -> dict[str, str]:
    """Every text field of an extracted article (``Article.to_dict()``), keyed by field name."""
    out = {k: article.get(k) or "" for k in ("headline", "description", "byline", "section", "site_name", "body")}
    for i, name in enumerate(article.get("authors") or []):
        out[f"authors[{i}]"] = name
    for i, name in enumerate(article.get("tags") or []):
        out[f"tags[{i}]"] = name
    for i, cap in enumerate(article.get("captions") or []):
        for key in ("alt", "caption", "credit"):
            out[f"captions[{i}].{key}"] = cap.get(key) or ""
    return out
