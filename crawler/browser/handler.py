"""The browser side of ``NEWSARCHIVE_BROWSER``: needs the ``browser`` extra (scrapy-playwright).

``BrowserDownloadHandler`` is scrapy-playwright's handler for requests marked ``playwright``;
every other request goes through the wire-capturing handler, so turning the option on changes
nothing for pages fetched as usual. ``BrowserPageMiddleware`` sits just above the WARC middleware:
while the page is still open it collects what the WARC needs (the document as the browser
received it, the rendered DOM, a screenshot), hands it over in ``request.meta["browser_capture"]``
and closes the page.
"""

from __future__ import annotations

import asyncio
import functools
import logging

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from archive.middleware import BROWSER_CAPTURE_KEY
from archive.wire import WireHTTPDownloadHandler

logger = logging.getLogger(__name__)
_DOCUMENT = "_browser_document"


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._wire = WireHTTPDownloadHandler(crawler)

    async def download_request(self, request):
        if request.meta.get("playwright"):
            return await super().download_request(request)
        return await self._wire.download_request(request)

    async def close(self) -> None:
        try:
            await self._wire.close()
        finally:
            await super().close()


def _on_response(holder: dict, response) -> None:
    """Page event: keep the last main-frame navigation response (redirects come first)."""
    try:
        request = response.request
        if request.is_navigation_request() and response.frame == response.frame.page.main_frame:
            holder["task"] = asyncio.ensure_future(_document(response))
    except Exception:  # noqa: BLE001 - a page event must never break the fetch
        logger.debug("browser: could not follow a response of %s", getattr(response, "url", "?"), exc_info=True)


async def _document(response) -> dict:
    headers = await response.headers_array()
    request_headers = await response.request.headers_array()
    try:
        body = await response.body()
    except Exception:  # noqa: BLE001 - a redirect or an aborted load has no body
        body = b""
    try:
        server = await response.server_addr()
    except Exception:  # noqa: BLE001
        server = None
    return {"url": response.url, "status": response.status, "reason": response.status_text or "",
            "headers": [(h["name"], h["value"]) for h in headers], "body": body,
            "method": response.request.method,
            "request_headers": [(h["name"], h["value"]) for h in request_headers],
            "ip": (server or {}).get("ipAddress")}


class BrowserPageMiddleware:
    """Collects a browser capture's parts for the WARC middleware, then closes the page."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.screenshot = crawler.settings.getbool("NEWSARCHIVE_BROWSER_SCREENSHOT", True)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        if request.meta.get("playwright") and _DOCUMENT not in request.meta:
            holder: dict = {}
            request.meta[_DOCUMENT] = holder
            handlers = dict(request.meta.get("playwright_page_event_handlers") or {})
            handlers["response"] = functools.partial(_on_response, holder)
            request.meta["playwright_page_event_handlers"] = handlers
        return None

    async def process_response(self, request, response, spider=None):
        page = request.meta.pop("playwright_page", None)
        holder = request.meta.pop(_DOCUMENT, None) or {}
        if page is None:
            return response
        document, screenshot = None, None
        try:
            if "task" in holder:
                document = await holder["task"]
            if self.screenshot:
                screenshot = await page.screenshot(type="png")
        except Exception as exc:  # noqa: BLE001 - keep what was captured
            logger.warning("browser capture of %s incomplete: %s", request.url, exc)
        finally:
            await page.close()
        self.stats.inc_value("browser/pages")
        request.meta[BROWSER_CAPTURE_KEY] = {"document": document, "dom": response.body, "screenshot": screenshot}
        return response

    async def process_exception(self, request, exception, spider=None):
        page = request.meta.pop("playwright_page", None)
        if page is not None:
            await page.close()
        self.stats.inc_value("browser/failed")
        return None
