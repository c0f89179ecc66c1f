"""Scale-out on scrapy-redis: one shared frontier and dupefilter per job run, N workers.

Redis layout, all under ``newsarchive:<job>:``:

- ``run``: the current run number; ``newsarchive seed`` starts a new run, so a recurring crawl
  is never blocked by the previous run's fingerprints.
- ``<run>:config``: the run's scope (allowed domains, include/exclude, depth), the same for every
  worker whether or not it received seeds.
- ``<run>:seeds``: seed entries (JSON ``{"url", "kind"}``) that the first idle worker takes.
- ``<run>:requests`` and ``<run>:dupefilter``: scrapy-redis's queue and fingerprint set.
- ``<run>:workers``: one heartbeat per worker ``{"busy", "ts"}``.

Workers end when the frontier is empty and no worker is busy, checked twice in a row, rather than
on scrapy-redis's idle timer counted from start.  Requests are queued as JSON, not pickle.
"""

from __future__ import annotations

import json
import os
import socket
import time

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
