"""bench/growth.py's machinery at two tiny sizes: the synthetic archive it grows is a valid
archive (verify passes, the index covers every WARC), and the table has its agreed shape.
Timing is not asserted; the figures live in bench/README.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive.index import unindexed_warcs
from archive.verify import verify_archive

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

ROOT = Path(__file__).resolve().parents[1]


def test_growth_bench_runs_and_grows_a_valid_archive(tmp_path):
    proc = subprocess.run([sys.executable, "bench/growth.py", "--sizes", "400,900", "--crawl-pages", "20",
                           "--reps", "1", "--no-pywb", "--no-package", "--dir", str(tmp_path), "--keep"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert rows[0].startswith("| captures |") and [r.split(" | ")[0] for r in rows[1:]] == ["| 400", "| 900"]
    assert proc.stdout.splitlines()[-1].startswith("growth 400 -> 900 captures: post-crawl cpu ")
    archive = tmp_path / "archive"
    assert unindexed_warcs(str(archive)) == []
    report = verify_archive(str(archive))
    assert report.ok, report.problems[:5]
    assert report.index_entries == 900 and report.dataset_rows == 2 * 900  # articles and captures
