"""Byte-faithful capture: the HTTP bytes exactly as they crossed the connection, per exchange.

Scrapy's ``Response`` is what Twisted parsed: the reason phrase, header case and order, chunk
framing and trailers are gone, and the request Twisted actually wrote (Host, Connection) was never
a Scrapy object at all. WARC records rebuilt from those objects are plausible, not faithful. This
handler is Scrapy's own HTTP/1.1 handler with a tee on the connection (see ``wire_protocol``), and
it leaves the bytes of each exchange in ``request.meta["warc_wire"]`` for the WARC middleware.

Enable with ``DOWNLOAD_HANDLERS = {"http": WIRE_HANDLER, "https": WIRE_HANDLER}``. With
``WARC_CAPTURE = "rebuilt"`` (or ``WARC_ENABLED = False``) it is plain Scrapy, untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler, _ScrapyAgent
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.web.iweb import UNKNOWN_LENGTH

from archive.wire_protocol import CaptureSlot, SlotPool, WireHTTP11ClientFactory

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

WIRE_HANDLER = "archive.wire.WireHTTPDownloadHandler"
META_KEY = "warc_wire"


@dataclass
class WireExchange:
    """One HTTP exchange as it crossed the wire (after TLS decryption for HTTPS)."""

    request_bytes: bytes    # exactly what was written on the connection for this request
    response_bytes: bytes   # exactly what was read for this response (framing, trailers, encoding)
    ip: str | None          # peer IP address
    truncated: str | None   # WARC-Truncated value: "length" (DOWNLOAD_MAXSIZE), "time", "disconnect", ...


class _WireScrapyAgent(_ScrapyAgent):
    """Scrapy's agent, remembering the Twisted response so a size abort can be told apart."""

    def __init__(self, *, slot: CaptureSlot, **kwargs: Any):
        super().__init__(**kwargs)
        self._wire_slot = slot

    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        self._wire_slot.txresponse = txresponse
        return super()._cb_bodyready(txresponse, request)


class WireHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler that also records the wire bytes of each exchange."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        settings = crawler.settings
        self._wire_enabled = (
            settings.getbool("WARC_ENABLED", True)
            and str(settings.get("WARC_CAPTURE", "wire") or "wire").lower() == "wire"
        )
        self._stats = crawler.stats
        if self._wire_enabled:
            self._pool._factory = WireHTTP11ClientFactory

    async def download_request(self, request: Request) -> Response:
        if not self._wire_enabled:
            return await super().download_request(request)
        # A retried or redirected request is a copy whose meta still holds the previous
        # exchange: it must never be mistaken for this one.
        request.meta.pop(META_KEY, None)
        slot = CaptureSlot()
        agent = _WireScrapyAgent(
            slot=slot,
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=SlotPool(self._pool, slot),
            maxsize=getattr(self._crawler.spider, "download_maxsize", self._default_maxsize),
            warnsize=getattr(self._crawler.spider, "download_warnsize", self._default_warnsize),
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                response = await maybe_deferred_to_future(agent.download_request(request))
        except BaseException as exc:
            self._publish(request, slot, agent, error=exc)
            if isinstance(exc, ResponseDataLossError) and not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
        self._publish(request, slot, agent, response=response)
        return response

    def _publish(
        self,
        request: Request,
        slot: CaptureSlot,
        agent: _WireScrapyAgent,
        *,
        response: Response | None = None,
        error: BaseException | None = None,
    ) -> None:
        # Capture is a passenger: a fault here must cost the record, never the download.
        try:
            if error is not None:
                truncated = _truncation_after_error(error, request, agent, slot)
            else:
                truncated = _truncation_after_response(response, slot)
            self._publish_exchange(request, slot, truncated)
        except Exception:
            self._inc("wire/errors")
            logger.exception("Wire capture failed for %s; the record will be rebuilt", request.url)

    def _publish_exchange(self, request: Request, slot: CaptureSlot, truncated: str | None) -> None:
        attempt = slot.last
        if attempt is None:
            # DNS failure, refused or timed-out connect: no byte was exchanged, none is invented.
            self._inc("wire/no_connection")
            return
        exchange = WireExchange(
            request_bytes=bytes(attempt.request),
            response_bytes=bytes(attempt.response),
            ip=attempt.ip,
            truncated=truncated if attempt.response else None,
        )
        request.meta[META_KEY] = exchange
        self._inc("wire/exchanges")
        self._inc("wire/request_bytes", len(exchange.request_bytes))
        self._inc("wire/response_bytes", len(exchange.response_bytes))
        if not exchange.response_bytes:
            self._inc("wire/no_response_bytes")
        if exchange.truncated:
            self._inc(f"wire/truncated/{exchange.truncated}")
        if len(slot.attempts) > 1:
            self._inc("wire/connection_retries", len(slot.attempts) - 1)
        if attempt.sequence > 1:
            self._inc("wire/reused_connection")

    def _inc(self, key: str, count: int = 1) -> None:
        if self._stats is not None:
            self._stats.inc_value(key, count)


def _truncation_after_response(response: Response, slot: CaptureSlot) -> str | None:
    """Why a response Scrapy accepted may still be incomplete on the wire."""
    attempt = slot.last
    if attempt is None or attempt.end == "complete":
        return None
    if "dataloss" in response.flags:
        return "disconnect"
    if "download_stopped" in response.flags:
        return "unspecified"
    return None  # ended by the connection closing: that is how a response without length ends


def _truncation_after_error(
    exc: BaseException, request: Request, agent: _WireScrapyAgent, slot: CaptureSlot
) -> str | None:
    attempt = slot.last
    if attempt is None or attempt.end == "complete":
        return None
    if isinstance(exc, DownloadCancelledError) and _over_maxsize(request, agent, slot):
        return "length"
    if isinstance(exc, DownloadTimeoutError):
        return "time"
    if isinstance(exc, ResponseDataLossError):
        return "disconnect"
    if attempt.end == "closed":
        return "disconnect"
    return "unspecified"  # cancelled or stopped mid-response: incomplete, cause not on the wire


def _over_maxsize(request: Request, agent: _WireScrapyAgent, slot: CaptureSlot) -> bool:
    """The same two tests Scrapy's agent uses before it aborts for DOWNLOAD_MAXSIZE."""
    maxsize = request.meta.get("download_maxsize", agent._maxsize)
    txresponse = slot.txresponse
    if not maxsize or txresponse is None:
        return False
    if txresponse.length != UNKNOWN_LENGTH and txresponse.length > maxsize:
        return True
    reader = getattr(txresponse, "_bodyProtocol", None)
    return getattr(reader, "_bytes_received", 0) > maxsize
