"""A scaled-out worker: the news spider on the shared frontier, its settings, and its end.

``newsarchive worker`` runs ``run_worker``: the worker spider (``spiders/worker.py``) with
scrapy-redis's scheduler and dupefilter on the job's current run (``crawler/scaleout/frontier.py``),
writing WARCs to the archive and its dataset to ``shards/WORKER.db``.
"""

from __future__ import annotations

import json
import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from crawler.scaleout.frontier import Keys, connect, current_run, default_worker_id, frontier_status, run_config

logger = logging.getLogger(__name__)


class FrontierDrainedCloser:
    """Keeps a worker alive while the shared frontier has work or another worker is busy.

    Each worker publishes a heartbeat saying whether it is busy (downloading, parsing or storing).
    An idle worker closes only when the queue and the seed list are empty and every live worker is
    idle, seen on two checks in a row: a busy worker may still add links to the frontier.
    """

    def __init__(self, crawler, server, keys: Keys, worker_id: str, interval: float):
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.worker_id = worker_id
        self.interval = interval
        self.quiet_checks = 0
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("NEWSARCHIVE_REDIS_JOB"):
            raise NotConfigured
        server = connect(s.get("REDIS_URL"))
        keys = Keys(s.get("NEWSARCHIVE_REDIS_JOB"), s.getint("NEWSARCHIVE_REDIS_RUN"))
        ext = cls(crawler, server, keys, s.get("WARC_WORKER_ID") or default_worker_id(),
                  s.getfloat("NEWSARCHIVE_REDIS_HEARTBEAT", 1.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def busy(self) -> bool:
        engine = self.crawler.engine
        try:
            return (not engine.scraper.slot.is_idle() or bool(engine.downloader.active)
                    or engine._start is not None)
        except AttributeError:
            return True  # unknown engine internals: never claim to be idle

    def beat(self, busy: bool | None = None) -> None:
        busy = self.busy() if busy is None else busy
        state = {"busy": busy, "ts": time.time()}
        try:
            self.server.hset(self.keys.workers, self.worker_id, json.dumps(state))
        except Exception as exc:  # a missed heartbeat only delays the end of the crawl
            logger.warning("heartbeat to Redis failed: %s", exc)
        if not busy:
            self.nudge()

    def nudge(self) -> None:
        """Ask the engine for work now: on its own it polls an idle scheduler only every 5 s,
        so late joiners would wait for work and drained workers for their end."""
        try:
            self.crawler.engine._slot.nextcall.schedule()
        except AttributeError:
            pass

    def spider_opened(self, spider):
        self.beat(busy=True)
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(self.interval, now=False)

    def spider_idle(self, spider):
        self.beat(busy=False)
        status = frontier_status(self.server, self.keys)
        others_busy = [w for w, st in status["workers"].items()
                       if w != self.worker_id and st.get("busy") and not st["stale"]]
        if status["queued"] or status["seeds"] or others_busy:
            self.quiet_checks = 0
            raise DontCloseSpider
        self.quiet_checks += 1
        if self.quiet_checks < 2:
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        try:
            self.server.hdel(self.keys.workers, self.worker_id)
        except Exception:  # the heartbeat goes stale on its own
            pass


def worker_settings(redis_url: str, keys: Keys, worker_id: str, archive) -> dict:
    from pathlib import Path

    shard = Path(archive) / "shards" / f"{worker_id}.db"
    return {
        "SCHEDULER": "crawler.scaleout.redis_scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "SCHEDULER_SERIALIZER": "crawler.scaleout.redis_json",
        "REDIS_URL": redis_url,
        "NEWSARCHIVE_REDIS_JOB": keys.job,
        "NEWSARCHIVE_REDIS_RUN": keys.run,
        "WARC_WORKER_ID": worker_id,
        "WARC_JOB_NAME": keys.job,
        "DATASET_DB": str(shard),
        "WARC_DEDUP_DB": str(shard),
        # no EXTENSIONS here: FrontierDrainedCloser is in crawler/settings.py, on by NEWSARCHIVE_REDIS_JOB
    }


def run_worker(redis_url: str, job: str, archive, worker_id: str | None = None,
               settings_overrides: dict | None = None, progress: bool = False, log_level: str | None = None):
    from crawler.runner import run_spider
    from spiders.worker import NewsWorkerSpider

    server = connect(redis_url)
    keys = current_run(server, job)
    config = run_config(server, keys)
    worker_id = worker_id or default_worker_id()
    overrides = {**worker_settings(redis_url, keys, worker_id, archive), **(settings_overrides or {})}
    spider_args = {k: config[k] for k in ("allowed_domains", "include", "exclude", "max_depth", "max_pages")
                   if config.get(k) not in (None, [])}
    return run_spider(NewsWorkerSpider, spider_args, archive, overrides, progress, log_level)
