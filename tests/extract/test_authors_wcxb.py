"""All-credited-names floor on wcxb-dev (bench/dates.py scoring): a real regression fails here.

Over the pages whose truth credits an author, the share where every credited name is among ours.
Only the metadata stage runs (no captions, no body), as in ``test_dates_wcxb.py``. Measured when
written: ours 0.593 (438 of 739 pages), trafilatura 2.3.1 0.617 (bench/dates.py); the floor sits 0.01 below ours.
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

CORPUS = SHARED / "wcxb-dev"
FLOOR = 0.583


def test_wcxb_dev_all_credited_names_floor():
    if not (CORPUS / "dev" / "ground-truth").is_dir():
        pytest.skip(f"wcxb-dev corpus missing: {CORPUS}")
    credited = [p for p in load_wcxb(CORPUS) if p["authors"]]
    assert len(credited) == 739
    found = 0
    for p in credited:
        text, _ = encoding.decode_html(p["html"], None)
        doc = encoding.parse_html(text)
        authors = structured.extract_metadata(doc, p["url"]).get("authors") if doc is not None else None
        found += md.name_set(p["authors"]) <= md.name_set(authors)
    assert found / len(credited) >= FLOOR, found / len(credited)
