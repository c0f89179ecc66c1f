"""Support for the replay and WACZ tests (no tests here): test archives built from real HTTP exchanges.

Until the archive package's writer lands, WARCs are recorded by warcio's ``capture_http`` (which
keeps chunk framing and the original headers) plus one Scrapy-style record (de-chunked, its
Transfer-Encoding renamed, as Scrapy's objects hold it), then indexed with cdxj-indexer.
"""

from __future__ import annotations

import gzip
import io
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.capture_http import capture_http
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HTML = {
    name: (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{name} story</title></head>"
           f"<body><h1>The {name} story \u2014 caf\u00e9</h1>"
           + "".join(f"<p>Paragraph {i} of the {name} article.</p>" for i in range(200))
           + "</body></html>").encode("utf-8")
    for name in ("plain", "gzip", "chunked", "gzchunked", "rebuilt")
}


def wire_body(name: str) -> bytes:
    """What the origin sends as the HTTP payload (before any chunk framing)."""
    body = HTML[name]
    return gzip.compress(body, mtime=0) if name in ("gzip", "gzchunked") else body


class Origin(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = self.path.strip("/")
        if name == "old-plain":
            self.send_response(301, "Moved Permanently")
            self.send_header("Location", "/plain")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if name not in HTML:
            self.send_error(404)
            return
        body = wire_body(name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if name in ("gzip", "gzchunked"):
            self.send_header("Content-Encoding", "gzip")
        if name in ("chunked", "gzchunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 1000):
                piece = body[start:start + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)


class OriginServer:
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def record_archive(archive: Path, origin: OriginServer) -> dict[str, str]:
    """Fetch every origin page into ``archive/warcs/`` and return name -> archived URL."""
    warcs = archive / "warcs"
    warcs.mkdir(parents=True, exist_ok=True)
    urls = {}
    with open(warcs / "test-20261124000000000-00000-local.warc.gz", "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        with capture_http(writer):
            for name in ("plain", "gzip", "chunked", "gzchunked", "old-plain"):
                conn = http.client.HTTPConnection("127.0.0.1", origin.port, timeout=10)
                conn.request("GET", "/" + name, headers={"Accept-Encoding": "gzip"})
                conn.getresponse().read()
                conn.close()
                urls[name] = f"{origin.base}/{name}"
        # What Scrapy's middleware stores for a chunked response: body de-chunked, TE renamed.
        url = f"{origin.base}/rebuilt"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("X-Archive-Orig-Transfer-Encoding", "chunked")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(HTML["rebuilt"]),
                                                      http_headers=headers))
        urls["rebuilt"] = url
    return urls
