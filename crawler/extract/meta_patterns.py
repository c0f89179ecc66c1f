"""Loads ``patterns/metadata.toml`` once and compiles it, so the word lists stay data and the
extractors pay no per-page cost for them."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

PATTERNS_FILE = Path(__file__).with_name("patterns") / "metadata.toml"


def _phrase_alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Patterns:
    """Compiled view of the pattern table."""

    def __init__(self, data: dict):
        people, dates, caps = data["people"], data["dates"], data["captions"]
        self.max_words = int(people.get("max_words", 5))
        self.max_chars = int(people.get("max_chars", 60))
        self.non_persons = {w.casefold() for w in people["non_persons"]}
        self.roles = {w.casefold() for w in people["roles"]}
        self.stop_words = {w.casefold() for w in people.get("stop_words", [])}
        self.contributions = {w.casefold() for w in people.get("contributions", [])}
        self.byline_prefix = re.compile(
            r"^\s*(?:(?:" + _phrase_alt(people["byline_prefixes"]) + r")\s*[:\-–—]?\s+)+", re.I)
        joiners = [j for j in people["joiners"] if j != "&"]
        self.joiner_split = re.compile(r"\s*(?:&|\+|\s(?:" + _phrase_alt(joiners) + r")\s)\s*", re.I)
        self.role_re = re.compile(r"(?:^|\s)(?:" + _phrase_alt(people["roles"]) + r")(?:\s|$)", re.I)
        agencies = people.get("agencies", [])
        self.agencies = {w.casefold() for w in agencies if len(w) > 2}
        self.agencies_cased = {w.upper() for w in agencies if len(w) <= 2}
        self.legal_forms = {w.casefold().strip(".") for w in people.get("legal_forms", [])}
        self.countries = {w.casefold() for w in people.get("countries", [])}
        self.not_credit_re = re.compile(
            r"(?:^|[\s.\-])(?:" + _phrase_alt(people.get("not_credit_words", [])) + r")(?:[\s.\-]|$)", re.I)
        self.not_name_re = re.compile(r"(?:^|[\s.\-])(?:" + _phrase_alt(people["not_name_words"]) + r")(?:[\s.\-]|$)", re.I)

        self.published_label = re.compile(r"(?:" + _phrase_alt(dates["published_labels"]) + r")\b\s*:?", re.I)
        self.modified_label = re.compile(r"(?:" + _phrase_alt(dates["modified_labels"]) + r")\b\s*:?", re.I)
        # the same on lower-cased text, without re.I: the engine can then skip by first character, which
        # makes scanning a whole page for labels several times faster
        self.published_label_lc = re.compile(
            r"(?:" + _phrase_alt([w.lower() for w in dates["published_labels"]]) + r")\b\s*:?")
        self.modified_label_lc = re.compile(
            r"(?:" + _phrase_alt([w.lower() for w in dates["modified_labels"]]) + r")\b\s*:?")
        self.date_languages = set(dates["months"])
        self.month_of: dict[str, int] = {}
        for names in dates["months"].values():
            for num, alts in enumerate(names, start=1):
                for alt in alts.split("|"):
                    self.month_of.setdefault(alt.casefold(), num)
        self.month_alt = _phrase_alt(self.month_of)
        self.weekdays = {w.casefold() for w in dates.get("weekdays", [])}

        self.credit_patterns = [re.compile(p, re.I) for p in caps["credit_patterns"]]
        self.credit_classes = tuple(caps["credit_classes"])
        self.credit_trailer = re.compile(r"\s+(?:" + _phrase_alt(caps.get("credit_trailers", [])) + r")\s*$", re.I)
        self.caption_classes = tuple(caps["caption_classes"])


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    with open(PATTERNS_FILE, "rb") as fh:
        return Patterns(tomllib.load(fh))
