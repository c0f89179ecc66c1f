"""Real pages at their own URLs on 127.0.0.1, and the resolver that sends a crawl there.

``bench/realcrawl.py`` crawls a corpus of saved pages as a user would crawl the web: each page is
requested at its real URL (host, path and query), over HTTP or HTTPS, through the full crawl path
(robots.txt, DNS, TLS, compression, the WARC middleware). Two pieces make that possible without a
packet leaving the machine and without touching system files:

- ``serve``: one asyncio server process answering on an HTTP and an HTTPS port (a self-signed
  certificate made at start-up) for every host name. A listed page is sent as saved, gzip-encoded
  when the client accepts it; ``/robots.txt`` allows everything on every host; anything else is a
  404. It runs in its own process so it never shares the crawler's GIL.
- ``LoopbackResolver``: a Scrapy ``TWISTED_DNS_RESOLVER`` that answers 127.0.0.1 for the host names
  in ``LOOPBACK_HOSTS_FILE`` and fails every other name with a DNS error, so a page linking
  elsewhere can neither leak a request nor reach a real server.

Run on its own: ``python bench/loopback.py MANIFEST [--http-port 80] [--https-port 443]``, where
MANIFEST has one ``URL<TAB>FILE`` line per page (FILE a ``.html.gz`` or plain HTML file). The first
stdout line is ``ready`` (or one ``Error: ...`` line and exit status 1); SIGTERM stops it and makes it
print its request counts as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gzip
import json
import logging
import signal
import socket
import ssl
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOOPBACK = "127.0.0.1"
logger = logging.getLogger("loopback")
ROBOTS = b"User-agent: *\nAllow: /\n"


# --- which host, which page --------------------------------------------------------------------

def request_key(url: str) -> tuple[str, str]:
    """(host, path?query) as a server sees a request for *url*: the URL made safe to send exactly as
    Scrapy makes it (w3lib's ``safe_url_string``), lower-case host, no port, no fragment."""
    from w3lib.url import safe_url_string

    parts = urlsplit(safe_url_string(url.strip()))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return (parts.hostname or "").lower().rstrip("."), target


def loose_key(host: str, target: str) -> tuple[str, str]:
    """A second chance for a request whose percent-encoding differs from the saved URL's."""
    return host, unquote(target)


def read_manifest(path: str | Path) -> list[tuple[str, Path]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            url, _, file = line.partition("\t")
            out.append((url.strip(), Path(file.strip())))
    return out


def host_names(urls) -> list[str]:
    return sorted({request_key(u)[0] for u in urls})


# --- the resolver ------------------------------------------------------------------------------

class LoopbackResolver:
    """Scrapy ``TWISTED_DNS_RESOLVER``: the listed host names are 127.0.0.1, every other name is a
    DNS failure (never a real lookup). ``LOOPBACK_HOSTS_FILE`` names a file of host names, one a
    line; ``resolved`` keeps each name asked for and its answer (None for a refusal)."""

    def __init__(self, reactor, hosts):
        from zope.interface import directlyProvides
        from twisted.internet.interfaces import IResolverSimple

        self.reactor = reactor
        self.hosts = frozenset(h.strip().lower().rstrip(".") for h in hosts if h.strip())
        self.resolved: dict[str, str | None] = {}
        directlyProvides(self, IResolverSimple)

    @classmethod
    def from_crawler(cls, crawler, reactor):
        path = crawler.settings.get("LOOPBACK_HOSTS_FILE")
        if not path:
            raise ValueError("LoopbackResolver needs the LOOPBACK_HOSTS_FILE setting")
        return cls(reactor, Path(path).read_text(encoding="utf-8").splitlines())

    def install_on_reactor(self) -> None:
        # installResolver also wraps it as the reactor's name resolver (HostnameEndpoint).
        self.reactor.installResolver(self)

    def getHostByName(self, name: str, timeout=()):  # noqa: N802 - Twisted's interface
        from twisted.internet import defer
        from twisted.internet.error import DNSLookupError

        if name.lower().rstrip(".") in self.hosts:
            self.resolved[name] = LOOPBACK
            return defer.succeed(LOOPBACK)
        if name not in self.resolved:
            # Twisted turns the failure into "no results", so say here which resolver refused.
            logger.warning("loopback resolver: %s is not a benchmark host", name)
        self.resolved[name] = None
        return defer.fail(DNSLookupError(f"{name} is not a benchmark host"))


# --- the server --------------------------------------------------------------------------------

def _response(status: str, headers: list[str], body: bytes, head_only: bool = False) -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body)}", "Connection: keep-alive"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (b"" if head_only else body)


