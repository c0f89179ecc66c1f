"""Crawl observability: a live progress line for people at a terminal.

Scrapy's LogStats prints a log line a minute; an archivist watching a crawl wants to see pages,
articles, bytes and errors move. The line is drawn on stderr only when ``NEWSARCHIVE_PROGRESS``
is on (the CLI turns it on for terminals), so ``scrapy crawl`` logs stay as Scrapy users expect.
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from archive.location import archive_location
from archive.middleware import warc_writer
from crawler.accounting import error_count, pages_fetched  # noqa: F401 - also imported from here


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def progress_line(stats: dict, elapsed: float) -> str:
    pages = pages_fetched(stats)
    articles = stats.get("store/articles", stats.get("extract/articles", 0))
    rate = pages / elapsed if elapsed > 0 else 0.0
    return (f"pages {pages}  articles {articles}  WARC {human_bytes(stats.get('warc/bytes', 0))}  "
            f"errors {error_count(stats)}  {rate:.1f} pages/s  {elapsed:.0f}s")


class CrawlProgress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.started = None
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSARCHIVE_PROGRESS", False):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(self.interval, now=False)

    def draw(self, end: str = "\r"):
        line = progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        sys.stderr.write("\x1b[2K" + line + end)
        sys.stderr.flush()

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
            self.draw(end="\n")


class ByteLimit:
    """Closes the crawl once ``NEWSARCHIVE_MAX_BYTES`` of responses were downloaded (a job's ``limits.bytes``)."""

    def __init__(self, crawler, limit: int):
        self.crawler = crawler
        self.limit = limit
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler):
        limit = crawler.settings.getint("NEWSARCHIVE_MAX_BYTES", 0)
        if limit <= 0:
            raise NotConfigured
        ext = cls(crawler, limit)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        return ext

    def response_received(self, response, request, spider):
        if self.closing:
            return
        if (self.crawler.stats.get_value("downloader/response_bytes", 0) or 0) >= self.limit:
            self.closing = True
            from scrapy.utils.defer import _schedule_coro

            _schedule_coro(self.crawler.engine.close_spider_async(reason="bytes_limit"))


class PostCrawlChecks:
    """After every crawl, however started (``newsarchive`` or ``scrapy crawl``): index the WARC
    files this crawl wrote (and any an earlier crash left unindexed; never the WARCs already
    indexed) and verify them, before anyone calls the crawl a success.

    Problems are logged one per line and added to the WARC writer's ``problems``, which the runner
    turns into the crawl's result (and the CLI into its exit status); the ``archive/problems`` stat
    counts them.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED", True) or \
                not crawler.settings.getbool("NEWSARCHIVE_POST_CRAWL_CHECKS", True):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_stopped(self):
        import logging

        from archive.index import update_index
        from archive.verify import verify_files

        log = logging.getLogger(__name__)
        writer = warc_writer(self.crawler)
        if writer is not None:
            writer.close_files()  # idempotent: the files must be closed before they are checked
        files = writer.paths_written() if writer is not None else []
        if not files:
            return
        problems = []
        archive = archive_location(self.crawler.settings.get("NEWSARCHIVE_ARCHIVE_DIR"))
        try:
            if not writer.failed:  # else nothing can be written there: the next run indexes
                update_index(archive, merge_at=self.crawler.settings.getint("NEWSARCHIVE_INDEX_MERGE_AT", 16))
        except Exception as exc:  # the WARCs are safe; the index can be rebuilt with `newsarchive index`
            problems.append(f"indexing failed: {exc}")
        problems.extend(verify_files(archive, files).problems)
        for problem in problems:
            log.error("archive problem: %s", problem)
        self.crawler.stats.set_value("archive/verified_files", len(files))
        writer.problems.extend(problems)
        self.crawler.stats.set_value("archive/problems", len(problems))
