"""Scrapy's ``MemoryStatsCollector`` without the per-call cost of its deprecation shim.

Scrapy 2.19 sends every attribute access on the stats collector through a ``__getattribute__``
that wraps the public methods to warn about a deprecated ``spider`` argument, and reaches the
``_stats`` dict only after a failed lookup of a cached name and a caught ``AttributeError``. A
crawl makes some 35 stats calls per page (Scrapy's and ours), and the throughput benchmark showed
that shim at 4 % of the reactor thread. Collecting works exactly as in Scrapy; only the warning
for passing ``spider=`` is gone (nothing in this project passes it).
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class StatsCollector(MemoryStatsCollector):
    __getattribute__ = object.__getattribute__
