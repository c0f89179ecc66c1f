"""Article and capture dicts turned into column values, shared by the writer and migrations.

The content hash decides whether a re-crawl is a new version, so it covers exactly what a
reader would call the article's content and nothing about when or how it was fetched.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

HASHED_FIELDS = ("headline", "description", "byline", "authors", "published", "modified",
                 "section", "body", "captions")
CAPTION_KEYS = ("src", "alt", "caption", "credit")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def text(value) -> str | None:
    if value is None:
        return None
    value = str(value)
    return value if value.strip() else None


def names(values) -> list[str]:
    """Author or tag names: stripped, empty ones dropped, first occurrence kept."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values or []:
        value = " ".join(str(value).split())
        if value and value not in out:
            out.append(value)
    return out


def captions(values) -> list[dict]:
    out = []
    for cap in values or []:
        if not isinstance(cap, dict):
            cap = {"caption": str(cap)}
        out.append({k: text(cap.get(k)) for k in CAPTION_KEYS})
    return out


def normalise(article: dict) -> dict:
    """The article dict with predictable types, whatever the extractor produced."""
    a = dict(article or {})
    for key in ("url", "headline", "description", "byline", "published", "modified", "section",
                "language", "site_name", "canonical_url", "top_image", "extractor_version"):
        a[key] = text(a.get(key))
    a["authors"] = names(a.get("authors"))
    a["tags"] = names(a.get("tags"))
    a["captions"] = captions(a.get("captions"))
    a["verdict"] = text(a.get("verdict"))
    a["verdict_reasons"] = names(a.get("verdict_reasons"))
    a["body"] = a.get("body") or ""
    if not isinstance(a["body"], str):
        a["body"] = str(a["body"])
    try:
        a["word_count"] = int(a.get("word_count") or len(a["body"].split()))
    except (TypeError, ValueError):
        a["word_count"] = len(a["body"].split())
    return a


# The hashed JSON is json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",",
# ":")), for ever: a different text would make every article a new version on its next crawl.
_HASH_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_HASH_JSON_ASCII = json.JSONEncoder(sort_keys=True, ensure_ascii=True,
                                    separators=(",", ":")).encode


def content_hash(article: dict) -> str:
    """sha256 over the extracted content of a normalised article.

    Text that is all ASCII below DEL comes out of the ASCII encoder as the same characters,
    and that encoder is about twice as fast on a long body: the hash is computed for every
    article a crawl sees, changed or not.
    """
    payload = {k: article.get(k) for k in HASHED_FIELDS}
    encode = _HASH_JSON_ASCII if _plain_ascii(payload) else _HASH_JSON
    return "sha256:" + hashlib.sha256(encode(payload).encode("utf-8")).hexdigest()


def _plain_ascii(value) -> bool:
    """True when both JSON encoders write ``value`` alike: its strings hold no character
    from DEL (0x7f) up, which only the ASCII encoder escapes."""
    if isinstance(value, str):
        return value.isascii() and "\x7f" not in value
    if isinstance(value, (list, tuple)):
        return all(map(_plain_ascii, value))
    if isinstance(value, dict):
        return all(_plain_ascii(k) and _plain_ascii(v) for k, v in value.items())
    return True  # numbers, booleans, None: no strings to escape


def site_of(url: str | None) -> str | None:
    """The host without ``www.``: the unit researchers facet by."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else (host or None)


def captions_text(caps: list[dict]) -> str | None:
    parts = [c.get(k) for c in caps for k in ("caption", "alt", "credit") if c.get(k)]
    return "\n".join(parts) or None


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


_TS_DIGITS = re.compile(r"\d")


def replay_url(fetched_at: str | None, url: str | None, collection: str = "archive") -> str | None:
    """pywb's raw-content (``id_``) path of a capture, relative to the replay server.

    The 14-digit timestamp comes from the WARC-Date; pywb picks the nearest capture of the URL.
    """
    if not fetched_at or not url:
        return None
    digits = "".join(_TS_DIGITS.findall(fetched_at))[:14]
    if len(digits) < 14:
        digits = digits.ljust(14, "0")
    return f"/{collection}/{digits}id_/{url}"
