"""Publication-day floor on wcxb-dev (bench/dates.py scoring): a real regression fails here.

Measured when written (bench/dates.py, same run): ours 0.844 on the 782 dated pages, htmldate 1.11
extensive with original_date 0.839, trafilatura 0.830. The floor sits 0.01 below ours. Only the
metadata stage runs (no captions, no body): about 20 s here, most of it parsing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from crawler.extract import encoding, structured

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from dates import SHARED, load_wcxb  # noqa: E402

CORPUS = SHARED / "wcxb-dev"
FLOOR = 0.834


def test_wcxb_dev_published_day_floor():
    if not (CORPUS / "dev" / "ground-truth").is_dir():
        pytest.skip(f"wcxb-dev corpus missing: {CORPUS}")
    dated = [p for p in load_wcxb(CORPUS) if p["published"]]
    assert len(dated) == 782
    right = 0
    for p in dated:
        text, _ = encoding.decode_html(p["html"], None)
        doc = encoding.parse_html(text)
        published = structured.extract_metadata(doc, p["url"]).get("published") if doc is not None else None
        right += bool(published) and published[:len(p["published"])] == p["published"]
    assert right / len(dated) >= FLOOR, right / len(dated)
