"""The crawl's one process pool for CPU-bound page work (parsing, classifying, extracting).

The reactor thread must keep downloading while pages are parsed, and on a
small machine one worker beside the reactor is what fits (``EXTRACT_WORKERS``, default 1). The
spider (page analysis) and ``WarcMetadataPipeline`` (pages from other spiders) share this pool, so a
crawl never runs more workers than configured. ``EXTRACT_WORKERS = 0`` runs the work inline.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals

from crawler.parent_death import exit_with

logger = logging.getLogger(__name__)


class WorkerCrashed(Exception):
    """A pool worker died (killed, out of memory, a crash in C code) while running the call."""


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

    async def run(self, fn, *args, retry: bool = True):
        """``fn(*args)`` in a worker; *fn* must be a module-level function of a module that does
        not import Scrapy or Twisted, or every worker would import them too.

        A dead worker breaks the whole pool and fails every call in flight: the pool is replaced
        and each of those calls is tried once more (most were only bystanders); a call that dies
        twice raises ``WorkerCrashed``, and the crawl goes on."""
        if self.workers == 0 or self._closed:
            return fn(*args)
        pool = self._pool
        if pool is None:
            # Each worker ends when this process dies, even by SIGKILL to its PID alone; the fork
            # server and the resource tracker then see their last client gone and end too.
            pool = self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_worker_context(),
                                                    initializer=exit_with, initargs=(os.getpid(),))
        try:
            return await asyncio.wrap_future(pool.submit(fn, *args))
        except BrokenProcessPool:
            if self._pool is pool:
                logger.error("a page worker died; starting a new one")
                self._pool = None
                pool.shutdown(wait=False)
            if retry and not self._closed:
                return await self.run(fn, *args, retry=False)
            raise WorkerCrashed("the page worker died on it") from None

    def close(self, *args, **kwargs) -> None:
        """Workers and the fork server end with the crawl: the fork server would otherwise live
        as long as this process (a test session, a scheduler), and outlive it when killed."""
        self._closed = True
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=False)
            stop_fork_server()


def stop_fork_server() -> None:
    """Stop this process's multiprocessing fork server, if it runs; the next pool starts another.
    ``_stop`` is CPython's own (its test suite uses it); without it the server ends with us."""
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)  # noqa: SLF001
    if stop is not None:
        stop()
