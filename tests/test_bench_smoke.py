"""The throughput benchmark's machinery on a 50-page site: real server process, real crawls.

Timing is not asserted (the machine is shared); what is asserted is what the benchmark's
numbers rest on: the site serves what it claims (sizes, transfer modes, determinism), both
crawls fetch every article, and the output has the agreed shape with ``ratio: X.XX`` last.
"""

from __future__ import annotations

import gzip
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import sitegen  # noqa: E402
import throughput  # noqa: E402

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

PAGES = 50


def _get(base: str, path: str) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(65536)
        head, _, rest = head.partition(b"\r\n\r\n")
        headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
        if headers.get(b"Transfer-Encoding") == b"chunked":
            while not rest.endswith(b"0\r\n\r\n"):
                rest += sock.recv(65536)
            body, data = b"", rest
            while True:
                size, _, data = data.partition(b"\r\n")
                if int(size, 16) == 0:
                    break
                body += data[:int(size, 16)]
                data = data[int(size, 16) + 2:]
        else:
            length = int(headers[b"Content-Length"])
            while len(rest) < length:
                rest += sock.recv(65536)
            body = rest
    if headers.get(b"Content-Encoding") == b"gzip":
        body = gzip.decompress(body)
    return head.split(b"\r\n")[0] + b"|" + b",".join(
        k for k in (b"Transfer-Encoding", b"Content-Encoding", b"Content-Length") if k in headers) + b"|" + body


def test_pages_are_deterministic_realistic_and_big():
    first = sitegen.render_article(7, 8, PAGES)
    assert first == sitegen.render_article(7, 8, PAGES)
    assert first != sitegen.render_article(7, 9, PAGES)
    for i in range(8):
        html = sitegen.render_article(i, 8, PAGES)
        assert len(html.encode()) >= 50_000
        for marker in ("cookie-banner", "Internet Explorer 11", '"@type": "NewsArticle"', "<h1",
                       'class="byline"', "<time datetime=", "__PRELOADED_STATE__"):
            assert marker in html, marker
        assert html.count("<figcaption>") == 2
        assert 6 <= html.count("<p>") <= 14


def test_server_sends_the_four_transfer_modes_and_discovery_files():
    site = throughput.Site(PAGES)
    try:
        modes = [_get(site.base, sitegen.article_path(i)).split(b"|")[1] for i in range(4)]
        assert modes == [b"Content-Encoding,Content-Length", b"Transfer-Encoding",
                         b"Content-Length", b"Transfer-Encoding,Content-Encoding"]
        body = _get(site.base, sitegen.article_path(3)).split(b"|", 2)[2]
        assert body == sitegen.render_article(3, 8, PAGES).encode()
        sitemap = _get(site.base, "/sitemap.xml").split(b"|", 2)[2].decode()
        assert sitemap.count("<loc>") == PAGES
        assert "Sitemap: " in _get(site.base, "/robots.txt").decode()
        assert _get(site.base, "/world/").startswith(b"HTTP/1.1 200")
        assert _get(site.base, "/nope").startswith(b"HTTP/1.1 404")
        assert site.info["pages"] == PAGES
    finally:
        site.close()
    assert site.proc.returncode is not None


def test_benchmark_output_format():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "throughput.py"), "--pages", str(PAGES),
                          "--runs", "1"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    assert re.fullmatch(r"ratio: \d+\.\d\d", lines[-1]), lines[-1]
    header = next(i for i, line in enumerate(lines) if line.startswith("mode"))
    for column in ("pages", "median pages/s", "runs", "peak RSS MB"):
        assert column in lines[header]
    rows = {line.split()[0]: line.split() for line in lines[header + 1:header + 3]}
    assert set(rows) == {"bare", "full"}
    for row in rows.values():
        assert row[1] == str(PAGES)          # every article fetched (and stored, for full)
        assert float(row[2]) > 0 and row[3] == "1" and float(row[4]) > 20
    scan = next(line for line in lines if line.startswith("robots-meta scan: "))
    assert re.match(r"robots-meta scan: \d+\.\d{3} CPU ms/page \(\d+\.\d % of full's", scan), scan
    ratio = float(lines[-1].split()[1])
    assert ratio == pytest.approx(float(rows["full"][2]) / float(rows["bare"][2]), abs=0.01)


def test_bad_arguments_are_one_line():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "throughput.py"), "--pages", "0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert "--pages and --runs must be at least 1" in out.stderr
    assert "Traceback" not in out.stderr
