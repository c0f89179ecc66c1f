"""Person names (and the credits that stand in for them) from bylines and author fields.

Bylines mix names with everything else ("By Jane Doe, Staff Writer | Updated 5 min ago",
"Von Max Muster und Erika Musterfrau, dpa"); researchers want the people, and the wire service
that supplied the story ("dpa"), never roles, places, dates or screen labels. When a page names no
person, what it credits instead (a desk, an organisation, a handle) is read by ``credits_from_text``.
The words that are roles, joiners, prefixes, agencies, places or organisations live in
``patterns/metadata.toml``.
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
        before = chunk[:m.start()].split()
        if cut is not None and before and before[-1].casefold().strip(":,") in p.contributions:
            break  # "... Illustration von Max Muster": another contribution, not the byline
        if m.group("low"):
            prev = before[-1].casefold().strip(":,") if before else ""
            if before and before[-1][:1].isupper() and prev not in p.stop_words and prev not in p.roles \
                    and not p.byline_prefix.match(prev + " "):
                continue
        cut = m.end()
    return chunk[cut:] if cut is not None else chunk
_AFFILIATION = re.compile(r"\s(?:for|für|pour|para|per|in|aus|à|en|at|from|of)\s", re.I)
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le",
              "bin", "al", "el", "ten", "ter", "zu", "y", "e", "st", "st.", "mc", "af", "ibn", "ben", "d'"}
_ARTICLES = {"der", "die", "das", "the"}  # a name never starts with one; a title of a publication does
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
    if low in p.non_persons or low in p.roles or low in p.countries or is_agency(name):
        return False
    words = name.split()
    if _has_legal_form(words):
        return False
    # labels printed side by side ("Property Tourism", "Staff Editor") join into no name
    if all(w.casefold() in p.non_persons or w.casefold() in p.roles for w in words):
        return False
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
    # trailing weekday or month words ("Jane Doe May", "Reuters March"), but in a two-word name they
    # are surnames ("Tom May", "Alyssa Maio")
    while (len(words) > 2 or len(words) == 2 and is_agency(words[0])) \
            and (words[-1].casefold().strip(".,") in p.weekdays
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


def is_title(name: str) -> bool:
    """"Die Furche", "Das Magazin", "The Currency": a publication's title, which starts with an
    article as no person's name does."""
    words = name.split()
    return len(words) > 1 and words[0].casefold() in _ARTICLES


def is_agency(name: str) -> bool:
    """A news agency or wire service from the pattern table ("dpa", "AP", "Deutsche Presse-Agentur")."""
    p = patterns()
    name = name.strip(_TRAIL)
    return name.casefold() in p.agencies or name in p.agencies_cased


def _cut_role_phrase(chunk: str) -> str:
    """"Ingo Arzt Redakteur für Wirtschaft und Umwelt": a role after the name ends it, with its field,
    before joiners split the field into fake names."""
    p = patterns()
    words = chunk.split()
    for i, w in enumerate(words[2:], start=2):
        if w.casefold().strip(".,:") in p.roles and len(w) > 3:
            return " ".join(words[:i])
    return chunk


def names_from_text(text: str | None, agencies: bool = False) -> list[str]:
    """Every person name in a byline-like string, in order, without prefixes, roles or organisations;
    with ``agencies`` also the news agencies credited beside them ("Paula Steiger, SDA")."""
    if not text:
        return []
    p = patterns()
    text = _norm(text)
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _PAREN.sub(" ", text)
    # cut at a date/update label: what follows is not a name
    cut = p.modified_label.search(text)
    if cut and cut.start() > 0:
        text = text[:cut.start()]
    out: list[str] = []
    last_chunk_names = 0
    cased_name = False  # a name printed in mixed case came first
    # a digit run (date, time, counter) ends a byline that already named someone: what follows is
    # ratings, teasers or widgets
    for segment in _DIGIT_TOKEN.split(text):
        if out:
            break
        for chunk in _SPLIT.split(segment):
            if chunk.strip(_TRAIL).casefold() in p.countries:
                # "Verlag, Münster, Germany": a place, and the city before the country with it
                if out and last_chunk_names:
                    del out[-last_chunk_names:]
                last_chunk_names = 0
                continue
            before = len(out)
            if out and chunk.split()[:1] and chunk.split()[0].casefold().strip(":") in p.contributions:
                break  # "Von Max Muster, Fotos: Erika Muster": the photographer is not an author
            chunk = _after_inner_prefix(chunk)
            chunk = _cut_role_phrase(p.byline_prefix.sub("", chunk.strip(_TRAIL)))
            parts = p.joiner_split.split(chunk)
            if len(parts) > 1 and all(len(x.split()) == 1 and not is_agency(x) for x in parts):
                continue  # "Kirche und Leben", "Herz und Blut": one name of an organisation, not people
            for part in parts:
                part = p.byline_prefix.sub("", part.strip(_TRAIL)).strip(_TRAIL)
                # "Jane Doe for The Times", "Jane Doe in Berlin": keep what comes before
                part = _AFFILIATION.split(part, maxsplit=1)[0].strip(_TRAIL)
                if agencies and is_agency(part):
                    out.append(part)
                    continue
                part = _strip_roles(part)
                if agencies and is_agency(part):  # "Reuters March": the date's month cut off
                    out.append(part)
                    continue
                if part.isupper() and len(part) > 4:
                    if cased_name and len(parts) == 1:
                        continue  # "David Straub, MDR THÜRINGEN": the desk or place in capitals after a name
                    part = part.title()
                elif not part.isupper() and is_person_name(part):
                    cased_name = True
                if is_person_name(part):
                    out.append(part)
            last_chunk_names = len(out) - before
    # a full name beside single capitalised words: those are labels on screen ("Anhören", "Umwelt")
    if any(len(n.split()) > 1 for n in out):
        out = [n for n in out if len(n.split()) > 1 or is_agency(n) or not _cased(n)]
    return dedupe(out)


