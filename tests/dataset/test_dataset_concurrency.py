"""Two crawl processes writing one archive.db while a reader searches it: nothing lost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.dataset.search import search
from crawler.dataset.writer import DatasetWriter

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

HERE = Path(__file__).resolve().parent
PER_PROCESS = 300

WRITER = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, {here!r})
from dataset_helpers import capture_for, demo_articles
from crawler.dataset.writer import DatasetWriter

db, name, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
writer = DatasetWriter(db, batch_size=25, flush_seconds=60)
crawl = writer.begin_crawl(job=name)
shared = demo_articles(1, "2026-11-24T01:00:00.000000Z")
for i in range({n}):
    url = f"https://{{name}}.example/story/{{i}}"
    body = f"Zoning report {{i}} filed by desk {{name}}. " * 20
    capture = capture_for(url, body.encode(), f"2026-11-24T02:{{i // 60:02d}}:{{i % 60:02d}}.000000Z")
    writer.add_capture(capture, crawl)
    writer.add_article({{"url": url, "headline": f"Zoning story {{i}} from {{name}}", "body": body,
                        "authors": [f"Reporter {{i % 7}}", name]}}, capture, crawl)
    if i < len(shared):
        article, capture = shared[i]
        writer.add_capture(capture, crawl)
        writer.add_article(article, capture, crawl)
    if i % 25 == 24:
        time.sleep(0.02)  # as a crawl does between batches: the other writer gets its turn
writer.end_crawl(crawl, "finished", {{"written": {n}}})
writer.close()
print("ok", writer.counts)
"""


def test_two_writer_processes_and_a_reader_lose_nothing(tmp_path):
    db = tmp_path / "archive.db"
    DatasetWriter(db).close()  # created up front, as the first crawl would
    go = tmp_path / "go"
    script = WRITER.format(here=str(HERE), n=PER_PROCESS)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db), name, str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for name in ("alpha", "beta")]
    try:
        time.sleep(0.5)  # both imported and waiting
        go.touch()
        seen = []
        while any(p.poll() is None for p in procs):
            seen.append(len(search(db, "zoning", limit=10_000)))  # readers never fail or go back
            time.sleep(0.05)
        outputs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert out.startswith("ok")
    assert seen == sorted(seen)

    conn = sqlite3.connect(db)
    shared = conn.execute("SELECT count(*) FROM articles WHERE site = 'demo.test'").fetchone()[0]
    assert shared >= 15
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2 * PER_PROCESS + shared
    assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == 2 * (PER_PROCESS + shared)
    # the shared pages were written by both, identically: still one version each
    assert conn.execute("SELECT count(*), sum(version_count) FROM articles").fetchone() == \
        (2 * PER_PROCESS + shared, 2 * PER_PROCESS + shared)
    assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 2 * PER_PROCESS + shared
    assert conn.execute("SELECT count(*) FROM crawls WHERE status = 'finished'").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM authors").fetchone()[0] >= 7 + 2
    for name in ("alpha", "beta"):
        assert conn.execute("SELECT count(*) FROM captures c JOIN crawls k ON k.id = c.crawl_id "
                            "WHERE k.job = ?", (name,)).fetchone()[0] == PER_PROCESS + shared
    assert len(search(db, "zoning", limit=10_000)) == 2 * PER_PROCESS
    order = [r[0] for r in conn.execute("SELECT crawl_id FROM captures ORDER BY id")]
    switches = sum(1 for a, b in zip(order, order[1:]) if a != b)
    assert switches >= 2, "the two writers never interleaved: the test proved nothing"
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
