"""Floors on wcxb-dev for publication day and credited authors (bench/dates.py scoring): a real
regression fails here.

Only the metadata stage runs (no captions, no body), once per page for both floors: about 30 s
here, most of it parsing. Measured when written (bench/dates.py, same run as the peers):
- published day, over the 782 dated pages: ours 0.859 (672 pages, metadata stage; 0.855 before
  forum threads dated by their JSON-LD opening post and date elements' two-digit years counted as
  shown; 0.844 before question pages and offset-aware day checks), htmldate 1.11 extensive with original_date 0.839,
  trafilatura 0.830;
- every credited name found, over the 739 pages whose truth credits an author: ours 0.593 (438
  pages), trafilatura 2.3.1 0.617. Issue 13 (authors), this stage alone: 0.694 (513 pages), most
  of the gain on forum threads credited to whoever opened them.
Each floor sits 0.01 below ours.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crawler.extract import encoding, structured

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import metadata as md  # noqa: E402
from dates import SHARED, load_wcxb  # noqa: E402

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

CORPUS = SHARED / "wcxb-dev"
DAY_FLOOR = 0.849
ALL_NAMES_FLOOR = 0.684


@pytest.fixture(scope="module")
def pages():
    """(truth, our metadata) for every wcxb-dev page."""
    if not (CORPUS / "dev" / "ground-truth").is_dir():
        pytest.skip(f"wcxb-dev corpus missing: {CORPUS}")
    out = []
    for p in load_wcxb(CORPUS):
        text, _ = encoding.decode_html(p["html"], None)
        doc = encoding.parse_html(text)
        out.append((p, structured.extract_metadata(doc, p["url"]) if doc is not None else {}))
    return out


def test_wcxb_dev_published_day_floor(pages):
    dated = [(p, meta.get("published")) for p, meta in pages if p["published"]]
    assert len(dated) == 782
    right = sum(bool(ours) and ours[:len(p["published"])] == p["published"] for p, ours in dated)
    assert right / len(dated) >= DAY_FLOOR, right / len(dated)


def test_wcxb_dev_all_credited_names_floor(pages):
    credited = [(p, meta.get("authors")) for p, meta in pages if p["authors"]]
    assert len(credited) == 739
    found = sum(md.name_set(p["authors"]) <= md.name_set(ours) for p, ours in credited)
    assert found / len(credited) >= ALL_NAMES_FLOOR, found / len(credited)