class Site:
    """The pages by request key, each kept gzip-compressed (inflated only for a client that does
    not accept gzip), and the request counts."""

    def __init__(self, pages: list[tuple[str, Path]]):
        self.pages: dict[tuple[str, str], bytes] = {}
        self.loose: dict[tuple[str, str], tuple[str, str]] = {}
        for url, file in pages:
            data = file.read_bytes()
            if not data.startswith(b"\x1f\x8b"):
                data = gzip.compress(data, 6, mtime=0)
            key = request_key(url)
            self.pages[key] = data
            self.loose.setdefault(loose_key(*key), key)
        self.counts = {"requests": 0, "pages": 0, "robots": 0, "not_found": 0, "https": 0}

    def answer(self, method: str, target: str, headers: dict[str, str]) -> bytes:
        self.counts["requests"] += 1
        host = headers.get("host", "").rsplit(":", 1)[0] if not headers.get("host", "").endswith("]") \
            else headers["host"]
        host = host.lower().rstrip(".")
        head_only = method == "HEAD"
        if target.startswith(("http://", "https://")):  # absolute-form request target
            host, target = request_key(target)
        key = (host, target)
        data = self.pages.get(key)
        if data is None:
            loose = self.loose.get(loose_key(*key))
            data = self.pages.get(loose) if loose else None
        if data is not None:
            self.counts["pages"] += 1
            if "gzip" in headers.get("accept-encoding", "").lower():
                return _response("200 OK", ["Content-Type: text/html", "Content-Encoding: gzip",
                                            "Vary: Accept-Encoding"], data, head_only)
            return _response("200 OK", ["Content-Type: text/html"], gzip.decompress(data), head_only)
        if target.split("?", 1)[0] == "/robots.txt":
            self.counts["robots"] += 1
            return _response("200 OK", ["Content-Type: text/plain"], ROBOTS, head_only)
        self.counts["not_found"] += 1
        return _response("404 Not Found", ["Content-Type: text/plain"], b"not found\n", head_only)


class _Http(asyncio.Protocol):
    """Keep-alive HTTP/1.1 for GET and HEAD requests without bodies, answered in order."""

    site: Site
    https = False

    def connection_made(self, transport):
        self.transport = transport
        self.buf = b""

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head, self.buf = self.buf[:end], self.buf[end + 4:]
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                self.transport.write(_response("400 Bad Request", [], b""))
                self.transport.close()
                return
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            self.site.counts["https"] += self.https
            self.transport.write(self.site.answer(parts[0], parts[1], headers))


class _Https(_Http):
    https = True


def self_signed_context(directory: Path) -> ssl.SSLContext:
    """A TLS server context with a throwaway self-signed certificate (crawlers do not verify)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "loopback benchmark")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .sign(key, hashes.SHA256()))
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def _bind(port: int, what: str) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((LOOPBACK, port))
    except OSError as exc:
        sock.close()
        reason = "taken" if exc.errno == 98 else (exc.strerror or str(exc))
        raise SystemExit(f"Error: cannot serve {what} on {LOOPBACK}:{port}: port {reason}") from None
    return sock


def serve(manifest: str | Path, http_port: int = 80, https_port: int = 443) -> None:
    """Bind both ports (one ``Error:`` line if either is taken), load the pages, print ``ready``,
    serve until SIGTERM or SIGINT, then print the request counts as JSON."""
    try:
        plain, secure = _bind(http_port, "HTTP"), None
        secure = _bind(https_port, "HTTPS")
    except SystemExit as exc:
        print(exc, flush=True)
        sys.exit(1)
    _Http.site = Site(read_manifest(manifest))
    with tempfile.TemporaryDirectory(prefix="loopback-tls-") as tmp:
        context = self_signed_context(Path(tmp))
    loop = asyncio.new_event_loop()

    async def main():
        servers = [await loop.create_server(_Http, sock=plain, backlog=512),
                   await loop.create_server(_Https, sock=secure, ssl=context, backlog=512)]
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        print("ready", flush=True)
        await stop.wait()
        for server in servers:
            server.close()

    loop.run_until_complete(main())
    loop.close()
    print(json.dumps(_Http.site.counts), flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest", help="URL<TAB>FILE lines")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    args = parser.parse_args(argv)
    serve(args.manifest, args.http_port, args.https_port)


if __name__ == "__main__":
    main()
