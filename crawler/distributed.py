"""Scale-out on scrapy-redis: one shared frontier and dupefilter per job run, N workers.

Redis layout, all under ``newsarchive:<job>:``:

- ``run``: the current run number; ``newsarchive seed`` starts a new run, so a recurring crawl
  is never blocked by the previous run's fingerprints (platform notes P20).
- ``<run>:config``: the run's scope (allowed domains, include/exclude, depth), the same for every
  worker whether or not it received seeds.
- ``<run>:seeds``: seed entries (JSON ``{"url", "kind"}``) that the first idle worker takes.
- ``<run>:requests`` and ``<run>:dupefilter``: scrapy-redis's queue and fingerprint set.
- ``<run>:workers``: one heartbeat per worker ``{"busy", "ts"}``.

Workers end when the frontier is empty and no worker is busy, checked twice in a row, rather than
on scrapy-redis's idle timer counted from start (P18).  Requests are queued as JSON, not pickle.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.scheduler import Scheduler as _RedisScheduler
from twisted.internet import task

logger = logging.getLogger(__name__)

PREFIX = "newsarchive"
STALE_SECONDS = 30.0          # a worker silent this long is gone, not busy
OLD_RUN_TTL = 24 * 3600       # fingerprints of a finished run linger this long, then expire


class FrontierError(Exception):
    """A problem with the shared frontier the user can fix (no run seeded, Redis unreachable)."""


def connect(redis_url: str):
    import redis

    server = redis.Redis.from_url(redis_url, socket_timeout=30, socket_connect_timeout=10,
                                  decode_responses=True)
    try:
        server.ping()
    except redis.AuthenticationError as exc:
        raise FrontierError(f"Redis refused the password: {exc}") from None
    except redis.ResponseError as exc:
        raise FrontierError(f"Redis said: {exc} (give the password in the URL: redis://:PASSWORD@host:port/db)") from None
    except redis.RedisError as exc:
        raise FrontierError(f"cannot reach Redis at {_safe(redis_url)}: {exc}") from None
    return server


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


class Keys:
    def __init__(self, job: str, run: int | str):
        self.job = job
        self.run = int(run)
        base = f"{PREFIX}:{job}:{self.run}"
        self.config = f"{base}:config"
        self.seeds = f"{base}:seeds"
        self.requests = f"{base}:requests"
        self.dupefilter = f"{base}:dupefilter"
        self.workers = f"{base}:workers"

    @staticmethod
    def run_key(job: str) -> str:
        return f"{PREFIX}:{job}:run"

    def all(self) -> list[str]:
        return [self.config, self.seeds, self.requests, self.dupefilter, self.workers]


def current_run(server, job: str) -> Keys:
    run = server.get(Keys.run_key(job))
    if run is None:
        raise FrontierError(f"no run of job '{job}' has been seeded: run `newsarchive seed` first")
    return Keys(job, run)


def seed(server, job: str, start_urls=(), sitemap_urls=(), feed_urls=(), config: dict | None = None,
         new_run: bool = True) -> Keys:
    """Queue seeds for ``job``; a new run gets fresh fingerprints, the old run's expire."""
    if new_run or server.get(Keys.run_key(job)) is None:
        previous = server.get(Keys.run_key(job))
        keys = Keys(job, server.incr(Keys.run_key(job)))
        if previous is not None:
            for key in Keys(job, previous).all():
                server.expire(key, OLD_RUN_TTL)
    else:
        keys = current_run(server, job)
    entries = ([{"url": u, "kind": "page"} for u in start_urls]
               + [{"url": u, "kind": "sitemap"} for u in sitemap_urls]
               + [{"url": u, "kind": "feed"} for u in feed_urls])
    pipe = server.pipeline()
    if config is not None:
        pipe.set(keys.config, json.dumps(config))
    if entries:
        pipe.rpush(keys.seeds, *[json.dumps(e) for e in entries])
    pipe.execute()
    return keys


