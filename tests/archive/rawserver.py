"""A raw-socket HTTP/1.1 server on 127.0.0.1 that logs every byte it reads and writes, per exchange.

Wire capture is judged against this log: a WARC block must equal what this server actually sent
and received, byte for byte. So the server writes its responses by hand (odd reason phrases,
header case, order and repeats, chunk extensions and trailers, gzip) and in several pieces, so
the client sees them split over several reads.
"""

from __future__ import annotations

import datetime
import gzip
import itertools
import socket
import socketserver
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGE = b"<!DOCTYPE html><html><head><title>%s</title></head><body><h1>%s</h1><p>%s</p></body></html>"


def page(title: str, filler: int = 40) -> bytes:
    t = title.encode()
    return PAGE % (t, t, b"wire capture " * filler)


@dataclass
class Exchange:
    connection: int
    sequence: int          # 1 for the first request on the connection
    received: bytes        # the request exactly as read
    sent: bytes = b""      # the response exactly as written
    path: str = ""
    done: bool = False


def _chunk(data: bytes, ext: bytes = b"") -> bytes:
    return b"%x%s\r\n%s\r\n" % (len(data), ext, data)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def setup(self) -> None:
        sock = self.request
        sock.settimeout(10)
        if self.server.tls_context is not None:
            sock = self.server.tls_context.wrap_socket(sock, server_side=True)
            self.request = sock
        self.conn_id = next(self.server.connection_ids)
        self.buffer = b""
        self.drop_next = False

    def handle(self) -> None:
        for sequence in itertools.count(1):
            try:
                raw = self._read_request()
            except (OSError, ssl.SSLError):
                return
            if raw is None:
                return
            head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            method, target = head.split("\r\n", 1)[0].split(" ")[:2]
            if method == "CONNECT" and self.server.tunnel_context is not None:
                ex = Exchange(self.conn_id, sequence, raw, path="CONNECT " + target)
                self.server.log(ex)
                self._send(ex, b"HTTP/1.1 200 Connection established\r\n\r\n")
                ex.done = True
                # act as the proxy and the origin at once: TLS starts inside the tunnel
                self.request = self.server.tunnel_context.wrap_socket(self.request, server_side=True)
                continue
            path = urlsplit(target).path
            ex = Exchange(self.conn_id, sequence, raw, path=path)
            self.server.log(ex)
            if self.drop_next:
                return  # a keep-alive connection the server gave up on while the client kept it pooled
            keep = self._respond(ex, target, head)
            ex.done = True
            if not keep or "connection: close" in head.lower():
                return

    def _read_request(self) -> bytes | None:
        while b"\r\n\r\n" not in self.buffer:
            data = self.request.recv(65536)
            if not data:
                return None
            self.buffer += data
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(rest) < length:
            data = self.request.recv(65536)
            if not data:
                return None
            rest += data
        raw = head + b"\r\n\r\n" + rest[:length]
        self.buffer = rest[length:]
        return raw

    def _send(self, ex: Exchange, *parts: bytes, pause: float = 0.0) -> None:
        for i, part in enumerate(parts):
            if i and pause:
                time.sleep(pause)
            self.request.sendall(part)
            ex.sent += part

    def _respond(self, ex: Exchange, target: str, head: str) -> bool:
        """Write the response for `target`; False when the connection must close afterwards."""
        query = parse_qs(urlsplit(target).query, keep_blank_values=True)
        path = ex.path
        if path == "/reason":
            body = page("All Good")
            self._send(ex, b"HTTP/1.1 200 All Good\r\nContent-Type: text/html\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body), body)
        elif path == "/headers":
            body = page("headers")
            self._send(ex, b"HTTP/1.1 200 OK\r\nserver: rawserver/1\r\nSet-Cookie: first=1; Path=/\r\n"
                       b"x-Custom-CASE: MiXeD\r\ncontent-type: text/html; charset=utf-8\r\n"
                       b"Set-Cookie: second=2; Path=/\r\nX-Repeat: one\r\nX-Repeat: two\r\n"
                       b"content-LENGTH: %d\r\n\r\n" % len(body), body)
        elif path == "/chunked":
            body = page("chunked", 120)
            parts = [body[:100], body[100:1000], body[1000:]]
            trailer = "notrailer" not in query  # warcio (and so pywb) cannot de-chunk past trailers
            self._send(ex, b"HTTP/1.1 200 Chunky\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                       + (b"Trailer: X-Checksum\r\n\r\n" if trailer else b"\r\n"),
                       _chunk(parts[0], b";name=first"), _chunk(parts[1]) + _chunk(parts[2], b";a=b;c"),
                       b"0;last=yes\r\nX-Checksum: 12345\r\n\r\n" if trailer else b"0\r\n\r\n", pause=0.005)
        elif path == "/gzip":
            body = gzip.compress(page("gzip", 200), mtime=0)
            self._send(ex, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                       b"Vary: Accept-Encoding\r\nContent-Length: %d\r\n\r\n" % len(body), body[:50], body[50:],
                       pause=0.005)
        elif path == "/gzip-chunked":
            body = gzip.compress(page("gzip chunked", 200), mtime=0)
            self._send(ex, b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\nContent-Type: text/html\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\n", _chunk(body[:64]), _chunk(body[64:]) + b"0\r\n\r\n")
        elif path == "/redirect":
            body = b"moved"
            self._send(ex, b"HTTP/1.1 301 Moved For Good\r\nLocation: /reason?from=redirect\r\n"
                       b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        elif path == "/redirect-away":
            location = query.get("to", ["http://127.0.0.1:9/"])[0].encode()
            self._send(ex, b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % location)
        elif path == "/big":
            size = int(query.get("n", ["100000"])[0])
            body = (b"0123456789abcdef" * (size // 16 + 1))[:size]
            if query.get("chunked"):
                chunks = [_chunk(body[i:i + 8192]) for i in range(0, size, 8192)]
                parts = [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", *chunks, b"0\r\n\r\n"]
            else:
                parts = [b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size,
                         *[body[i:i + 8192] for i in range(0, size, 8192)]]
            try:
                self._send(ex, *parts, pause=0.001)
            except OSError:
                return False  # the client aborted, as DOWNLOAD_MAXSIZE should make it
        elif path == "/close":
            body = page("until close")
            self._send(ex, b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", body)
            return False
        elif path == "/drop-next":
            body = page("last one here")
            self._send(ex, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body), body)
            self.drop_next = True
        elif path == "/excess":
            self._send(ex, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more than promised")
        elif path == "/slow":
            self._send(ex, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", b"a first part")
            time.sleep(3)
            return False
        elif path == "/reset":
            return False  # read the request, answer nothing
        elif path == "/short":
            self._send(ex, b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", b"only this much")
            return False
        elif path == "/post":
            body = b"got " + ex.received.split(b"\r\n\r\n", 1)[1]
            self._send(ex, b"HTTP/1.1 201 Created Here\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        elif path == "/empty":
            self._send(ex, b"HTTP/1.1 204 Nothing\r\nX-Empty: yes\r\n\r\n")
        else:
            body = page("not found")
            self._send(ex, b"HTTP/1.1 404 Nope\r\nContent-Length: %d\r\n\r\n" % len(body), body)
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls_context: ssl.SSLContext | None, tunnel_context: ssl.SSLContext | None):
        self.tls_context = tls_context
        self.tunnel_context = tunnel_context
        self.connection_ids = itertools.count(1)
        self.exchanges: list[Exchange] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def log(self, ex: Exchange) -> None:
        with self.lock:
            self.exchanges.append(ex)


def _server_context(certfile: Path, keyfile: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certfile), str(keyfile))
    return context


class RawServer:
    """Start with ``RawServer().start()`` or as a context manager; ``exchanges`` is the byte log.

    With ``certfile``/``keyfile`` it speaks TLS; with ``tunnel=(certfile, keyfile)`` it is plain but
    also answers ``CONNECT`` like an HTTPS proxy, then serves the same routes over TLS in the tunnel.
    """

    def __init__(self, certfile: Path | None = None, keyfile: Path | None = None,
                 tunnel: tuple[Path, Path] | None = None):
        context = _server_context(certfile, keyfile) if certfile is not None else None
        tunnel_context = _server_context(*tunnel) if tunnel is not None else None
        self._server = _Server(context, tunnel_context)
        self.scheme = "https" if context else "http"
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def exchanges(self) -> list[Exchange]:
        with self._server.lock:
            return list(self._server.exchanges)

    def start(self) -> RawServer:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> RawServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def make_self_signed(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 (Scrapy accepts self-signed certificates by default)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = directory / "cert.pem", directory / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return certfile, keyfile


if __name__ == "__main__":  # manual poking: python tests/archive/rawserver.py
    with RawServer() as srv:
        print(srv.url, flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
