"""The writer lock and recovery without a crawl: real WARC files written by the real writer and
left open as a kill leaves them, a real lock held by another process."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from archive.warc_records import http_record
from archive.verify import verify_file
from archive.writer import WarcFileWriter
from cli_helpers import ROOT
from crawler.recovery import recover, writing
from crawler.dataset.writer import DatasetWriter
from crawler.writelock import ArchiveBusy, WriterLock, is_locked

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

HOLD = """
import sys, time
from crawler.writelock import WriterLock
with WriterLock(sys.argv[1], command="newsarchive crawl held-by-test"):
    print("held", flush=True)
    sys.stdin.read()
"""


def page(url: str, text: str) -> bytes:
    body = f"<html><body><p>{text}</p></body></html>".encode()
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def left_open(warcs, worker, urls) -> str:
    """A WARC file with one response per URL, never closed (what a SIGKILL leaves)."""
    writer = WarcFileWriter(str(warcs), worker=worker)
    for url in urls:
        writer.write([http_record("response", url, page(url, url))])
    name = writer.current_name
    writer._fh.close()  # the process dies: no close(), the file stays .open
    return name


def test_a_second_writer_is_refused_and_the_lock_is_free_when_its_holder_dies(tmp_path):
    db = tmp_path / "archive" / "archive.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert is_locked(db)
        with pytest.raises(ArchiveBusy) as refused:
            WriterLock(db).__enter__()
        assert f"pid {holder.pid}" in str(refused.value) and "newsarchive crawl held-by-test" in str(refused.value)
    finally:
        holder.kill()
        holder.wait()
    assert not is_locked(db)  # the kernel released it with the dead process
    with WriterLock(db, command="next") as lock:
        assert json.loads(lock.previous)["pid"] == holder.pid  # the dead holder's line, taken over
        with WriterLock(db) as nested:  # the same process may nest it
            assert nested.nested
        assert is_locked(db)
    assert not is_locked(db) and (tmp_path / "archive" / "archive.lock").read_text() == ""


def test_recovery_touches_only_its_own_writer_files_and_reads_back_what_was_not_committed(tmp_path):
    archive = tmp_path / "archive"
    warcs = archive / "warcs"
    db = archive / "archive.db"
    with DatasetWriter(db) as writer:
        dead = writer.begin_crawl(spider="news")
    mine = left_open(warcs, None, [f"http://site.test/a{i}" for i in range(3)])
    workers = left_open(warcs, "w1", ["http://site.test/w"])

    report = recover(archive, db)
    assert report.runs == [dead] and report.closed_files == 1
    assert report.captures == 3 and report.digests == 3
    assert (warcs / mine).exists() and (warcs / (workers + ".open")).exists()  # a live worker's file
    assert verify_file(str(warcs / mine)).problems == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM crawls WHERE id = ?", (dead,)).fetchone()[0] == "crashed"
    assert conn.execute("SELECT count(*) FROM captures WHERE crawl_id = ?", (dead,)).fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM warc_digests").fetchone()[0] == 3
    conn.close()
    assert recover(archive, db) is None  # nothing left to recover

    # the worker's own writer recovers its file into its shard
    shard = archive / "shards" / "w1.db"
    lines = []
    with writing(archive, shard, worker="w1", echo=lines.append):
        pass
    assert (warcs / workers).exists() and len(lines) == 1 and "closed 1 open WARC file" in lines[0]
    conn = sqlite3.connect(shard)
    assert conn.execute("SELECT url FROM captures").fetchall() == [("http://site.test/w",)]
    conn.close()


def test_the_scheduler_waits_while_another_process_writes_a_jobs_archive(tmp_path):
    from crawler.jobs.scheduler import Scheduler

    jobs = tmp_path / "jobs.toml"
    jobs.write_text(f'[jobs.one]\nseeds = ["http://127.0.0.1:9/"]\narchive = "{tmp_path / "shared"}"\n'
                    '[jobs.one.schedule]\ninterval = "1h"\n')
    said = []
    scheduler = Scheduler(jobs, echo=said.append)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "shared" / "archive.db")], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert scheduler.start(scheduler.jobs["one"]) is False
        assert scheduler.children == {} and "being written, starting it later" in said[-1]
    finally:
        holder.kill()
        holder.wait()
