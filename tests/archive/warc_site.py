"""A tiny origin for the WARC tests, and a helper that crawls it with the real middleware.

The origin serves what a news site serves that matters to archiving: a gzip page, a chunked
page, a redirect, a 404, robots.txt with a Disallow, a page that changes on every fetch, and a
large page (for rotation). Crawls run in a subprocess because Twisted's reactor runs once per process.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def page(title: str, extra: str = "") -> bytes:
    paras = "".join(f"<p>{title} paragraph {i}: caf\u00e9 \u2014 news.</p>" for i in range(60))
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>{extra}{paras}</body></html>".encode()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """The origin; ``bodies`` holds the exact payload each path sent (before any encoding)."""

    def __init__(self):
        self.refused = f"http://127.0.0.1:{closed_port()}/refused"
        self.hits: dict[str, int] = {}
        self.counter = 0
        self.bodies = {
            "/robots.txt": b"User-agent: *\nDisallow: /private/\n",
            "/gzip": page("Gzip story"),
            "/chunked": page("Chunked story"),
            "/plain": page("Plain story"),
            "/big": page("Big story", "<pre>" + "x" * 40000 + "</pre>"),
            "/missing": b"<html><body>not found</body></html>",
        }
        links = ["/gzip", "/chunked", "/redirect", "/missing", "/private/secret", "/changing", "/big", self.refused]
        self.bodies["/"] = page("Home", "".join(f'<a href="{u}">{u}</a>' for u in links))
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path
                site.hits[path] = site.hits.get(path, 0) + 1
                if path == "/redirect":
                    self.send_response(301)
                    self.send_header("Location", "/plain")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if path == "/changing":
                    site.counter += 1
                    body = page(f"Changing story {site.counter}")
                    site.bodies["/changing"] = body
                else:
                    body = site.bodies.get(path)
                status = 200 if body is not None and path != "/missing" else 404
                if body is None:
                    body = site.bodies["/missing"]
                ctype = "text/plain" if path == "/robots.txt" else "text/html; charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if path == "/gzip":
                    data = gzip.compress(body, mtime=0)
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                elif path == "/chunked":
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for i in range(0, len(body), 1000):
                        part = body[i : i + 1000]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def run_crawl(archive: Path, start_url: str, **settings) -> dict:
    """Crawl from ``start_url`` into ``archive`` in a subprocess; returns captures, pointers, stats."""
    fd, out = tempfile.mkstemp(prefix="warc-crawl-", suffix=".json")
    os.close(fd)
    out = Path(out)
    cmd = [sys.executable, str(HERE / "crawl_helper.py"), str(archive), start_url, str(out), json.dumps(settings)]
    proc = subprocess.run(cmd, cwd=str(ROOT), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(out.read_text())
    out.unlink()
    result["log"] = proc.stderr
    return result
