"""What a site asks of crawlers beyond robots.txt's Allow/Disallow: its Crawl-delay, the wait a
429 or 503 names in ``Retry-After``, and leaving alone a host that keeps failing.

Scrapy's RobotsTxtMiddleware parses robots.txt (Protego reads ``Crawl-delay``) but does not
apply the delay, and RetryMiddleware retries on its own clock. This downloader middleware
applies both through Scrapy's downloader slots (one per host): ``slot.delay`` for Crawl-delay,
``slot.lastseen`` moved forward for Retry-After, so the downloader itself holds the host's
next request back while other hosts go on; nothing sleeps. A host whose requests fail
``NEWSARCHIVE_HOST_MAX_FAILURES`` times in a row is paused for the rest of the run: its
remaining requests are dropped with one log line for the host, not one per URL.

Priority 560: ``process_request`` runs after robots.txt is known (100), ``process_response``
before RetryMiddleware (550) schedules the retry, so the retry waits for the host's hold.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

logger = logging.getLogger(__name__)

# statuses that mean "the host is in trouble or wants us to slow down"
FAILING = frozenset({429, 500, 502, 503, 504, 522, 524})
RETRY_AFTER_STATUSES = (429, 503)
PAUSED_PREFIX = "host paused"  # the IgnoreRequest text spiders/failures.py recognises


def parse_retry_after(value, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP date), or None
    when it is neither; a date in the past means no wait (0)."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = (value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class PolitenessMiddleware:
    """Crawl-delay per host, Retry-After per host, paused hosts. See the module docstring."""

    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.obey_crawl_delay = s.getbool("NEWSARCHIVE_CRAWL_DELAY", True) and s.getbool("ROBOTSTXT_OBEY")
        self.max_crawl_delay = s.getfloat("NEWSARCHIVE_MAX_CRAWL_DELAY", 30.0)
        self.obey_retry_after = s.getbool("NEWSARCHIVE_RETRY_AFTER", True)
        self.max_retry_after = s.getfloat("NEWSARCHIVE_MAX_RETRY_AFTER", 120.0)
        self.max_failures = s.getint("NEWSARCHIVE_HOST_MAX_FAILURES", 20)
        self.user_agent = s.get("ROBOTSTXT_USER_AGENT") or s.get("USER_AGENT") or "*"
        self.crawl_delays: dict[str, float] = {}   # slot key (host) -> effective delay
        self.failures: Counter[str] = Counter()     # host -> consecutive failures
        self.paused: dict[str, str] = {}            # host -> why

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        if not (mw.obey_crawl_delay or mw.obey_retry_after or mw.max_failures > 0):
            raise NotConfigured
        if mw.obey_crawl_delay:
            crawler.signals.connect(mw.robots_parsed, signal=signals.robots_parsed)
        return mw

    # --- slots ---------------------------------------------------------------------------

    @property
    def downloader(self):
        return self.crawler.engine.downloader

    def host_of(self, request) -> str:
        """The downloader slot's key: what Scrapy calls a host for delays and concurrency."""
        return self.downloader.get_slot_key(request)

    # --- Crawl-delay ---------------------------------------------------------------------

    def robots_parsed(self, robotparser, request):
        try:
            asked = robotparser.crawl_delay(self.user_agent)
        except (AttributeError, NotImplementedError, TypeError, ValueError):
            return  # a parser without Crawl-delay support
        if not asked or asked <= 0:
            return
        host = self.host_of(request)
        delay = min(float(asked), self.max_crawl_delay)
        if asked > self.max_crawl_delay:
            logger.warning("robots.txt of %s asks for a Crawl-delay of %g s: capped at %g s "
                           "(NEWSARCHIVE_MAX_CRAWL_DELAY)", host, asked, delay)
            self._set_stat("politeness/crawl_delay_asked", host, float(asked))
        else:
            logger.info("robots.txt of %s: Crawl-delay %g s", host, delay)
        delay = max(delay, self.crawl_delays.get(host, 0.0))  # two ports of one host: the longer
        self.crawl_delays[host] = delay
        self._set_stat("politeness/crawl_delay", host, delay)
        # slots created later (after Scrapy frees an idle one) start with the delay, unrandomised
        per_slot = self.downloader.per_slot_settings.setdefault(host, {})
        per_slot.update(delay=max(delay, per_slot.get("delay", 0.0)), jitter=0.0)
        self._apply_crawl_delay(host)

    def _apply_crawl_delay(self, host: str) -> None:
        slot = self.downloader.slots.get(host)
        delay = self.crawl_delays[host]
        if slot is not None and (slot.delay < delay or slot.jitter):
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0  # Crawl-delay is a minimum: Scrapy's ±50 % would halve it

    # --- requests and responses ---------------------------------------------------------

    def process_request(self, request, spider=None):
        host = self.host_of(request)
        if host in self.paused:
            self.stats.inc_value("politeness/paused_requests")
            raise IgnoreRequest(f"{PAUSED_PREFIX}: {host} ({self.paused[host]})")
        if host in self.crawl_delays:
            # AutoThrottle would bring the delay back down towards the server's latency
            request.meta["autothrottle_dont_adjust_delay"] = True
            self._apply_crawl_delay(host)
        return None

    def process_response(self, request, response, spider=None):
        host = self.host_of(request)
        if response.status in FAILING:
            self._failed(host, f"HTTP {response.status}")
        else:
            self.failures.pop(host, None)
        if self.obey_retry_after and response.status in RETRY_AFTER_STATUSES:
            wait = parse_retry_after(response.headers.get("Retry-After"))
            if wait is not None:
                self._hold(host, wait)
        return response

    def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, IgnoreRequest):
            self._failed(self.host_of(request), type(exception).__name__)
        return None

    # --- Retry-After ----------------------------------------------------------------------

    def _hold(self, host: str, wait: float) -> None:
        """The host's next request leaves no sooner than ``wait`` seconds from now (capped)."""
        if wait > self.max_retry_after:
            logger.info("%s asks to retry after %g s: waiting %g s (NEWSARCHIVE_MAX_RETRY_AFTER)",
                        host, wait, self.max_retry_after)
            self.stats.inc_value("politeness/retry_after_capped")
            self.stats.max_value("politeness/retry_after_max_asked", wait)
            wait = self.max_retry_after
        self.stats.inc_value("politeness/retry_after")
        self.stats.max_value("politeness/retry_after_max_wait", wait)
        slot = self.downloader.slots.get(host)
        if slot is None or wait <= 0:
            return
        # The downloader sends a slot's next request once lastseen + download_delay() has
        # passed, and only checks when the delay is not 0; with jitter the delay may come out
        # shorter than slot.delay, so lastseen is moved for the shortest one it can draw.
        slot.delay = max(slot.delay, 0.001)
        shortest = slot.delay * max(0.0, 1.0 - slot.jitter)
        slot.lastseen = max(slot.lastseen, time.monotonic() + wait - shortest)

    # --- hosts that keep failing ----------------------------------------------------------

    def _failed(self, host: str, what: str) -> None:
        self.failures[host] += 1
        if self.max_failures <= 0 or host in self.paused or self.failures[host] < self.max_failures:
            return
        self.paused[host] = f"{self.failures[host]} failures in a row, the last {what}"
        logger.warning("pausing %s for the rest of this run: %s (NEWSARCHIVE_HOST_MAX_FAILURES)",
                       host, self.paused[host])
        self.stats.set_value("politeness/paused_hosts", sorted(self.paused))
        # requests already waiting in the host's slot passed process_request before the pause
        slot = self.downloader.slots.get(host)
        while slot is not None and slot.queue:
            _, waiting = slot.queue.popleft()
            self.stats.inc_value("politeness/paused_requests")
            waiting.errback(IgnoreRequest(f"{PAUSED_PREFIX}: {host} ({self.paused[host]})"))

    def _set_stat(self, key: str, host: str, value) -> None:
        current = dict(self.stats.get_value(key) or {})
        current[host] = value
        self.stats.set_value(key, current)
