"""Nothing left running (issue 21, item 4): the page pool's workers and fork server end with the
crawl and with the pool, and the session's own check finds what a test would leave behind."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import pytest

from cli_helpers import FAST, NEWSARCHIVE, ROOT, run_cli
from crawler.workers import PagePool
from leftovers import end, leftovers, mark_session
from crawler.analysis.page import analyse

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

SESSION_MARK = mark_session()  # the session's, set by conftest before any test ran

PAGE = (b"<html><head><title>T</title></head><body><article><h1>Pool</h1>"
        + b"<p>Some words for the pool to read. </p>" * 30 + b"</article></body></html>")


def pool_processes() -> dict[int, str]:
    return {pid: cmd for pid, cmd in leftovers(SESSION_MARK, helpers=True).items()
            if "multiprocessing.forkserver" in cmd}


def test_the_pool_and_its_fork_server_end_when_it_closes():
    before = set(pool_processes())
    pool = PagePool(1)

    async def go():
        return await pool.run(analyse, PAGE, "https://news.example/a", {}, False, True)

    asyncio.run(go())
    running = {pid: cmd for pid, cmd in pool_processes().items() if pid not in before}
    assert len(running) >= 2, running  # the fork server and a worker
    pool.close()
    assert not set(running) & set(pool_processes())


def test_a_crawl_leaves_no_process_behind(demo_server, tmp_path):
    run_cli("crawl", demo_server.url + "/", "--archive", tmp_path / "a", "--depth", "0", *FAST,
            "-s", "EXTRACT_WORKERS=1", check=True)
    assert leftovers(SESSION_MARK) == {}


LAUNCH = ("import subprocess, sys; "
          "print(subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'], "
          "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid)")


def orphan(env=None) -> int:
    """A sleeping process whose parent has exited, as a killed crawl's fork server would be."""
    out = subprocess.run([sys.executable, "-c", LAUNCH], check=True, capture_output=True, text=True,
                         env=env, start_new_session=True).stdout
    return int(out)


def test_the_session_check_finds_an_orphan_of_this_session_only():
    ours = orphan()
    theirs = orphan({**os.environ, "NEWSARCHIVE_TEST_SESSION": "another-developers-session"})
    try:
        found = leftovers(SESSION_MARK)
        assert ours in found and "time.sleep(60)" in found[ours], found
        assert theirs not in found
        with open(f"/proc/{ours}/stat") as fh:
            assert fh.read().rsplit(")", 1)[1].split()[1] != str(os.getpid())  # re-parented
    finally:
        end([ours, theirs])
    assert ours not in leftovers(SESSION_MARK)


def test_a_crawl_killed_by_its_pid_alone_leaves_no_process_behind(demo_server, tmp_path):
    """SIGKILL to the crawl's main process only, not its group (the OOM killer, `kill -9 PID`):
    its pool worker, the fork server and the resource tracker end within seconds by themselves.
    Left running they would be orphans carrying the session mark, which the session check counts."""
    marker = tmp_path / "frozen"
    before = set(leftovers(SESSION_MARK, helpers=True))
    env = {**os.environ, "NEWSARCHIVE_TESTPOINT": "response:12", "NEWSARCHIVE_TESTPOINT_FILE": str(marker)}
    proc = subprocess.Popen([*NEWSARCHIVE, "crawl", demo_server.url + "/", "--archive", str(tmp_path / "a"),
                             *FAST, "-s", "EXTRACT_WORKERS=1"], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():  # frozen after its 12th response: pages went through the pool
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl never got there"
            time.sleep(0.05)
        crawl = {pid: cmd for pid, cmd in leftovers(SESSION_MARK, helpers=True).items() if pid not in before}
        helpers = [cmd for pid, cmd in crawl.items() if pid != proc.pid]
        assert sum("multiprocessing.forkserver" in c for c in helpers) >= 2, crawl  # the server and a worker
        assert any("multiprocessing.resource_tracker" in c for c in helpers), crawl
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while set(crawl) & set(leftovers(SESSION_MARK, helpers=True)) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = set(crawl) & set(leftovers(SESSION_MARK, helpers=True))
        assert not left, {pid: crawl[pid] for pid in left}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        end(set(crawl if "crawl" in locals() else ()) & set(leftovers(SESSION_MARK, helpers=True)))
