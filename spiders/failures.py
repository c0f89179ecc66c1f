"""Naming expected fetch failures, and keeping each to one log line.

A crawl of the open web meets dead hosts, timeouts and refusals all the time; they are facts to
count, not bugs, so they get a stable stats reason and one short log line.  Scrapy's own
RobotsTxtMiddleware logs an unreachable robots.txt with a full traceback; ``quiet_robots_errors``
turns exactly those records into one INFO line (unexpected errors keep their traceback): the
pages of an unreachable site fail too, and are reported as such. Scrapy's RetryMiddleware says
"Gave up retrying" at ERROR for what the spider reports once, as a page failure or the crawl's
``Error:`` line; that goes to INFO as well.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
RETRY_LOGGER = "scrapy.downloadermiddlewares.retry"


def _exc_types(*names):
    """Exception classes by name from Scrapy 2.14+ and Twisted, skipping any a version lacks."""
    import scrapy.exceptions as se
    from twisted.internet import error as tx
    from twisted.web import _newclient as nc

    found = []
    for name in names:
        for module in (se, tx, nc):
            if isinstance(getattr(module, name, None), type):
                found.append(getattr(module, name))
    return tuple(found)


_FAILURES = None


def failure_reason(exc: BaseException) -> tuple[str, str]:
    """(stats reason, short text) for a failed request; the names are stable for dashboards."""
    global _FAILURES  # noqa: PLW0603 - a lazily built lookup table, not configuration
    if _FAILURES is None:
        _FAILURES = [
            ("dns", "DNS lookup failed", _exc_types("CannotResolveHostError", "DNSLookupError")),
            ("timeout", "timed out", _exc_types("DownloadTimeoutError", "TimeoutError", "TCPTimedOutError")),
            ("refused", "connection refused", _exc_types("DownloadConnectionRefusedError", "ConnectionRefusedError")),
            ("too_large", "response larger than DOWNLOAD_MAXSIZE", _exc_types("DownloadCancelledError")),
            ("unsupported", None, _exc_types("UnsupportedURLSchemeError", "NotSupported")),
            ("data_loss", None, _exc_types("ResponseDataLossError")),
            ("connection", None, _exc_types("DownloadFailedError", "ResponseNeverReceived", "ResponseFailed",
                                            "ConnectionLost", "ConnectionDone", "ConnectError")),
        ]
    message = " ".join(str(exc).split())[:200]
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in message:
            return "robots", "forbidden by robots.txt"
        if "offsite" in message.lower():
            return "offsite", message
        if message.startswith("refresh policy"):
            return "refresh", message  # a known article not due again: skipped on purpose
        if message.startswith("host paused"):
            return "paused", message  # the host kept failing; said once, by crawler.politeness
        if message.startswith("not archived:"):
            return "not_archived", message  # the archive failed; said once, by the WARC middleware
        return "ignored", message or "ignored"
    if _is_tls(exc):
        return "tls", f"TLS failed: {message}" if message else "TLS failed"
    for reason, text, types in _FAILURES:
        if types and isinstance(exc, types):
            return reason, text or message or reason.replace("_", " ")
    return "other", f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _is_tls(exc: BaseException) -> bool:
    """A handshake or certificate failure, raised as is or inside Twisted's ``reasons`` list."""
    try:
        from OpenSSL.SSL import Error as SSLError
    except ImportError:  # pragma: no cover - pyOpenSSL comes with Scrapy
        SSLError = ()  # noqa: N806
    found = [exc, *(getattr(r, "value", r) for r in getattr(exc, "reasons", None) or ())]
    return any(isinstance(e, SSLError) or type(e).__name__ in ("SSLError", "CertificateError",
                                                                "VerificationError") for e in found)


class _OneLineRobotsErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        reason, text = failure_reason(exc)
        if reason == "other":
            return True
        request = record.args.get("request") if isinstance(record.args, dict) else None
        parts = urlsplit(getattr(request, "url", "") or "")
        record.msg = "robots.txt not fetched: %s %s"
        record.args = (f"{parts.scheme}://{parts.netloc}/robots.txt", text)
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.INFO, "INFO"
        return record.levelno >= logger_level(record.name)


class _RetriesAtInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, "INFO"
        return record.levelno >= logger_level(record.name)


def logger_level(name: str) -> int:
    """The level a record of ``name`` must reach now that its level was lowered after the
    logger's own check (Scrapy's handler sits on the root logger, at LOG_LEVEL)."""
    root = logging.getLogger()
    levels = [h.level for h in root.handlers if h.level] or [root.level]
    return min(levels)


def quiet_robots_errors() -> None:
    """Install the one-line filter on Scrapy's robots.txt logger (once per process)."""
    for name, kind in ((ROBOTS_LOGGER, _OneLineRobotsErrors), (RETRY_LOGGER, _RetriesAtInfo)):
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())
