"""Naming expected fetch failures, and keeping each to one log line.

A crawl of the open web meets dead hosts, timeouts and refusals all the time; they are facts to
count, not bugs, so they get a stable stats reason and one short log line.  Scrapy's own
RobotsTxtMiddleware logs an unreachable robots.txt with a full traceback; ``quiet_robots_errors``
turns exactly those records into one warning line (unexpected errors keep their traceback).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"


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
        return "ignored", message or "ignored"
    for reason, text, types in _FAILURES:
        if types and isinstance(exc, types):
            return reason, text or message or reason.replace("_", " ")
    return "other", f"{type(exc).__name__}: {message}" if message else type(exc).__name__


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
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_robots_errors() -> None:
    """Install the one-line filter on Scrapy's robots.txt logger (once per process)."""
    logger = logging.getLogger(ROBOTS_LOGGER)
    if not any(isinstance(f, _OneLineRobotsErrors) for f in logger.filters):
        logger.addFilter(_OneLineRobotsErrors())
