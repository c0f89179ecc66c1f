"""The seed page of issue 3: the naive dump's every flaw must be gone, every paragraph kept in order."""

from __future__ import annotations

from crawler.extract import extract


def test_seed_body_is_exactly_the_expected_paragraphs(seed):
    html, expected = seed
    article = extract(html, expected["url"], {"Content-Type": "text/html; charset=utf-8"})
    assert article.body == "\n\n".join(expected["body_paragraphs"])
    assert article.word_count == len(article.body.split())
    assert article.warnings == []


def test_seed_body_has_none_of_the_boilerplate(seed):
    html, expected = seed
    body = extract(html, expected["url"]).body
    leaked = [phrase for phrase in expected["must_not_contain"] if phrase in body]
    assert leaked == []
    # captions and their credits are captions, not body text
    assert "NBC via Getty Images" not in body
    assert "Pasadena, California" not in body


def test_seed_body_from_str_input_is_the_same(seed):
    html, expected = seed
    assert extract(html.decode("utf-8"), expected["url"]).body == extract(html, expected["url"]).body
