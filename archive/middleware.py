"""The downloader middleware that writes every HTTP exchange to WARC.

It sits at priority 950, above compression (590), redirects (600) and cookies (700), so it sees
the response as received (still gzip-encoded, redirects not yet followed) and the request with
the Cookie header actually sent. Failed fetches become ``metadata`` records, never silence.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from http.client import responses as REASONS
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from archive import warc_records as R
from archive.capture import Capture
from archive.dedup import DigestIndex
from archive.location import archive_location
from archive.signals import capture_archived, capture_metadata
from archive.testpoints import testpoint
from archive.writer import WarcFileWriter

logger = logging.getLogger(__name__)

NO_BODY_STATUSES = {204, 304}
# request.meta key of a browser capture (``crawler.browser``): {"document": {url, status, reason,
# headers, body, method, request_headers, ip} or None, "dom": bytes, "screenshot": bytes or None}
BROWSER_CAPTURE_KEY = "browser_capture"


def _s(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def rebuild_request_block(request) -> bytes:
    """The request as Scrapy sent it; Twisted adds Host itself, so it is added here."""
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [f"{request.method} {target} HTTP/1.1"]
    names = {_s(k).lower() for k in request.headers.keys()}
    if "host" not in names:
        lines.append(f"Host: {parts.netloc}")
    for key, values in request.headers.items():
        for value in values:
            lines.append(f"{_s(key)}: {_s(value)}")
    body = request.body or b""
    if body and "content-length" not in names:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def rebuild_response_block(response, method: str = "GET") -> bytes:
    """The response as Twisted parsed it, made self-consistent per WARC 1.1 §6.3.2.

    Twisted has already removed chunk framing, so any Transfer-Encoding is renamed and a
    Content-Length matching the stored body is set, or replay tools would misread the body.
    """
    status = int(response.status)
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    if not protocol.upper().startswith("HTTP/1"):
        protocol = "HTTP/1.1"  # HTTP/2 has no status line of its own; store the 1.1 form
    body = response.body or b""
    lines = [f"{protocol} {status} {REASONS.get(status, '')}".rstrip()]
    has_length = False
    for key, values in response.headers.items():
        name = _s(key)
        lower = name.lower()
        for value in values:
            value = _s(value)
            if lower == "transfer-encoding":
                lines.append(f"X-Archive-Orig-Transfer-Encoding: {value}")
                continue
            if lower == "content-length":
                keep = method == "HEAD" or status in NO_BODY_STATUSES or value.strip() == str(len(body))
                if not keep:
                    lines.append(f"X-Archive-Orig-Content-Length: {value}")
                    continue
                has_length = True
            lines.append(f"{name}: {value}")
    if not has_length and method != "HEAD" and status not in NO_BODY_STATUSES:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _mime(response) -> str | None:
    value = response.headers.get(b"Content-Type")
    if not value:
        return None
    return _s(value).split(";", 1)[0].strip().lower() or None


def warc_writer(crawler) -> WarcWriterMiddleware | None:
    """The crawl's WARC middleware, or None when the crawl does not archive (``WARC_ENABLED`` off).

    The one way other components reach it: the pipelines write metadata records through it, and
    the post-crawl checks and the runner ask it which files it wrote and whether it failed.
    """
    return getattr(crawler, "_newsarchive_warc_writer", None)


class WarcWriterMiddleware:
    """Writes request+response pairs (or revisits); other components reach it through ``warc_writer(crawler)``."""

    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED", True):
            raise NotConfigured("WARC_ENABLED is off")
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive_dir = str(archive_location(settings.get("NEWSARCHIVE_ARCHIVE_DIR")))
        self.warc_dir = settings.get("WARC_DIR") or os.path.join(self.archive_dir, "warcs")
        self.capture_mode = (settings.get("WARC_CAPTURE", "wire") or "wire").lower()
        if self.capture_mode not in ("rebuilt", "wire"):
            raise ValueError(f"WARC_CAPTURE must be 'rebuilt' or 'wire', not {self.capture_mode!r}")
        self.dedup_enabled = settings.getbool("WARC_DEDUP", True)
        self._settings = settings
        self.writer: WarcFileWriter | None = None
        self.digests: DigestIndex | None = None
        self.failed: str | None = None
        self.problems: list[str] = []  # what the post-crawl checks found in the files written
        self._closing = False
        crawler._newsarchive_warc_writer = self  # read by warc_writer(crawler) only
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        # a pipeline may still write metadata while the spider closes: close again at the very end
        crawler.signals.connect(self.spider_closed, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    # -- lifecycle ------------------------------------------------------------
    def _ensure_open(self, spider=None) -> WarcFileWriter:
        if self.writer is None:
            s = self._settings
            job = s.get("WARC_JOB_NAME", "") or (spider.name if spider is not None else "")
            info = R.warcinfo_fields(
                operator=s.get("WARC_OPERATOR", ""),
                contact=s.get("NEWSARCHIVE_CONTACT_URL", ""),
                job_name=job,
                robots="obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore",
                user_agent=s.get("USER_AGENT", ""),
                capture_mode=self.capture_mode,
            )
            self.writer = WarcFileWriter(
                self.warc_dir,
                prefix=s.get("WARC_PREFIX", "newsarchive"),
                max_size=s.getint("WARC_MAX_SIZE", 1024**3),
                warcinfo=info,
                worker=s.get("WARC_WORKER_ID", None),
                fsync=s.getbool("WARC_FSYNC", False),
                on_close=self._index_closed,
            )
        if self.dedup_enabled and self.digests is None:
            db = self._settings.get("WARC_DEDUP_DB") or os.path.join(self.archive_dir, "archive.db")
            try:
                self.digests = DigestIndex(db)
            except sqlite3.Error as exc:
                self._dedup_failed(exc)
        return self.writer

    def _index_closed(self, path: str) -> None:
        """Each WARC gets its own CDXJ as soon as it is closed (archive/index.py), in a thread so a
        rotation does not stall the crawl. A file whose indexing fails or is cut short by a kill
        is indexed by the next index update (every crawl's end, `newsarchive index`)."""
        if os.path.dirname(os.path.abspath(path)) != os.path.abspath(os.path.join(self.archive_dir, "warcs")):
            return  # a WARC_DIR elsewhere is not part of the archive's index
        if self.failed is not None:
            return  # nothing can be written there now; the next run's index update covers it
        from twisted.internet import reactor

        from archive.index import index_warc

        def run():
            try:
                index_warc(self.archive_dir, path)
            except Exception as exc:  # the WARC is safe; the next update indexes it
                logger.warning("indexing %s failed (%s); `newsarchive index` will retry", path, exc)

        if reactor.running and not self._closing:
            reactor.callInThread(run)
        else:
            run()

    def spider_opened(self, spider):
        try:
            self._ensure_open(spider)
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
        testpoint("startup")

    def _dedup_failed(self, exc):
        """Dedup is an optimisation: without its index every response is simply stored in full."""
        logger.error("dedup digest index unusable (%s); storing full responses from now on", exc)
        self.stats.inc_value("warc/dedup_errors")
        digests, self.digests, self.dedup_enabled = self.digests, None, False
        if digests is not None:
            try:
                digests.conn.close()
            except sqlite3.Error:
                pass
        return None

    def _fail(self, exc) -> None:
        """An archiver that cannot write must not go on crawling: stop, with one clear line."""
        if self.failed is None:
            self.failed = f"cannot write the archive under {self.archive_dir}: {exc}"
            logger.error("%s; stopping the crawl", self.failed)
            self.stats.set_value("warc/write_error", self.failed)
            try:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))
            except Exception:  # engine not running (yet): nothing to stop
                pass

    def close_files(self) -> None:
        """Close the current file (idempotent); it is indexed at once, before the post-crawl checks."""
        self._closing = True
        if self.writer is not None:
            self.writer.close()

    def spider_closed(self, spider=None, reason=None):
        self.close_files()
        if self.writer is not None:
            self.stats.set_value("warc/files", len(self.writer.files_written))
        if self.digests is not None:
            digests, self.digests = self.digests, None
            try:
                digests.close()
            except sqlite3.Error as exc:
                if self.failed is None:  # else the next run's recovery re-reads the digests anyway
                    logger.error("could not save the dedup digest index: %s (rebuild it from the WARCs)", exc)

    def paths_written(self) -> list[str]:
        """Every WARC file this crawl wrote, by its final name (``.open`` until it is closed)."""
        if self.writer is None:
            return []
        return [os.path.join(self.writer.directory, name) for name in self.writer.files_written]

    # -- writing --------------------------------------------------------------
    def _count(self, pointers):
        for p in pointers:
            self.stats.inc_value("warc/records")
            self.stats.inc_value(f"warc/records/{p['rec_type']}")
            self.stats.inc_value("warc/bytes", p["length"])
        if self.writer is not None:
            self.stats.set_value("warc/files", len(self.writer.files_written))

    def _blocks(self, request, response):
        """(request block, response block, ip, truncated, mode) for this exchange."""
        wire = request.meta.get("warc_wire") if self.capture_mode == "wire" else None
        if wire is not None and getattr(wire, "response_bytes", None):
            return wire.request_bytes or b"", wire.response_bytes, wire.ip, wire.truncated, "wire"
        if self.capture_mode == "wire":
            self.stats.inc_value("warc/wire_fallback")
        ip = getattr(response, "ip_address", None)
        return (
            rebuild_request_block(request),
            rebuild_response_block(response, request.method),
            str(ip) if ip else None,
            None,
            "rebuilt",
        )

    def _browser_blocks(self, request, response, browser: dict):
        """(request block, response block, ip) of a browser capture: the document as the browser
        received it (decoded), or, when the browser reported none, the response Scrapy got."""
        doc = browser.get("document")
        if not doc:
            return rebuild_request_block(request), rebuild_response_block(response, request.method), None
        return (R.browser_request_block(doc["url"], doc.get("method") or "GET", doc.get("request_headers") or []),
                R.browser_response_block(doc["status"], doc.get("reason") or REASONS.get(doc["status"], ""),
                                         doc.get("headers") or [], doc.get("body") or b""),
                doc.get("ip"))

    def _browser_resources(self, url: str, browser: dict, response_id: str, date: str) -> list:
        """The rendered DOM and the screenshot, linked to the response record (``urn:dom:``,
        ``urn:view:`` targets, as Browsertrix names its page resources)."""
        out = []
        mode = [("WARC-Capture-Mode", "browser")]
        if browser.get("dom"):
            out.append(R.resource_record(f"urn:dom:{url}", browser["dom"], "text/html; charset=utf-8",
                                         concurrent_to=response_id, date=date, extra_headers=mode))
        if browser.get("screenshot"):
            out.append(R.resource_record(f"urn:view:{url}", browser["screenshot"], "image/png",
                                         concurrent_to=response_id, date=date, extra_headers=mode))
        self.stats.inc_value("warc/browser_captures")
        return out

    def process_response(self, request, response, spider=None):
        spider = spider or self.crawler.spider
        if "cached" in response.flags or urlsplit(response.url).scheme not in ("http", "https"):
            return response
        try:
            writer = self._ensure_open(spider)
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            raise IgnoreRequest(f"not archived: {self.failed}") from None
        browser = request.meta.pop(BROWSER_CAPTURE_KEY, None)
        if browser is not None:
            req_block, resp_block, ip = self._browser_blocks(request, response, browser)
            truncated, mode = None, "browser"
        else:
            req_block, resp_block, ip, truncated, mode = self._blocks(request, response)
        extra = [("WARC-Capture-Mode", mode)] if mode != self.capture_mode else None
        url = response.url
        req_id, resp_id = R.new_record_id(), R.new_record_id()
        date = R.warc_date()
        payload = R.entity_body(resp_block)
        digest = R.sha1_digest(payload)
        original = None
        # A browser capture is never a revisit, nor an original for one: its body is decoded.
        dedup = self.digests is not None and not truncated and mode != "browser"
        if dedup and payload:
            try:
                latest = self.digests.latest(url)
            except sqlite3.Error as exc:
                latest = self._dedup_failed(exc)
            if latest is not None and latest["payload_digest"] == digest:
                original = latest
        if original is not None:
            main = R.revisit_record(
                url, resp_block, refers_to_id=original["record_id"], refers_to_url=original["url"],
                refers_to_date=original["warc_date"], digest=digest, record_id=resp_id, date=date,
                ip=ip, concurrent_to=req_id, extra_headers=extra,
            )
        else:
            main = R.http_record(
                "response", url, resp_block, record_id=resp_id, date=date, ip=ip,
                concurrent_to=req_id, truncated=truncated, extra_headers=extra, digest=digest,
            )
        req = R.http_record(
            "request", request.url, req_block, record_id=req_id, date=date, ip=ip,
            concurrent_to=resp_id, extra_headers=extra,
        )
        records = [main, req]
        if browser is not None:
            records += self._browser_resources(url, browser, resp_id, date)
        fields = self._capture_fields(request, response, spider)
        if fields:
            records.append(R.metadata_record(url, fields, concurrent_to=resp_id, date=date))
        try:
            pointers = writer.write(records)
        except OSError as exc:
            self.stats.inc_value("warc/write_errors")
            self._fail(exc)
            raise IgnoreRequest(f"not archived: {self.failed}") from None
        self._count(pointers)
        testpoint("response")  # in the WARC, not yet in the digest index nor the dataset
        ptr = pointers[0]
        if original is not None:
            self.stats.inc_value("warc/revisits")
        elif dedup:
            try:
                self.digests.add(url, digest, resp_id, date, ptr["filename"], ptr["offset"])
            except sqlite3.Error as exc:
                self._dedup_failed(exc)
        capture = Capture(
            url=url, status=int(response.status), mime=_mime(response), fetched_at=date,
            filename=ptr["filename"], offset=ptr["offset"], length=ptr["length"], record_id=resp_id,
            payload_digest=digest, revisit=original is not None,
            refers_to=({"record_id": original["record_id"], "url": original["url"], "date": original["warc_date"]}
                       if original is not None else None),
            ip=ip, truncated=truncated, request_record_id=req_id,
        )
        request.meta["warc"] = capture
        # The raw bytes are in the WARC now; do not carry them along with the response (memory).
        request.meta.pop("warc_wire", None)
        self.crawler.signals.send_catch_log(
            signal=capture_archived, capture=capture, request=request, response=response, spider=spider,
            metadata=fields,
        )
        return response

    def process_exception(self, request, exception, spider=None):
        spider = spider or self.crawler.spider
        if isinstance(exception, IgnoreRequest):
            return None  # robots.txt, offsite and filters: a decision, not a failed fetch
        if urlsplit(request.url).scheme not in ("http", "https"):
            return None
        try:
            writer = self._ensure_open(spider)
        except (OSError, sqlite3.Error) as exc:
            logger.error("not archived: failed fetch of %s (%s)", request.url, exc)
            return None
        error = f"{type(exception).__name__}: {exception}".strip().rstrip(":")
        date = R.warc_date()
        records = []
        meta_id = R.new_record_id()
        wire = request.meta.pop("warc_wire", None) if self.capture_mode == "wire" else None
        if wire is not None and getattr(wire, "request_bytes", None):
            # what the socket did see is kept; nothing is invented for what it did not
            ip = getattr(wire, "ip", None)
            req_id = R.new_record_id()
            partial = getattr(wire, "response_bytes", b"")
            if partial and getattr(wire, "truncated", None):
                # a size limit, timeout or disconnect cut the response: keep what arrived, marked
                resp_id = R.new_record_id()
                records.append(R.http_record("response", request.url, partial, record_id=resp_id, date=date,
                                             ip=ip, concurrent_to=req_id, truncated=wire.truncated))
                self.stats.inc_value(f"warc/truncated/{wire.truncated}")
            records.append(R.http_record("request", request.url, wire.request_bytes, record_id=req_id,
                                         date=date, ip=ip, concurrent_to=meta_id))
        fields = {
            "url": request.url,
            "method": request.method,
            "fetch-status": "failed",
            "error-class": f"{type(exception).__module__}.{type(exception).__name__}",
            "error-message": str(exception),
            "time": date,
        }
        described = self._capture_fields(request, None, spider)
        fields.update({k: v for k, v in (described or {}).items() if k not in fields})
        meta = R.metadata_record(request.url, fields, record_id=meta_id, date=date,
                                 concurrent_to=[r.record_id for r in records])
        try:
            pointers = writer.write([meta] + records)
        except OSError as exc:
            self.stats.inc_value("warc/write_errors")
            logger.error("not archived: failed fetch of %s (%s)", request.url, exc)
            return None
        self._count(pointers)
        self.stats.inc_value("warc/failures")
        ptr = pointers[0]
        capture = Capture(
            url=request.url, status=None, mime=None, fetched_at=date, filename=ptr["filename"],
            offset=ptr["offset"], length=ptr["length"], record_id=meta_id,
            ip=getattr(wire, "ip", None) if wire is not None else None, error=error,
        )
        request.meta["warc"] = capture
        self.crawler.signals.send_catch_log(
            signal=capture_archived, capture=capture, request=request, response=None, spider=spider,
            metadata=described,
        )
        return None

    def _capture_fields(self, request, response, spider) -> dict | None:
        """The warc-fields ``capture_metadata``'s receivers give for this exchange, merged (a
        receiver that fails is logged by Scrapy and adds nothing); None when there are none."""
        fields: dict = {}
        for _, found in self.crawler.signals.send_catch_log(
                signal=capture_metadata, request=request, response=response, spider=spider):
            if isinstance(found, dict):
                fields.update((k, v) for k, v in found.items() if v not in (None, "", [], ()))
        return fields or None

    def write_metadata(self, url: str, fields: dict, concurrent_to: str | None = None) -> dict:
        """A ``metadata`` record (e.g. outlinks, extraction status) tied to a response record."""
        writer = self._ensure_open()
        record = R.metadata_record(url, fields, concurrent_to=concurrent_to)
        pointer = writer.write_record(record)
        self._count([pointer])
        return {k: pointer[k] for k in ("filename", "offset", "length", "record_id")}
