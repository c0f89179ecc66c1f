"""A plain `newsarchive crawl` SIGKILLed at five exact points, then run again into the same
archive with no manual step: the second run recovers the dead one by itself, and the finished
archive holds every record once, every article, and says which run crashed.

Each kill lands where it is meant to (archive/testpoints.py): the crawl freezes at the N-th
arrival at a named point and the test kills its process group then, never after a sleep.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.verify import verify_file
from cli_helpers import FAST, NEWSARCHIVE, ROOT, run_cli, warcio_check
from crawler.demo.manifest import manifest


def crawl_args(server, archive, *extra) -> list[str]:
    return [*NEWSARCHIVE, "crawl", server.url + "/", "--sitemap", server.url + "/sitemap.xml",
            "--feed", server.url + "/feeds/rss.xml", "--archive", str(archive), *FAST, *extra]


def start_paused(args, point: str, marker) -> subprocess.Popen:
    """Start a command that freezes at ``point`` (NAME:N); returns once it is frozen there."""
    env = {**os.environ, "NEWSARCHIVE_TESTPOINT": point, "NEWSARCHIVE_TESTPOINT_FILE": str(marker)}
    proc = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the crawl ended before reaching {point}: {proc.stderr.read()}")
        assert time.monotonic() < deadline, f"never reached {point}"
        time.sleep(0.02)
    return proc


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the crawl and its extraction workers
    proc.wait(timeout=30)
    proc.stderr.close()


def response_records(warcs) -> list[tuple[str, str, str]]:
    """(type, URL, payload digest) of every response and revisit record in the archive."""
    out = []
    for path in sorted(warcs.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    out.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                record.rec_headers.get_header("WARC-Payload-Digest")))
    return out


KILL_POINTS = {
    # frozen with the crawls row written and the writers ready, nothing fetched yet
    "start-up": ("startup:1", []),
    # the 3rd response is in the WARC, not yet in the digest index nor the dataset
    "early": ("response:3", []),
    "mid-crawl": ("response:20", []),
    # inside the 3rd batch of the dataset: rows written, not committed
    "dataset flush": ("store_flush:3", ["-s", "STORE_BATCH_SIZE=5"]),
    # the 2nd WARC file is complete but still .open, the next not yet opened
    "WARC rotation": ("warc_rotation:2", ["-s", "WARC_MAX_SIZE=60000"]),
}


@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_a_killed_crawl_is_recovered_by_the_next(where, tmp_path):
    from crawler.demo.server import DemoServer

    point, extra = KILL_POINTS[where]
    kinds = {r["path"]: r["kind"] for r in manifest()}
    archive = tmp_path / "archive"
    with DemoServer() as server:
        kill_group(start_paused(crawl_args(server, archive, *extra), point, tmp_path / "frozen"))

        # what the dead run left: open files whose complete records are all valid
        open_files = sorted((archive / "warcs").glob("*.warc.gz.open"))
        assert open_files or where == "start-up", "the killed crawl left no open file"
        for path in open_files:
            result = verify_file(str(path))
            assert result.records >= 1
            assert all("truncated" in p for p in result.problems), result.problems
        lock = json.loads((archive / "archive.lock").read_text())
        assert lock["command"].startswith("newsarchive crawl") and lock["pid"] > 0

        # the same crawl again: it recovers by itself, in one line, and finishes
        proc = subprocess.run(crawl_args(server, archive, *extra), cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        recovered = [line for line in proc.stderr.splitlines() if line.startswith("recovered a crashed run")]
        assert len(recovered) == 1 and "(#1)" in recovered[0], proc.stderr
        url = server.url

    warcs = archive / "warcs"
    assert not list(warcs.glob("*.open"))
    assert warcio_check(sorted(warcs.glob("*.warc.gz"))) == []
    verify = run_cli("verify", "--archive", archive)
    assert verify.returncode == 0, verify.stdout

    records = response_records(warcs)
    full = Counter((u, d) for t, u, d in records if t == "response")
    assert [pair for pair, n in full.items() if n > 1] == [], "a page stored in full twice"
    archived_articles = {u for _, u, _ in records if kinds.get(u[len(url):]) == "article"}
    assert len(archived_articles) == sum(k == "article" for k in kinds.values())

    conn = sqlite3.connect(archive / "archive.db")
    articles = dict(conn.execute("SELECT url, version_count FROM articles").fetchall())
    assert archived_articles <= set(articles), archived_articles - set(articles)
    assert set(articles.values()) == {1}, "an unchanged page gained a version"
    runs = conn.execute("SELECT id, status, stats FROM crawls ORDER BY id").fetchall()
    assert [(r[0], r[1]) for r in runs] == [(1, "crashed"), (2, "finished")]
    assert "recovered" in json.loads(runs[0][2])
    if where != "start-up":
        # what the dead run archived was fetched again but stored as revisits, not copies
        assert any(t == "revisit" for t, _, _ in records)
    conn.close()
