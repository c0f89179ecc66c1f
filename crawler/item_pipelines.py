"""Item pipelines: extraction, then the SQLite dataset.

Extraction is CPU-bound and runs in the crawl's process pool (``crawler.workers``) so the reactor
thread keeps downloading while pages are parsed. The news spider already
extracts its articles there, from the parse it needs anyway; ``WarcMetadataPipeline`` extracts what
arrives without an ``article`` and, for every article, writes its WARC metadata record.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from twisted.internet import task

from archive.capture import Capture
from archive.location import archive_location
from archive.middleware import warc_writer
from crawler.accounting import verdict_keys
from crawler.provenance import article_columns, fields_columns
from crawler.extract import extract_dict
from crawler.dataset.errors import DatasetError
from crawler.workers import PagePool, WorkerCrashed

logger = logging.getLogger(__name__)


def archive_dir(settings) -> Path:
    return archive_location(settings.get("NEWSARCHIVE_ARCHIVE_DIR"))


class WarcMetadataPipeline:
    """Writes each article's WARC metadata record beside its response (outlinks, extractor version,
    outcome, verdict), counts the outcomes, and drops the HTML; an item that arrives without an
    ``article`` (from a spider other than ``news``) is extracted first, in the page pool."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("EXTRACT_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    async def process_item(self, item, spider=None):
        article = item.get("article")
        if article is None:
            body = item.get("body")
            if not body:
                raise DropItem(f"no body to extract: {item.get('url')}")
            # a function of crawler.extract crosses the process boundary: the worker never has to
            # import this module (and with it Scrapy and Twisted)
            try:
                article = await PagePool.of(self.crawler).run(
                    extract_dict, body, item["url"], item.get("headers") or {}, item.get("fetched_at"))
            except WorkerCrashed as exc:
                raise DropItem(f"not extracted: {item.get('url')} ({exc})") from None
            item["article"] = article
        item["body"] = None
        self.stats.inc_value("extract/articles")
        if article.get("warnings"):
            self.stats.inc_value("extract/warnings")
        if not article.get("body"):
            self.stats.inc_value("extract/empty_body")
        for key in verdict_keys(article):  # the crawl summary and status say how many are suspect
            self.stats.inc_value(key)
        self.write_metadata_record(item, article)
        return item

    def write_metadata_record(self, item, article: dict) -> None:
        """A WARC ``metadata`` record beside the response: what we found on the page and how.

        It keeps the archive self-describing without the dataset: outlinks, the extractor
        version and the extraction outcome travel with the capture."""
        writer = warc_writer(self.crawler)
        capture = item.get("warc")
        if writer is None or capture is None or capture.record_id is None:
            return
        status = "warnings" if article.get("warnings") else ("ok" if article.get("body") else "empty")
        fields = {
            "extraction-status": status,
            "extractor-version": article.get("extractor_version"),
            "headline": article.get("headline"),
            "word-count": article.get("word_count"),
            "extraction-verdict": article.get("verdict"),
            "verdict-reason": article.get("verdict_reasons") or None,
            "warning": article.get("warnings") or None,
            "outlink": item.get("outlinks") or None,
        }
        # how the crawl found the page is in the capture's own metadata record (CaptureProvenance)
        if writer.failed:
            return  # the archive cannot be written; that was said once
        try:
            writer.write_metadata(item["url"], fields, concurrent_to=capture.record_id)
        except OSError as exc:
            logger.error("could not write the metadata record of %s: %s", item["url"], exc)


def dataset_pipeline(crawler) -> DatasetPipeline | None:
    """The crawl's dataset pipeline, or None when it writes no dataset (``DATASET_ENABLED`` off).

    The one way other components reach it: the runner asks it, after the crawl, which ``crawls``
    row it wrote (``crawl_id``), where the stats would otherwise carry it."""
    return getattr(crawler, "_newsarchive_dataset_pipeline", None)


