"""Helpers for tests that drive the real ``newsarchive`` CLI in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def reachable_paths(rows) -> set[str]:
    """What a polite, complete crawl of the demo fetches: every page, document and linked or
    embedded asset, but never the robots-disallowed page or an asset nothing refers to."""
    return {row["path"] for row in rows
            if not row.get("disallowed")
            and (row["kind"] != "asset" or row.get("linked") or row.get("embedded"))}
