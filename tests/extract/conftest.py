"""Fixtures over the shared corpora (read-only): the seed page and the extraction-dev split."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "corpus"
SEED_HTML = CORPUS / "seed" / "today-office-first-kiss.html"
SEED_EXPECTED = CORPUS / "seed" / "today-office-first-kiss.expected.json"
EXTRACTION_DEV = CORPUS / "extraction-dev"


@pytest.fixture(scope="session")
def seed():
    if not SEED_HTML.exists():
        pytest.skip(f"seed page missing: {SEED_HTML}")
    return SEED_HTML.read_bytes(), json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def extraction_dev():
    """[(id, url, html bytes, true body)] of the 114 dev pages."""
    truth_path = EXTRACTION_DEV / "ground-truth.json"
    if not truth_path.exists():
        pytest.skip(f"extraction-dev corpus missing: {truth_path}")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        with gzip.open(EXTRACTION_DEV / "html" / f"{key}.html.gz", "rb") as fh:
            pages.append((key, item["url"], fh.read(), item["articleBody"]))
    return pages
