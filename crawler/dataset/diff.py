"""What changed between two versions of an article, word by word.

Newsrooms edit quietly: a sharper headline, a new byline, a correction paragraph. The diff
works on words so those edits stand out, and shows only the paragraphs that changed.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from crawler.dataset.errors import DatasetError
from crawler.dataset.migrations import ensure_current
from crawler.dataset.query import open_readonly

FIELDS = ("headline", "byline", "body")
_TOKENS = re.compile(r"\S+|\s+")
RED, GREEN, DIM, BOLD, RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def word_diff(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """Segments ("equal"|"delete"|"insert", text) turning ``old`` into ``new``."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("insert", "".join(b[j1:j2])))
    return [s for s in out if s[1]]


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]


def body_diff(old: str | None, new: str | None) -> list[dict]:
    """Paragraph blocks: {"same": n} for unchanged runs, {"segments": [...]} for changed ones."""
    a, b = _paragraphs(old), _paragraphs(new)
    blocks: list[dict] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            blocks.append({"same": i2 - i1})
        elif op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(a[i1:i2], b[j1:j2]):
                blocks.append({"segments": word_diff(x, y)})
        else:
            for x in a[i1:i2]:
                blocks.append({"segments": [("delete", x)]})
            for y in b[j1:j2]:
                blocks.append({"segments": [("insert", y)]})
    return blocks


def diff_versions(db_path, url: str, a: int | None = None, b: int | None = None) -> list[dict]:
    """Diffs of headline, byline and body: each consecutive pair, or version ``a`` to ``b``.

    With only ``a``, compares a with a+1; with only ``b``, b-1 with b.
    """
    ensure_current(db_path)
    conn = open_readonly(db_path)
    try:
        row = conn.execute("SELECT id, url FROM articles WHERE url = ? OR canonical_url = ? "
                           "ORDER BY url = ? DESC LIMIT 1", (url, url, url)).fetchone()
        if row is None:
            raise DatasetError(f"no article with URL {url} in the dataset")
        article_id, article_url = row
        versions = {r[0]: dict(zip(("version", "created_at", "fetched_at", *FIELDS), r))
                    for r in conn.execute(
                        "SELECT v.version, v.created_at, c.fetched_at, v.headline, v.byline, v.body "
                        "FROM article_versions v LEFT JOIN captures c ON c.id = v.capture_id "
                        "WHERE v.article_id = ? ORDER BY v.version", (article_id,))}
    finally:
        conn.close()
    if a is None and b is None:
        pairs = list(zip(sorted(versions)[:-1], sorted(versions)[1:]))
    else:
        given = [n for n in (a, b) if n is not None]
        a = a if a is not None else b - 1
        b = b if b is not None else a + 1
        for n in (*given, a, b):
            if n not in versions:
                raise DatasetError(f"{article_url} has no version {n} (it has "
                                 f"{', '.join(map(str, sorted(versions))) or 'none'})")
        pairs = [(a, b)]
    out = []
    for x, y in pairs:
        old, new = versions[x], versions[y]
        out.append({
            "url": article_url, "from": x, "to": y,
            "from_seen": old["fetched_at"] or old["created_at"],
            "to_seen": new["fetched_at"] or new["created_at"],
            "headline": word_diff(old["headline"], new["headline"]),
            "byline": word_diff(old["byline"], new["byline"]),
            "body": body_diff(old["body"], new["body"]),
        })
    return out


def _segments(segments, color: bool) -> str:
    parts = []
    for tag, text in segments:
        if tag == "equal":
            parts.append(text)
        elif color:
            parts.append((RED if tag == "delete" else GREEN) + text + RESET)
        else:
            parts.append(f"[-{text}-]" if tag == "delete" else f"{{+{text}+}}")
    return "".join(parts)


def _changed(segments) -> bool:
    return any(tag != "equal" for tag, _ in segments)


def render(diffs: list[dict], color: bool = False) -> str:
    """Terminal text: ``[-removed-]{+added+}``, or red and green when ``color``."""
    lines = []
    for d in diffs:
        head = f"{d['url']}: version {d['from']} ({d['from_seen']}) -> version {d['to']} ({d['to_seen']})"
        lines.append(BOLD + head + RESET if color else head)
        for field in ("headline", "byline"):
            if _changed(d[field]):
                lines.append(f"{field}: {_segments(d[field], color)}")
            else:
                lines.append(f"{field}: (unchanged) {_segments(d[field], color)}".rstrip())
        changed = [blk for blk in d["body"] if "segments" in blk]
        lines.append("body:" if changed else "body: (unchanged)")
        if changed:
            for blk in d["body"]:
                if "same" in blk:
                    note = f"  … {blk['same']} unchanged paragraph{'s' if blk['same'] != 1 else ''} …"
                    lines.append(DIM + note + RESET if color else note)
                else:
                    lines.append("  " + _segments(blk["segments"], color))
        lines.append("")
    return "\n".join(lines).rstrip("\n")
