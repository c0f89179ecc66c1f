"""Shared fixtures: the demo site on 127.0.0.1 and real crawls of it through the real CLI.

Crawls run in subprocesses because a Twisted reactor runs only once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
NEWSARCHIVE = [sys.executable, "-m", "crawler.cli"]

# Our own server on loopback: no politeness delays; everything else as shipped.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def run_cli(*args, timeout=180, check=False, env=None) -> subprocess.CompletedProcess:
    proc = subprocess.run([*NEWSARCHIVE, *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"newsarchive {' '.join(map(str, args))} exited {proc.returncode}\n"
                             f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    return proc


def crawl_demo(server, archive: Path, *extra) -> subprocess.CompletedProcess:
    return run_cli("crawl", server.url + "/", "--sitemap", server.url + "/sitemap.xml",
                   "--feed", server.url + "/feeds/rss.xml", "--archive", archive, *FAST, *extra, check=True)


@pytest.fixture(scope="session")
def demo_server():
    from crawler.demo.server import DemoServer

    server = DemoServer(edition=1).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_crawl(tmp_path_factory):
    """One real crawl of a fresh demo server, shared by the read-only tests of its output."""
    from crawler.demo.server import DemoServer

    archive = tmp_path_factory.mktemp("demo-archive")
    with DemoServer(edition=1) as server:
        proc = crawl_demo(server, archive)
        hits = dict(server.hits)
        url = server.url
    return {"archive": archive, "hits": hits, "url": url, "proc": proc}
