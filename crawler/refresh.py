"""Incremental re-crawls: known article pages are refetched on a back-off, not every run.

Feeds, sitemaps and listing pages change all the time and are always fetched; an article is
fetched again only when its refresh policy says so (by default 1 h, 6 h, 1 d and 7 d after the
previous fetch, then never), so a daily run of an unchanged site costs a small fraction of the
first.  The state is the dataset itself: how many times each article URL was captured, and when
last.  Non-HTML assets (images, PDFs) already captured are not fetched again.  Skipped
requests never reach the downloader, so nothing is archived for them.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from archive.location import archive_location
from crawler.jobs.jobfile import parse_duration
from crawler.dataset.connection import connect_ro
from crawler.dataset.errors import DatasetError

logger = logging.getLogger(__name__)


def parse_backoff(value) -> list[float]:
    if isinstance(value, (list, tuple)):
        steps = value
    else:
        steps = [s for s in str(value).split(",") if s.strip()]
    return [parse_duration(s) for s in steps]


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


RETIRED = 10**9  # a capture count past any back-off: never fetched again

# Captured with one of these types, a URL is a page or a discovery document, never "an asset".
PAGE_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml",
              "application/rss+xml", "application/atom+xml", "text/plain")


class CaptureHistory:
    """How many times a URL was captured before this run, and when last: one indexed lookup per
    request (captures by URL, articles by URL), so a run costs what it requests, not the whole
    dataset loaded at its start however many years it holds."""

    def __init__(self, db_path: Path, before: datetime):
        self.conn = None
        self.before = before.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # captures of this run do not count
        if not db_path.exists():
            return
        try:
            self.conn = connect_ro(db_path)
            self.conn.execute("SELECT 1 FROM captures JOIN articles ON 0").fetchall()
        except (DatasetError, sqlite3.Error) as exc:
            logger.warning("refresh policy off: cannot read %s (%s)", db_path, exc)
            self.close()

    def state(self, url: str) -> tuple[int, datetime] | None:
        """(2xx captures, last capture time) of a known article; (RETIRED, time) of an asset."""
        if self.conn is None:
            return None
        others = ",".join("?" * len(PAGE_TYPES))
        try:
            count, last, assets = self.conn.execute(
                f"SELECT COUNT(*), MAX(fetched_at), SUM(mime IS NOT NULL AND mime NOT IN ({others})) "
                "FROM captures WHERE url = ? AND status BETWEEN 200 AND 299 AND fetched_at < ?",
                (*PAGE_TYPES, url, self.before)).fetchone()
            if not count:
                return None
            article = self.conn.execute("SELECT 1 FROM articles WHERE url = ?", (url,)).fetchone()
        except sqlite3.Error as exc:
            logger.warning("refresh policy off: %s", exc)
            self.close()
            return None
        when = _parse_time(last)
        if when is None:
            return None
        if article:
            return count, when
        return (RETIRED, when) if assets else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def due(count: int, last: datetime, now: datetime, backoff: list[float]) -> bool:
    """After the n-th capture the article waits ``backoff[n-1]``; past the last step it retires."""
    if count > len(backoff):
        return False
    return (now - last).total_seconds() >= backoff[max(count, 1) - 1]


class RefreshPolicyMiddleware:
    """Downloader middleware: drops requests for known articles that are not due again."""

    def __init__(self, crawler, db_path: Path, backoff: list[float]):
        self.crawler = crawler
        self.db_path = db_path
        self.backoff = backoff
        self.history: CaptureHistory | None = None
        self.now = datetime.now(timezone.utc)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("REFRESH_ENABLED", False):
            raise NotConfigured
        archive = archive_location(settings.get("NEWSARCHIVE_ARCHIVE_DIR"))
        db_path = Path(settings.get("DATASET_DB") or archive / "archive.db")
        mw = cls(crawler, db_path, parse_backoff(settings.get("REFRESH_BACKOFF", "1h,6h,1d,7d")))
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_opened(self, spider):
        self.now = datetime.now(timezone.utc)
        self.history = CaptureHistory(self.db_path, self.now)

    def spider_closed(self, spider):
        if self.history is not None:
            self.history.close()

    def process_request(self, request, spider=None):
        if self.history is None or request.meta.get("refresh_force"):
            return None
        state = self.history.state(request.url)
        if state is None:
            return None
        count, last = state
        if due(count, last, self.now, self.backoff):
            self.crawler.stats.inc_value("refresh/due")
            return None
        self.crawler.stats.inc_value("refresh/skipped")
        why = "asset already captured" if count >= RETIRED else f"known article not due again ({count} captures)"
        raise IgnoreRequest(f"refresh policy: {why}")
