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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reachable_paths(rows) -> set[str]:
    """What a polite, complete crawl of the demo fetches: every page, document and linked or
    embedded asset, but never the robots-disallowed page or an asset nothing refers to."""
    return {row["path"] for row in rows
            if not row.get("disallowed")
            and (row["kind"] != "asset" or row.get("linked") or row.get("embedded"))}


def dechunk_independently(body: bytes) -> bytes:
    """Transfer-decoding written independently of archive/ so the check below can fail on its own."""
    out = b""
    while b"\r\n" in body:  # a body cut off by a size limit keeps what arrived
        size_line, body = body.split(b"\r\n", 1)
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, body = out + body[:size], body[size + 2:]
    return out


def warcio_check_problems(path) -> dict[str, list[str]]:
    """`warcio check -v` problems per WARC-Record-ID (an empty dict when it passes)."""
    proc = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
                          capture_output=True, text=True, timeout=120)
    problems, current = {}, None
    for line in proc.stdout.splitlines():
        if "WARC-Record-ID" in line:
            current = line.split("WARC-Record-ID", 1)[1].split()[0]
        elif line.startswith("    ") and current and "pass" not in line and "not checked" not in line:
            problems.setdefault(current, []).append(line.strip())
    assert (proc.returncode == 0) == (not problems), proc.stdout + proc.stderr
    return problems


def warcio_check(paths) -> list[str]:
    """Problems `warcio check` finds that the WARC 1.1 spec does not explain (empty: all good).

    warcio 1.8.1 digests the HTTP body with its chunk framing, while WARC 1.1 (and our records)
    digest the entity with the transfer coding removed. So the only complaint tolerated is a
    payload-digest failure on a chunked response whose digest is, recomputed here, the spec's.
    """
    import base64
    import hashlib

    from warcio.archiveiterator import ArchiveIterator

    unexplained = []
    for path in paths:
        problems = warcio_check_problems(path)
        if not problems:
            continue
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh, no_record_parse=True):
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                if record_id not in problems:
                    continue
                head, _, body = record.raw_stream.read().partition(b"\r\n\r\n")
                chunked = b"transfer-encoding: chunked" in head.lower()
                spec = "sha1:" + base64.b32encode(hashlib.sha1(dechunk_independently(body) if chunked else body).digest()).decode()
                explained = (chunked and all(m.startswith("payload digest failed") for m in problems[record_id])
                             and record.rec_headers.get_header("WARC-Payload-Digest") == spec)
                if not explained:
                    unexplained.append(f"{path.name} {record_id}: {problems.pop(record_id)}")
                else:
                    problems.pop(record_id)
        unexplained += [f"{path}: {rid}: {msgs} (record not found)" for rid, msgs in problems.items()]
    return unexplained