def run_config(server, keys: Keys) -> dict:
    raw = server.get(keys.config)
    return json.loads(raw) if raw else {}


def take_seeds(server, keys: Keys) -> list[dict]:
    """Atomically take every queued seed (only one worker gets each)."""
    pipe = server.pipeline()
    pipe.lrange(keys.seeds, 0, -1)
    pipe.delete(keys.seeds)
    entries, _ = pipe.execute()
    return [json.loads(e) for e in entries]


def frontier_status(server, keys: Keys) -> dict:
    now = time.time()
    workers = {}
    for worker, raw in server.hgetall(keys.workers).items():
        state = json.loads(raw)
        state["stale"] = now - state.get("ts", 0) > STALE_SECONDS
        workers[worker] = state
    return {"run": keys.run, "queued": server.zcard(keys.requests), "seeds": server.llen(keys.seeds),
            "fingerprints": server.scard(keys.dupefilter), "workers": workers}


def default_worker_id() -> str:
    return f"{socket.gethostname().split('.')[0]}-{os.getpid()}"


class Scheduler(_RedisScheduler):
    """scrapy-redis's scheduler without the stats calls Scrapy 2.19 deprecates (platform notes P17)."""

    def enqueue_request(self, request):
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        request = self.queue.pop(self.idle_before_close)
        if request and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


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
        so late joiners would wait for work and drained workers for their end (P18, P19)."""
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


def _worker_spider_class():
    from spiders.news import NewsSpider

    class NewsWorkerSpider(NewsSpider):
        """The news spider, fed from the shared frontier: it takes queued seeds if it is first,
        and otherwise works from the requests other workers put in the Redis queue."""

        name = "news_worker"

        async def start(self):
            s = self.crawler.settings
            server = connect(s.get("REDIS_URL"))
            keys = Keys(s.get("NEWSARCHIVE_REDIS_JOB"), s.getint("NEWSARCHIVE_REDIS_RUN"))
            entries = take_seeds(server, keys)
            if not entries:
                return
            self.start_urls = [e["url"] for e in entries if e["kind"] == "page"]
            self.sitemap_urls = [e["url"] for e in entries if e["kind"] == "sitemap"]
            self.feed_urls = [e["url"] for e in entries if e["kind"] == "feed"]
            for request in self._seed_requests():
                yield request

    return NewsWorkerSpider


def worker_settings(redis_url: str, keys: Keys, worker_id: str, archive) -> dict:
    from pathlib import Path

    shard = Path(archive) / "shards" / f"{worker_id}.db"
    return {
        "SCHEDULER": "crawler.distributed.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "SCHEDULER_SERIALIZER": "crawler.redis_json",
        "REDIS_URL": redis_url,
        "NEWSARCHIVE_REDIS_JOB": keys.job,
        "NEWSARCHIVE_REDIS_RUN": keys.run,
        "WARC_WORKER_ID": worker_id,
        "WARC_JOB_NAME": keys.job,
        "STORE_DB": str(shard),
        "WARC_DEDUP_DB": str(shard),
        # no EXTENSIONS here: FrontierDrainedCloser is in crawler/settings.py, on by NEWSARCHIVE_REDIS_JOB
    }


def run_worker(redis_url: str, job: str, archive, worker_id: str | None = None,
               settings_overrides: dict | None = None, progress: bool = False, log_level: str | None = None):
    from crawler.runner import run_spider

    server = connect(redis_url)
    keys = current_run(server, job)
    config = run_config(server, keys)
    worker_id = worker_id or default_worker_id()
    overrides = {**worker_settings(redis_url, keys, worker_id, archive), **(settings_overrides or {})}
    spider_args = {k: config[k] for k in ("allowed_domains", "include", "exclude", "max_depth", "max_pages")
                   if config.get(k) not in (None, [])}
    return run_spider(_worker_spider_class(), spider_args, archive, overrides, progress, log_level)
