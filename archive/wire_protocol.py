"""The Twisted side of wire capture: a tee on the HTTP/1.1 client connection.

Scrapy's HTTP/1.1 handler hands each connection to Twisted's ``HTTP11ClientProtocol``. Everything
that protocol writes goes through its ``transport`` (for HTTPS that transport is the TLS layer, so
the bytes are already plaintext) and everything it reads arrives in ``dataReceived``. Copying at
exactly those two points gives the bytes as they crossed the wire without re-serialising anything.

A pooled connection carries many requests, one after another (Twisted never pipelines). Bytes are
attributed to the request in flight, and a response ends where Twisted's own parser says it ends
(its ``finisher`` callback, which also reports any bytes that came after). So the split between
exchanges on a keep-alive connection is the parser's split, not a second guess.

Which Scrapy download a connection is serving is not visible to the protocol, so the handler
marks the Twisted request object with a ``CaptureSlot``: the same request object is reused when
Twisted transparently retries on a fresh connection, and each try becomes an ``Attempt``.
"""

from __future__ import annotations

import itertools
from typing import Any

from twisted.web.client import HTTPConnectionPool
from zope.interface import directlyProvides, providedBy

from scrapy.core.downloader.handlers.http11 import (
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)

SLOT_ATTR = "_newsarchive_wire_slot"
_connection_ids = itertools.count(1)


class Attempt:
    """The bytes of one request written on one connection, and of its response as read."""

    __slots__ = ("request", "response", "ip", "connection_id", "sequence", "end")

    def __init__(self, ip: str | None, connection_id: int, sequence: int):
        self.request = bytearray()
        self.response = bytearray()
        self.ip = ip
        self.connection_id = connection_id
        self.sequence = sequence  # 1 for the first request on this connection
        # None while the response may still grow; "complete" when the parser ended it;
        # "closed" when the connection ended it (normal for responses without a length).
        self.end: str | None = None


class CaptureSlot:
    """Everything the wire saw for one Scrapy download, across Twisted's transparent retries."""

    __slots__ = ("attempts", "txresponse")

    def __init__(self) -> None:
        self.attempts: list[Attempt] = []
        self.txresponse: Any = None

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None


class _TeeTransport:
    """The real transport, except that what the HTTP protocol writes is also copied.

    It provides the same zope interfaces as the transport it wraps, so Twisted and Scrapy code
    that checks ``ITCPTransport.providedBy`` or calls ``getPeerCertificate`` sees no difference.
    """

    def __init__(self, transport: Any, protocol: WireHTTP11ClientProtocol):
        self._wire_transport = transport
        self._wire_protocol = protocol
        directlyProvides(self, providedBy(transport))

    def write(self, data: bytes) -> None:
        attempt = self._wire_protocol._wire_sending
        if attempt is not None:
            attempt.request += data
        self._wire_transport.write(data)

    def writeSequence(self, data: Any) -> None:
        data = list(data)
        attempt = self._wire_protocol._wire_sending
        if attempt is not None:
            for part in data:
                attempt.request += part
        self._wire_transport.writeSequence(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wire_transport, name)


class WireHTTP11ClientProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's lenient HTTP/1.1 protocol, copying the bytes of each exchange into its slot."""

    _wire_sending: Attempt | None = None
    _wire_receiving: Attempt | None = None
    _wire_requests = 0

    def makeConnection(self, transport: Any) -> None:
        self._wire_connection_id = next(_connection_ids)
        super().makeConnection(_TeeTransport(transport, self))

    def _wire_peer_ip(self) -> str | None:
        try:
            return str(self.transport.getPeer().host)
        except Exception:  # a transport without an IP peer (UNIX socket, test double)
            return None

    def request(self, request: Any) -> Any:
        slot: CaptureSlot | None = getattr(request, SLOT_ATTR, None)
        if slot is not None and self._state == "QUIESCENT":
            self._wire_requests += 1
            attempt = Attempt(self._wire_peer_ip(), self._wire_connection_id, self._wire_requests)
            slot.attempts.append(attempt)
            self._wire_sending = self._wire_receiving = attempt
        elif self._state == "QUIESCENT":
            self._wire_sending = self._wire_receiving = None
        return super().request(request)

    def dataReceived(self, bytes: bytes) -> None:  # noqa: A002 - Twisted's parameter name
        attempt = self._wire_receiving
        if attempt is not None and attempt.end is None:
            attempt.response += bytes
        # else: nothing is in flight; Twisted drops the connection on such bytes, and so do we
        super().dataReceived(bytes)

    def _finishResponse(self, rest: bytes) -> None:
        # The parser says the response ended; `rest` is what it did not consume, always a suffix
        # of what was read. Close the attempt before Twisted returns the connection to the pool
        # and wakes Scrapy, so nothing can observe a half-split exchange.
        attempt = self._wire_receiving
        if attempt is not None and attempt.end is None:
            if rest:  # Twisted discards these (it never pipelines); they are no one's response
                del attempt.response[max(0, len(attempt.response) - len(rest)) :]
            attempt.end = "complete"
        self._wire_receiving = None
        super()._finishResponse(rest)

    def connectionLost(self, reason: Any) -> None:
        attempt = self._wire_receiving
        if attempt is not None and attempt.end is None:
            attempt.end = "closed"
        self._wire_receiving = None
        super().connectionLost(reason)


class WireHTTP11ClientFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: Any) -> WireHTTP11ClientProtocol:
        return WireHTTP11ClientProtocol(self._quiescentCallback)


class _SlotBinder:
    """What the pool hands to the Agent: marks the Twisted request, then sends it as usual."""

    __slots__ = ("_connection", "_slot")

    def __init__(self, connection: Any, slot: CaptureSlot):
        self._connection = connection
        self._slot = slot

    def request(self, request: Any) -> Any:
        setattr(request, SLOT_ATTR, self._slot)
        return self._connection.request(request)


class SlotPool:
    """The handler's shared connection pool, seen through one download's capture slot."""

    def __init__(self, pool: HTTPConnectionPool, slot: CaptureSlot):
        self._wire_pool = pool
        self._wire_slot = slot

    def getConnection(self, key: Any, endpoint: Any) -> Any:
        d = self._wire_pool.getConnection(key, endpoint)
        d.addCallback(_SlotBinder, self._wire_slot)
        return d

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wire_pool, name)
