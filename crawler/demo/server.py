"""A raw HTTP/1.1 server for the demo site.

Written on asyncio streams rather than ``http.server`` because the archive has to be tested
against framing we choose exactly: Content-Length vs chunked, gzip with the compressed length,
keep-alive, HEAD without a body. ``http.server`` would pick some of that for us.
"""

from __future__ import annotations

import asyncio
import collections
import signal
import sys
import threading
import time
from email.utils import formatdate

from crawler.demo.policies import MODES, policy_resource
from crawler.demo.site import Resource, get_site

MAX_HEADER_BYTES = 64 * 1024
CHUNK_SIZE = 4096
IDLE_TIMEOUT = 30.0
REASONS = {200: "OK", 301: "Moved Permanently", 400: "Bad Request", 404: "Not Found",
           405: "Method Not Allowed", 429: "Too Many Requests", 503: "Service Unavailable",
           505: "HTTP Version Not Supported"}


class DemoServer:
    """The demo news site on a loopback port, served from a background thread.

    ``hits`` counts requested targets (path plus query, GET and HEAD alike, unknown paths
    too) so tests can assert what a crawl fetched; ``request_log`` keeps one dict per request. ``edition`` may be
    changed while running to re-crawl the edited site on the same host:port. ``policies``
    ("polite" or "down") serves the policy corner of ``crawler/demo/policies.py``.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, edition: int = 1,
                 policies: str | None = None):
        if policies not in MODES:
            raise ValueError(f"policies must be one of {MODES}, not {policies!r}")
        self.host = host
        self.port = port
        self.edition = edition
        self.policies = policies
        self.hits: collections.Counter[str] = collections.Counter()
        self.request_log: list[dict] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.base_events.Server | None = None
        self._thread: threading.Thread | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        get_site(edition)  # render once up front: fail here, not on the first request

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> "DemoServer":
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []

        def run():
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._open())
            except BaseException as exc:  # reported to the caller of start()
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._close())
                loop.close()

        self._thread = threading.Thread(target=run, name="demo-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None
        self._loop = None

    def __enter__(self) -> "DemoServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    async def _open(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port,
                                                  limit=MAX_HEADER_BYTES)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            await self._server.wait_closed()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # --- HTTP ------------------------------------------------------------------------
    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IDLE_TIMEOUT)
                except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError):
                    return
                except asyncio.LimitOverrunError:
                    await self._send_error(writer, 400, "HTTP/1.1", keep_alive=False)
                    return
                keep_alive = await self._respond(head, reader, writer)
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            try:
                writer.close()
            except RuntimeError:
                pass

    async def _respond(self, head: bytes, reader, writer) -> bool:
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, version = lines[0].split(" ")
        except ValueError:
            await self._send_error(writer, 400, "HTTP/1.1", keep_alive=False)
            return False
        if version not in ("HTTP/1.1", "HTTP/1.0"):
            await self._send_error(writer, 505, "HTTP/1.1", keep_alive=False)
            return False
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length):
            await reader.readexactly(int(length))
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        if "transfer-encoding" in headers:  # a chunked request body we do not read: end after replying
            keep_alive = False

        if "://" in target:  # absolute-form, as proxies send it
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        path = target.split("#", 1)[0]
        host = headers.get("host") or f"{self.host}:{self.port}"
        site = get_site(self.edition)
        resource = site.get(path)
        if self.policies:
            resource = policy_resource(self.policies, path, self.hits[path], resource)
        if method not in ("GET", "HEAD"):
            status = 405
        else:
            if resource is None:
                resource = site.not_found
            status = resource.status
            self.hits[path] += 1
        self.request_log.append({"method": method, "path": path, "status": status, "time": time.monotonic(),
                                 "user_agent": headers.get("user-agent"),
                                 "accept_encoding": headers.get("accept-encoding")})
        if status == 405:
            await self._send_error(writer, 405, version, keep_alive, extra=[("Allow", "GET, HEAD")])
            return keep_alive
        await self._send_resource(writer, resource, method, version, host, keep_alive,
                                  headers.get("accept-encoding", ""))
        return keep_alive

    async def _send_resource(self, writer, res: Resource, method: str, version: str,
                             host: str, keep_alive: bool, accept_encoding: str) -> None:
        body = res.body_for(host)
        out = [("Date", formatdate(usegmt=True)), ("Server", "riverbend-demo/1.0")]
        if res.content_type:
            out.append(("Content-Type", res.content_type))
        if res.redirect_to:
            out.append(("Location", f"http://{host}{res.redirect_to}"))
        out.extend(res.headers)
        chunked = res.transfer == "chunked" and version == "HTTP/1.1"
        if res.transfer == "gzip":
            out.append(("Vary", "Accept-Encoding"))
            if _accepts_gzip(accept_encoding):
                body = res.gzipped_for(host)
                out.append(("Content-Encoding", "gzip"))
        if chunked:
            out.append(("Transfer-Encoding", "chunked"))
        elif res.transfer != "chunked":
            out.append(("Content-Length", str(len(body))))
        close = not keep_alive or (res.transfer == "chunked" and not chunked)
        out.append(("Connection", "close" if close else "keep-alive"))
        writer.write(_head(version, res.status, out))
        if method != "HEAD":
            if chunked:
                for i in range(0, len(body), CHUNK_SIZE):
                    part = body[i:i + CHUNK_SIZE]
                    writer.write(b"%x\r\n%s\r\n" % (len(part), part))
                writer.write(b"0\r\n\r\n")
            else:
                writer.write(body)
        await writer.drain()
        if close:
            writer.close()

    async def _send_error(self, writer, status: int, version: str, keep_alive: bool,
                          extra: list[tuple[str, str]] = ()) -> None:
        body = f"{status} {REASONS[status]}\n".encode()
        out = [("Date", formatdate(usegmt=True)), ("Server", "riverbend-demo/1.0"),
               ("Content-Type", "text/plain; charset=utf-8"), *extra,
               ("Content-Length", str(len(body))),
               ("Connection", "keep-alive" if keep_alive else "close")]
        writer.write(_head(version, status, out) + body)
        await writer.drain()


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _head(version: str, status: int, headers: list[tuple[str, str]]) -> bytes:
    lines = [f"{version} {status} {REASONS.get(status, 'Unknown')}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def serve_forever(host: str = "127.0.0.1", port: int = 0, edition: int = 1) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM (``newsarchive demo --serve``).

    The first line on stdout is the base URL, so scripts that asked for port 0 can read it.
    """
    server = DemoServer(host, port, edition)
    try:
        server.start()
    except OSError as exc:
        import click

        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    stopped = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print(server.url, flush=True)
    print(f"Serving the demo news site (edition {edition}); Ctrl-C stops it.", file=sys.stderr,
          flush=True)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
