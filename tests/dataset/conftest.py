"""Datasets built through the real DatasetWriter from the demo site's extracted articles."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from dataset_helpers import FIRST, SECOND, write_edition  # noqa: E402


@pytest.fixture(scope="session")
def _two_crawls(tmp_path_factory):
    base = tmp_path_factory.mktemp("dataset-two-crawls")
    db = base / "archive.db"
    first_counts, first = write_edition(db, 1, FIRST)
    second_counts, second = write_edition(db, 2, SECOND)
    return {"db": db, "first": first, "second": second,
            "first_counts": first_counts, "second_counts": second_counts}


@pytest.fixture
def two_crawls(_two_crawls, tmp_path):
    """A private copy of edition 1 then edition 2 of the demo written as two crawls."""
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(_two_crawls["db"], archive / "archive.db")
    return {**_two_crawls, "db": archive / "archive.db", "archive": archive}
