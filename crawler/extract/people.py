"""Person names from bylines and author fields.

Bylines mix names with everything else ("By Jane Doe, Staff Writer | Updated 5 min ago",
"Von Max Muster und Erika Musterfrau, dpa"); researchers want only the people. The words that
are roles, joiners, prefixes or organisations live in ``patterns/metadata.toml``.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.extract.meta_patterns import patterns

_WS = re.compile(r"\s+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
_PAREN = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_SPLIT = re.compile(r"\s*(?:[,;|/•·\n]|\s[-–—]\s|\s{3,})\s*")
_DIGIT = re.compile(r"\d")
_BAD_CHARS = re.compile(r"[:!?=<>{}#%+*|\\\"“”«»]")
_DIGIT_TOKEN = re.compile(r"\S*\d\S*")
_INNER_BY = re.compile(r"(?:^|\s)(?:[Bb]y|BY|Von|VON|Par|PAR|Por|POR|(?P<low>von|par|por))\s+(?=\S)")


def _after_inner_prefix(chunk: str) -> str:
    """What follows a "By"-like word inside a chunk ("Source: TODAY By Jane Doe", "Text von Max Muster").
    A lowercase "von"/"par" after a capitalised word is a name particle ("Christoph von Eichhorn")."""
    p = patterns()
    cut = None
    for m in _INNER_BY.finditer(chunk):
        if m.group("low"):
            before = chunk[:m.start()].split()
            prev = before[-1].casefold().strip(":,") if before else ""
            if before and before[-1][:1].isupper() and prev not in p.stop_words and prev not in p.roles \
                    and not p.byline_prefix.match(prev + " "):
                continue
        cut = m.end()
    return chunk[cut:] if cut is not None else chunk
_AFFILIATION = re.compile(r"\s(?:for|für|pour|para|per|in|aus|à|en|at|from|of)\s", re.I)
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
              "bin", "al", "el", "ten", "ter", "zu", "y", "e", "st", "st.", "mc", "af", "ibn", "ben", "d'"}
_TRAIL = " \t\r\n.,;:|-–—/•·*\"'“”‘’«»()[]"


def _norm(text: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def is_person_name(name: str) -> bool:
    """True when ``name`` looks like a person's name: a few capitalised words, no digits, no
    organisation or UI words. Scripts without letter case (CJK, Arabic...) are accepted by length."""
    p = patterns()
    if not name or len(name) > p.max_chars or _DIGIT.search(name) or _BAD_CHARS.search(name):
        return False
    low = name.casefold()
    if low in p.non_persons or low in p.roles:
        return False
    words = name.split()
    if len(words) > p.max_words:
        return False
    if any(w.casefold() in p.weekdays for w in words):
        return False
    if p.not_name_re.search(name):
        return False
    cased = [w for w in words if any(c.isalpha() and (c.isupper() or c.islower()) for c in w)]
    if not cased:  # uncased scripts
        return 1 <= len(name.replace(" ", "")) <= 12
    if len(words) == 1:
        # one word: accept only a capitalised word that is not an acronym (agencies are acronyms)
        w = words[0]
        if w.casefold().rstrip(".") in p.month_of:
            return False
        return w[:1].isupper() and not w.isupper() and len(w) > 2 and w.isalpha()
    for w in words:
        if w.casefold() in _PARTICLES:
            continue
        first = next((c for c in w if c.isalpha()), "")
        if not first or not first.isupper():
            return False
    return True


def _strip_roles(part: str) -> str:
    """Drop a trailing role ("Jane Doe Staff Writer") or a leading one ("Reporter Jane Doe")."""
    p = patterns()
    words = part.split()
    # a UI label glued after the name ("Jane Doe Stand", "Jane Doe Weitere Beiträge"): cut there
    for i, w in enumerate(words[1:], start=1):
        if w.casefold().strip(".,:;") in p.stop_words and not (w.casefold() in _PARTICLES and i < len(words) - 1):
            words = words[:i]
            break
    # the same name printed twice ("Jane Doe Jane Doe")
    half = len(words) // 2
    if len(words) % 2 == 0 and half and words[:half] == words[half:]:
        words = words[:half]
    # a role word inside ("Anna Fazackerley Education correspondent"): cut there, then trim desks
    for i, w in enumerate(words[2:], start=2):
        if w.casefold() in p.roles and w[:1].islower():
            words = words[:i]
            break
    # trailing role, weekday or month words
    while len(words) > 1 and (words[-1].casefold().strip(".,") in p.weekdays
                              or words[-1].casefold().strip(".,") in p.month_of):
        words = words[:-1]
    while len(words) > 1:
        tail2 = " ".join(words[-2:]).casefold()
        if len(words) > 2 and tail2 in p.roles:
            words = words[:-2]
            continue
        if words[-1].casefold().strip(".") in p.roles:
            words = words[:-1]
            continue
        break
    while len(words) > 1 and words[0].casefold() in p.roles:
        words = words[1:]
    return " ".join(words)


def names_from_text(text: str | None) -> list[str]:
    """Every person name in a byline-like string, in order, without prefixes, roles or organisations."""
    if not text:
        return []
    p = patterns()
    text = _norm(text)
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _PAREN.sub(" ", text)
    # cut at a date/update label or the first digit run: what follows is not a name
    cut = p.modified_label.search(text)
    if cut and cut.start() > 0:
        text = text[:cut.start()]
    text = _DIGIT_TOKEN.sub(" | ", text)
    out: list[str] = []
    for chunk in _SPLIT.split(text):
        chunk = _after_inner_prefix(chunk)
        chunk = p.byline_prefix.sub("", chunk.strip(_TRAIL))
        for part in p.joiner_split.split(chunk):
            part = p.byline_prefix.sub("", part.strip(_TRAIL)).strip(_TRAIL)
            # "Jane Doe for The Times", "Jane Doe in Berlin": keep what comes before
            part = _AFFILIATION.split(part, maxsplit=1)[0]
            part = _strip_roles(part.strip(_TRAIL))
            if part.isupper() and len(part) > 4:
                part = part.title()
            if is_person_name(part):
                out.append(part)
    return dedupe(out)


def dedupe(names) -> list[str]:
    seen, out = set(), []
    for n in names:
        key = _WS.sub(" ", n.casefold().replace(".", " ")).strip()
        if key and key not in seen:
            seen.add(key)
            out.append(n)
    return out


def clean_authors(values) -> list[str]:
    """Names from a list of raw author values (JSON-LD names, meta tags, byline strings)."""
    out: list[str] = []
    for v in values or []:
        if v:
            out.extend(names_from_text(str(v)))
    return dedupe(out)
