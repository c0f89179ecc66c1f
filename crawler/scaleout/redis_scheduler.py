"""The scheduler of a scaled-out worker (``SCHEDULER``): scrapy-redis's, on the shared frontier.

Its own module so that importing the worker's extension (declared in ``crawler/settings.py`` for
every crawl) does not import scrapy-redis.
"""

from __future__ import annotations

from scrapy_redis.scheduler import Scheduler as _RedisScheduler


class Scheduler(_RedisScheduler):
    """scrapy-redis's scheduler without the stats calls Scrapy 2.19 deprecates."""

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
