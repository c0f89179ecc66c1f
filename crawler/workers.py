"""The crawl's one process pool for CPU-bound page work (parsing, classifying, extracting).

The reactor thread must keep downloading while pages are parsed (platform notes P11), and on a
small machine one worker beside the reactor is what fits (``EXTRACT_WORKERS``, default 1). The
spider (page analysis) and ``ExtractPipeline`` (pages from other spiders) share this pool, so a
crawl never runs more workers than configured. ``EXTRACT_WORKERS = 0`` runs the work inline.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from scrapy import signals


def _worker_context():
    """Workers start from a fork server and import only what they run (on their first page).

    Forking the crawler itself would copy a process with a running reactor, open SQLite and
    WARC handles, and every worker would carry (and slowly dirty) the crawler's ~100 MB; from
    the fork server each worker is ~30 MB. No preload on purpose: preloading makes the fork
    server import ``__main__``, which re-runs any script that calls the crawler unguarded."""
    return multiprocessing.get_context("forkserver")


class PagePool:
    """Started on first use and shut down when the spider closes."""

    def __init__(self, workers: int):
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._closed = False

    @classmethod
    def of(cls, crawler) -> PagePool:
        pool = getattr(crawler, "page_pool", None)
        if pool is None:
            pool = cls(crawler.settings.getint("EXTRACT_WORKERS", 1))
            crawler.page_pool = pool
            crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    async def run(self, fn, *args):
        """``fn(*args)`` in a worker; *fn* must be a module-level function of a module that does
        not import Scrapy or Twisted, or every worker would import them too."""
        if self.workers == 0 or self._closed:
            return fn(*args)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_worker_context())
        return await asyncio.wrap_future(self._pool.submit(fn, *args))

    def close(self, *args, **kwargs) -> None:
        self._closed = True
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=False)
