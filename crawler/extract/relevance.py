"""How much a text is about the story its headline and description announce.

A body taken from the wrong block (a second story in an aside, a "most read" teaser) reads well
and is long enough; only its words give it away: it shares almost none with the headline. The
measure is language-blind on purpose (pages come in every language): words are ``\\w+`` runs,
compared on their first few characters (a crude stem that matches "elect"/"election"/"elected",
"Korea"/"Korean"), short words are ignored (most function words in most languages are short),
and scripts written without spaces (Chinese, Japanese, Thai...) are compared as character pairs.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"\w+")
# Characters of a word compared: long enough to tell words apart, short enough to merge inflections.
STEM_CHARS = 5
# Shorter words carry little topic (articles, prepositions, pronouns) in most languages.
MIN_WORD_CHARS = 4
# Scripts that do not separate words with spaces: compared as overlapping character pairs.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
                       r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Frequent long words of the languages most news is written in, which would make any two texts overlap.
_COMMON = frozenset("""
that this with from have were been will would their there they them what when which about after
before other into than then also more most some such only over just like said says very your
these those where while could should because being does doing each here make made many much
must never same still through under until upon well year years first time news
dass eine einer eines einem einen sich nicht auch oder aber wird werden wurde sind nach noch
pour dans avec sont plus mais comme cette elle tout leur nous vous être fait
para como pero más esta este sobre entre desde cuando también porque sido tiene
""".split())


def terms(text: str | None) -> set[str]:
    """The comparable terms of a text: stemmed long words, and character pairs of unspaced scripts."""
    if not text:
        return set()
    folded = text.casefold()
    if _UNSPACED.search(folded) is None:  # the common case, as one set comprehension (whole bodies pass here)
        return {word[:STEM_CHARS] for word in _WORD.findall(folded)
                if len(word) >= MIN_WORD_CHARS and word not in _COMMON and not word.isdigit()}
    out: set[str] = set()
    for word in _WORD.findall(folded):
        if _UNSPACED.search(word):
            chars = [c for c in word if _UNSPACED.match(c)]
            out.update(a + b for a, b in zip(chars, chars[1:]))
            continue
        if len(word) < MIN_WORD_CHARS or word.isdigit() or word in _COMMON:
            continue
        out.add(word[:STEM_CHARS])
    return out


@lru_cache(maxsize=16)  # the body stage and the verdict ask the same question of the same body
def topic_overlap(headline: str | None, description: str | None, text: str | None) -> float | None:
    """Share of the headline's and description's terms that ``text`` contains (0..1); None when
    the headline and description together have too few terms to judge anything by."""
    topic = terms(headline) | terms(description)
    if len(topic) < MIN_TOPIC_TERMS:
        return None
    found = terms(text)
    return len(topic & found) / len(topic)


# With fewer terms than this, chance decides the overlap ("Live updates", a one-word headline).
MIN_TOPIC_TERMS = 3

__all__ = ["terms", "topic_overlap", "MIN_TOPIC_TERMS"]
