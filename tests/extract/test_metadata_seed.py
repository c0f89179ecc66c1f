"""The seed page must extract exactly as its expected.json says (metadata and captions)."""

from __future__ import annotations

from crawler.extract import extract

FIELDS = ("headline", "description", "authors", "published", "modified", "section", "site_name", "language")


def test_seed_metadata_exact(seed):
    html, expected = seed
    art = extract(html, expected["url"])
    for field in FIELDS:
        assert getattr(art, field) == expected[field], field
    assert art.byline == "By Randee Dawn"
    assert art.canonical_url == expected["url"]
    assert art.top_image.endswith("/newscms/2017_45/office-jim-pam-2007.jpg")


def test_seed_captions_exact(seed):
    html, expected = seed
    art = extract(html, expected["url"])
    got = [{"src": c.src, "alt": c.alt, "caption": c.caption, "credit": c.credit} for c in art.captions]
    assert got == expected["captions"]
