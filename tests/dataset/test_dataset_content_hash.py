"""The content hash decides whether a re-crawl is a new version: it must stay the sha256 of
exactly the JSON it has always hashed, whichever encoder the writer uses to produce it."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from crawler.dataset import records
from dataset_helpers import demo_articles


def reference_hash(article: dict) -> str:
    """content_hash as first written: what every stored version's content_hash holds."""
    payload = {k: article.get(k) for k in records.HASHED_FIELDS}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


# every character the two JSON encoders treat differently, or escape at all
ALPHABET = ("abc XYZ 019 .,;:!?'-_/()[]{}<>|~`@#$%^&*+=" + '"\\'
            + "".join(map(chr, range(0x20))) + "\x7f\x80\xa0\xe9\xff\u0101\u2028\u2029\ufeff"
            + "\U0001f600")


def _text(rng: random.Random, n: int, ascii_only: bool) -> str:
    chars = [c for c in ALPHABET if c < "\x7f"] if ascii_only else ALPHABET
    return "".join(rng.choice(chars) for _ in range(rng.randint(0, n)))


def _article(rng: random.Random) -> dict:
    ascii_only = rng.random() < 0.6  # most pages: plain ASCII, the encoder's fast path
    t = lambda n: _text(rng, n, ascii_only)  # noqa: E731
    return records.normalise({
        "headline": t(40), "description": rng.choice([None, t(80)]), "byline": t(20),
        "authors": [t(15) for _ in range(rng.randint(0, 3))],
        "published": rng.choice([None, "2026-11-24T01:00:00+00:00"]), "modified": t(10),
        "section": t(8), "body": t(2000),
        "captions": [{"src": t(30), "alt": t(20), "caption": t(60), "credit": t(10)}
                     for _ in range(rng.randint(0, 2))],
        "tags": [t(10)], "url": "https://example.org/" + t(10),
    })


def test_hash_is_the_reference_hash_on_random_text():
    rng = random.Random(20261124)
    for _ in range(3000):
        article = _article(rng)
        try:
            expected = reference_hash(article)
        except UnicodeEncodeError:
            with pytest.raises(UnicodeEncodeError):
                records.content_hash(article)
            continue
        assert records.content_hash(article) == expected, article


@pytest.mark.parametrize("body", ["plain words", "tab\tnew\nline \"quoted\" back\\slash",
                                  "del \x7f char", "nul \x00 and \x1f", "café", "emoji \U0001f600",
                                  "line\u2028separator", ""])
def test_hash_is_the_reference_hash_on_each_kind_of_character(body):
    article = records.normalise({"headline": "Headline", "authors": ["Ada Okafor"],
                                 "captions": [{"caption": body}], "body": body})
    assert records.content_hash(article) == reference_hash(article)


def test_hash_is_the_reference_hash_on_extracted_pages():
    pairs = demo_articles(1)
    assert len(pairs) >= 15
    for article, _capture in pairs:
        article = records.normalise(article)
        assert records.content_hash(article) == reference_hash(article)


def test_hash_of_a_known_article_never_changes():
    article = records.normalise({"headline": "Council backs zoning plan", "authors": ["Ada Okafor"],
                                 "body": "The council approved the plan.\n\nResidents cheered."})
    assert records.content_hash(article) == (
        "sha256:" + hashlib.sha256(
            b'{"authors":["Ada Okafor"],"body":"The council approved the plan.\\n\\nResidents '
            b'cheered.","byline":null,"captions":[],"description":null,"headline":"Council backs '
            b'zoning plan","modified":null,"published":null,"section":null}').hexdigest())
