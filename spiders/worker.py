"""The ``news_worker`` spider of a scaled-out crawl (``newsarchive worker``).

The news spider fed from the shared frontier: the first worker takes the run's queued seeds, the
others work from the requests every worker puts in the Redis queue. Its settings come from
``crawler/scaleout/worker.py``; run alone (``scrapy crawl news_worker``) it has no frontier.
"""

from __future__ import annotations

from crawler.scaleout.frontier import Keys, connect, take_seeds
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