class DatasetPipeline:
    """Writes captures (from the WARC middleware's signal) and articles to ``archive.db``.

    On the reactor thread, on purpose: ``DatasetWriter`` batches rows, so a page costs ~0.3 ms here.
    A writer thread of its own (SQLite releases the GIL) measured 2 % slower on two cores: the
    threads then trade the GIL at every SQLite call (bench/README.md).
    """

    def __init__(self, crawler, db_path: Path, batch_size: int, flush_seconds: float):
        self.crawler = crawler
        self._noarchive: dict[str, str] = {}  # record id -> "recorded"/"skipped", until its item comes
        self.db_path = db_path
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.writer = None
        self.crawl_id = None
        self._flusher = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("DATASET_ENABLED", True):
            raise NotConfigured
        db = settings.get("DATASET_DB") or archive_dir(settings) / "archive.db"
        pipe = cls(crawler, Path(db), settings.getint("DATASET_BATCH_SIZE", 500),
                   settings.getfloat("DATASET_FLUSH_SECONDS", 2.0))
        from archive.signals import capture_archived

        crawler.signals.connect(pipe.capture_archived, signal=capture_archived)
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        crawler._newsarchive_dataset_pipeline = pipe  # read by dataset_pipeline(crawler) only
        return pipe

    def open_spider(self, spider=None):
        from crawler.dataset.writer import DatasetWriter

        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = DatasetWriter(self.db_path, batch_size=self.batch_size, flush_seconds=self.flush_seconds,
                                  busy_timeout=self.crawler.settings.getfloat("DATASET_BUSY_TIMEOUT", 30.0))
        settings = self.crawler.settings
        spider = spider or self.crawler.spider
        self.crawl_id = self.writer.begin_crawl(
            spider=spider.name,
            job=settings.get("WARC_JOB_NAME") or None,
            args=_spider_args(spider),
        )
        self._flusher = task.LoopingCall(self._call, self.writer.flush)
        self._flusher.start(self.flush_seconds, now=False)

    def _call(self, method, *args) -> None:
        """A batch that cannot be committed (lock timeout, disk full) stays buffered in the writer
        for the next flush; the crawl goes on and the error is said in one line (none when the
        WARC middleware has already said the archive cannot be written)."""
        try:
            method(*args)
        except DatasetError as exc:
            if not self._archive_failed():
                logger.error("dataset: %s (kept, tried again at the next flush)", exc)

    def _archive_failed(self) -> bool:
        writer = warc_writer(self.crawler)
        return bool(writer is not None and writer.failed)

    def capture_archived(self, capture: Capture, request=None, response=None, metadata=None, **kwargs):
        """The capture, with how it was found and its robots directives, read from the fields
        of its WARC metadata record (``crawler.provenance.CaptureProvenance``) as ``reextract``
        reads them, so a rebuilt dataset equals this one."""
        if self.writer is None:
            return
        columns = fields_columns(metadata)
        if columns.get("noarchive"):
            self._noarchive[capture.record_id] = columns["noarchive"]
            self.crawler.stats.inc_value(f"store/noarchive_{columns['noarchive']}")
        self._call(self.writer.add_capture, capture, self.crawl_id, columns)
        self.crawler.stats.inc_value("store/captures")

    def process_item(self, item, spider=None):
        article = item.get("article")
        if article:
            capture = item.get("warc") or Capture.not_archived(item["url"], item.get("fetched_at"))
            noarchive = self._noarchive.pop(capture.record_id, None)
            if noarchive == "skipped":  # NEWSARCHIVE_NOARCHIVE = "skip": the capture says so
                return item
            provenance = article_columns(article, item.get("hints"), item.get("fetched_at"), noarchive)
            self._call(self.writer.add_article, article, capture, self.crawl_id, provenance)
            self.crawler.stats.inc_value("store/articles")
        return item

    def spider_closed(self, spider, reason):
        """Runs after the downloader and pipelines are done, when the finish reason is known."""
        if self._flusher is not None and self._flusher.running:
            self._flusher.stop()
        if self.writer is None:
            return
        writer, self.writer = self.writer, None
        try:
            writer.flush()
            for key, value in writer.counts.items():
                self.crawler.stats.set_value(f"store/{key}", value)
            for error in getattr(writer, "errors", [])[:20]:
                logger.error("dataset: %s", error)
            stats = _jsonable(self.crawler.stats.get_stats())
            writer.end_crawl(self.crawl_id, status=str(reason), stats=stats)
            writer.close()
        except DatasetError as exc:
            # a full disk: the run stays `running`, and the next command that writes this archive
            # reads what the WARCs hold back into the dataset (crawler.recovery)
            if not self._archive_failed():
                logger.error("dataset: %s; the next crawl recovers it from the WARC files", exc)
            writer.abandon()


def _spider_args(spider) -> dict:
    keys = ("start_urls", "sitemap_urls", "feed_urls", "allowed_domains", "include", "exclude",
            "max_depth", "max_pages")
    return {k: getattr(spider, k) for k in keys if getattr(spider, k, None) not in (None, [], "")}


def _jsonable(stats: dict) -> dict:
    out = {}
    for key, value in stats.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, (int, float, str, bool, type(None), list, dict)):
            value = str(value)
        out[key] = value
    return out