def _has_legal_form(words) -> bool:
    """"Verlag GmbH", "Co. KG Informationsstelle": a company; a two-letter form counts only as a last
    word or in capitals (AG, KG), so initials and particles stay names."""
    p = patterns()
    for i, w in enumerate(words):
        low = w.casefold().strip(".,")
        if low in p.legal_forms and (len(low) > 2 or i == len(words) - 1 or w.isupper()):
            return True
    return False


def _cased(word: str) -> bool:
    return any(c.isupper() or c.islower() for c in word)


_DIGIT_RUN = re.compile(r"(?<![\w.])\d")
_CREDIT_STOP = {"am", "um", "on", "at", "le", "il", "el", "|"}
_CREDIT_DIGITS = re.compile(r"\d{3,}|\d[.:/]\d")


def is_credit(name: str) -> bool:
    """True when ``name`` can stand as the author a page credits when it names no person: an
    organisation, desk, pen name or handle; never a role, a generic staff label, a place or UI text."""
    p = patterns()
    if not name or len(name) < 2 or len(name) > p.max_chars or "http" in name.casefold():
        return False
    if sum(ch.isalpha() for ch in name) < 2:
        return False  # "14", "03": counters and dates, not names
    if not _cased(name) and len(name.replace(" ", "")) > 12:
        return False  # uncased scripts: a credit is short; longer runs are sentences or widgets
    low = name.casefold()
    if low in p.non_persons or low in p.roles or low in p.countries or low in p.weekdays \
            or low.rstrip(".") in p.month_of:
        return False
    words = [w.strip(".,:;") for w in low.split()]
    if len(words) > 6 or all(w in p.non_persons or w in p.roles or w in p.stop_words or w in p.weekdays
                             for w in words):
        return False
    return not (_BAD_CHARS.search(name) or _CREDIT_DIGITS.search(name) or p.not_credit_re.search(name))


_HANDLE_TOKEN = re.compile(r"^\w[\w.@'-]{1,39}$")


def is_handle(name: str) -> bool:
    """A name as a member list prints it: a person's name or a screen name ("paulb203", "hayley.p",
    "Mod Sharon"), never a role, label, date or sentence. Only for slots that mark an author."""
    if not name or sum(c.isalpha() for c in name) < 2:
        return False
    if is_person_name(name):
        return True
    p = patterns()
    words = [w.casefold().strip(".,:") for w in name.split()]
    if len(words) > 3 or any(w in p.non_persons or w in p.roles or w in p.stop_words or w in p.weekdays
                             or w in p.month_of for w in words):
        return False
    if len(words) == 1:
        return bool(_HANDLE_TOKEN.match(name)) and sum(c.isalpha() for c in name) >= 2 and "http" not in words[0]
    return len(name) <= 40 and is_credit(name) and not p.not_name_re.search(name)


def credits_from_text(text: str | None) -> list[str]:
    """The authors a page credits without naming a person ("Redaktion hessenschau.de", "ORF.at",
    "srf/hosb"), in order; places after them ("Nürnberg, Germany") and labels are dropped."""
    if not text:
        return []
    p = patterns()
    text = _PAREN.sub(" ", _EMAIL.sub(" ", _norm(text)))
    cut = p.modified_label.search(text)
    if cut and cut.start() > 0:
        text = text[:cut.start()]
    digits = _DIGIT_RUN.search(text)
    if digits and digits.start() > 0:
        text = text[:digits.start()]  # a date or counter ends the credit ("von lupa am 26/10/13")
    out: list[str] = []
    for chunk in _SPLIT.split(text):
        chunk = p.byline_prefix.sub("", _after_inner_prefix(chunk).strip(_TRAIL)).strip(_TRAIL)
        words = chunk.split()
        for i, w in enumerate(words[1:], start=1):
            if w.casefold() in p.weekdays or w.casefold() in _CREDIT_STOP:
                chunk = " ".join(words[:i])
                break
        if _has_legal_form(chunk.split()):
            continue  # "Verlag GmbH", "besserwisser eG": the company running the site
        if chunk.casefold() in p.countries:
            if len(out) > 1:
                out.pop()  # the city before the country
            continue
        half = chunk.split()
        if len(half) % 2 == 0 and half and half[:len(half) // 2] == half[len(half) // 2:]:
            chunk = " ".join(half[:len(half) // 2])  # printed twice ("jesusfreak jesusfreak")
        if is_credit(chunk):
            out.append(chunk)
    return dedupe(out)


def dedupe(names) -> list[str]:
    seen, out = set(), []
    for n in names:
        key = _WS.sub(" ", n.casefold().replace(".", " ")).strip()
        if key and key not in seen:
            seen.add(key)
            out.append(n)
    return out


def clean_authors(values, agencies: bool = False) -> list[str]:
    """Names from a list of raw author values (JSON-LD names, meta tags, byline strings)."""
    out: list[str] = []
    for v in values or []:
        if v:
            out.extend(names_from_text(str(v), agencies))
    return dedupe(out)
