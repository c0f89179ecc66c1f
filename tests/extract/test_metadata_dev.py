"""Quality floors on metadata-dev (bench/metadata.py scoring): a real regression fails here.

Measured when written, full extraction, same scorer (see the commit that set these):
headline 0.806, authors F1 0.723, no-author abstention 0.752, published day 0.917, no-date abstention
0.724, captions F1 0.819, credit accuracy 0.792. Peers in the same run: trafilatura 0.622 / 0.662 / 0.606
/ 0.911 / 0.010; newspaper4k 0.681 / 0.516 / 0.633 / 0.752 / 0.561; readability headline 0.696; plain
figcaption baseline captions F1 0.673, credits 0.110.
Floors sit about 0.02 below our measurement. Only the metadata and caption stages run here (the body
stage has its own tests): about 15 s here, most of it parsing 1033 pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crawler.extract import captions, encoding, structured

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.metadata import DEFAULT_CORPUS, load_corpus, run  # noqa: E402

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

FLOORS = {
    "headline": 0.786,
    "authors_f1": 0.722,     # issue 13: measured 0.732, floor at measured - 0.01
    "authors_abstain": 0.732,
    "published_day": 0.905,  # issue 13: measured 0.9155 (forum subjects, ledes, comments), floor at measured - 0.01
    "date_abstain": 0.694,   # issue 13: measured 0.704 (comment dates and dates inside sentences left out)
    "captions_f1": 0.799,
    "credit_acc": 0.772,
}


def metadata_only(html: bytes, url: str) -> dict:
    text, _ = encoding.decode_html(html, None)
    doc = encoding.parse_html(text)
    if doc is None:
        return {}
    meta = structured.extract_metadata(doc, url)
    caps = captions.extract_captions(doc, url)
    return {"headline": meta.get("headline"), "authors": meta.get("authors"), "published": meta.get("published"),
            "captions": [{"caption": c.caption, "credit": c.credit} for c in caps]}


@pytest.fixture(scope="module")
def dev_row():
    if not (DEFAULT_CORPUS / "expected.jsonl").exists():
        pytest.skip(f"metadata-dev corpus missing: {DEFAULT_CORPUS}")
    pages = load_corpus(DEFAULT_CORPUS)
    assert len(pages) == 1033
    [row] = run(tools=[("ours", metadata_only, {"headline", "authors", "published", "captions"})], pages=pages)
    return row


@pytest.mark.parametrize("field", list(FLOORS))
def test_metadata_floor(dev_row, field):
    assert dev_row[field] >= FLOORS[field], dev_row


def test_no_page_crashes(dev_row):
    assert dev_row["errors"] == 0
