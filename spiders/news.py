"""The ``news`` spider: finds a news site's articles and hands each one on as a ``PageItem``.

Discovery comes from four places, because news sites expose their articles unevenly: seed pages
(home and sections), sitemaps (news sitemaps carry the headline and publication date before the
page is fetched), RSS/Atom feeds, and links between pages.  Every seed is sniffed by its bytes,
so a sitemap or feed passed as a plain start URL works too.

What discovery learnt about a URL travels with its request as ``meta["hints"]`` and ends up on the
item, so extraction can fall back on it and the dataset can say where an article was found.
Everything fetched is archived by the WARC middleware whatever the spider does with it; the spider
only decides what to request and which responses are articles.

Arguments (``-a NAME=VALUE``, or keywords to ``CrawlerProcess.crawl``; lists as lists or as
comma-separated strings; each overrides the setting named after it):
``start_urls``, ``sitemap_urls``, ``feed_urls``; ``allowed_domains`` (NEWS_ALLOWED_DOMAINS, default
the seeds' hosts, subdomains included, ports ignored); ``include`` / ``exclude`` (NEWS_INCLUDE /
NEWS_EXCLUDE, regexes searched in the URL); ``max_depth`` (NEWS_MAX_DEPTH, 3); ``max_pages``
(NEWS_MAX_PAGES, 0 = no limit: pages answered, error statuses included; requisites and
discovery fetches are not counted; the crawl then ends, once those pages' requisites are in, with
reason "max_pages"); ``follow_links``
(NEWS_FOLLOW_LINKS, true); ``follow_article_feeds`` (NEWS_FOLLOW_ARTICLE_FEEDS, false: the feeds
of a single article, such as its comment feed, found on that article); ``fetch_embeds`` (NEWS_FETCH_EMBEDS, true: a page's own images, scripts
and stylesheets, for replay); ``use_robots_sitemaps`` (NEWS_ROBOTS_SITEMAPS, false).

Usage::

    scrapy crawl news -a start_urls=https://example.org/ -a sitemap_urls=https://example.org/sitemap.xml
    CrawlerProcess(settings).crawl(NewsSpider, start_urls=[...], feed_urls=[...], max_pages=100)
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import get_base_url

from crawler import browser
from crawler.accounting import http_kind, what_of
from crawler.items import PageItem
from crawler.workers import PagePool, WorkerCrashed
from crawler.analysis.discovery import (maybe_gunzip, parse_feed, parse_sitemap, parse_text_sitemap,
                                robots_sitemaps, sniff)
from spiders.failures import failure_reason, quiet_robots_errors
from crawler.analysis.page import analyse, joiner
from crawler.analysis.scope import Scope, clean_url, is_article_feed, split_list

logger = logging.getLogger(__name__)

# source: "seed", "sitemap", "feed", "link" or "embed" (an image, script or stylesheet of a page)
HINT_KEYS = ("source", "depth", "referer", "news_title", "news_publication_date", "news_keywords",
             "news_name", "news_language", "feed_title", "feed_published", "lastmod")

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f", ""}


def make_hints(source: str, depth: int, referer: str | None = None, **found) -> dict:
    """A hints dict with every key present, so consumers and the dataset see one shape."""
    hints = dict.fromkeys(HINT_KEYS)
    hints.update(source=source, depth=depth, referer=referer)
    hints.update({k: v for k, v in found.items() if k in hints and v is not None})
    return hints


def _as_bool(value, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def _as_int(value, name: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must be 0 or more, not {number}")
    return number


class NewsSpider(scrapy.Spider):
    """Seeds, sitemaps and feeds in; ``PageItem`` per article out.  See the module docstring."""

    name = "news"

    def __init__(self, start_urls=None, sitemap_urls=None, feed_urls=None, allowed_domains=None,
                 include=None, exclude=None, max_depth=None, max_pages=None, follow_links=None,
                 use_robots_sitemaps=None, fetch_embeds=None, follow_article_feeds=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._args = {
            "start_urls": start_urls, "sitemap_urls": sitemap_urls, "feed_urls": feed_urls,
            "allowed_domains": allowed_domains, "include": include, "exclude": exclude,
            "max_depth": max_depth, "max_pages": max_pages, "follow_links": follow_links,
            "use_robots_sitemaps": use_robots_sitemaps, "fetch_embeds": fetch_embeds,
            "follow_article_feeds": follow_article_feeds,
        }
        self._pending: dict[str, dict] = {}   # url -> hints of requests not yet answered
        self._seen: set[str] = set()          # every URL requested: no Request built twice
        self._out_of_scope: set[int] = set()  # hashes of URLs skipped by scope: each counted once
        self._pages = 0          # page requests answered (what max_pages counts)
        self._open_pages = 0     # page requests issued and not yet answered or failed
        self.seed_failures: list[str] = []  # why each seed that failed did; the runner reads it after the crawl
        self._robots_via_signal = False
        self._configure(None)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure(crawler.settings)
        quiet_robots_errors()
        crawler.signals.connect(spider._on_response, signal=signals.response_received)
        crawler.signals.connect(spider._on_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._on_closed, signal=signals.spider_closed)
        if spider.use_robots_sitemaps and crawler.settings.getbool("ROBOTSTXT_OBEY"):
            # The robots middleware fetches robots.txt anyway: read its Sitemap lines from there
            # rather than fetching (and archiving) the same file a second time.
            spider._robots_via_signal = True
            crawler.signals.connect(spider._on_robots_parsed, signal=signals.robots_parsed)
        return spider

    def _configure(self, settings) -> None:
        """Spider arguments win over settings of the same meaning; settings over built-in defaults."""
        a = self._args

        def setting(kind, name, default):
            if settings is None:
                return default
            return getattr(settings, kind)(name, default)

        self.start_urls = split_list(a["start_urls"])
        self.sitemap_urls = split_list(a["sitemap_urls"])
        self.feed_urls = split_list(a["feed_urls"])
        self.max_depth = (_as_int(a["max_depth"], "max_depth") if a["max_depth"] is not None
                          else setting("getint", "NEWS_MAX_DEPTH", 3))
        self.max_pages = (_as_int(a["max_pages"], "max_pages") if a["max_pages"] is not None
                          else setting("getint", "NEWS_MAX_PAGES", 0))
        self.follow_links = (_as_bool(a["follow_links"], "follow_links") if a["follow_links"] is not None
                             else setting("getbool", "NEWS_FOLLOW_LINKS", True))
        self.use_robots_sitemaps = (
            _as_bool(a["use_robots_sitemaps"], "use_robots_sitemaps") if a["use_robots_sitemaps"] is not None
            else setting("getbool", "NEWS_ROBOTS_SITEMAPS", False))
        self.follow_article_feeds = (
            _as_bool(a["follow_article_feeds"], "follow_article_feeds") if a["follow_article_feeds"] is not None
            else setting("getbool", "NEWS_FOLLOW_ARTICLE_FEEDS", False))
        self.fetch_embeds = (_as_bool(a["fetch_embeds"], "fetch_embeds") if a["fetch_embeds"] is not None
                             else setting("getbool", "NEWS_FETCH_EMBEDS", True))
        include = split_list(a["include"]) if a["include"] is not None else setting("getlist", "NEWS_INCLUDE", [])
        exclude = split_list(a["exclude"]) if a["exclude"] is not None else setting("getlist", "NEWS_EXCLUDE", [])
        domains = (split_list(a["allowed_domains"]) if a["allowed_domains"] is not None
                   else setting("getlist", "NEWS_ALLOWED_DOMAINS", []))
        if not domains:
            domains = [urlsplit(u).hostname or "" for u in self._seed_urls() if clean_url(u)]
        self.include, self.exclude = include, exclude
        self.scope = Scope(domains=domains, include=include, exclude=exclude)
        # Scrapy's OffsiteMiddleware reads this too, so redirects out of scope are dropped alike.
        self.allowed_domains = list(self.scope.domains)
        self.unzip_max = setting("getint", "DOWNLOAD_MAXSIZE", 32 * 1024 * 1024)
        # extracted where the page is parsed anyway (crawler.analysis.page); WarcMetadataPipeline uses the result
        self.extract_articles = setting("getbool", "EXTRACT_ENABLED", True)
        self.browser_mode = browser.mode_of(settings) if settings is not None else "off"
        self.browser_hosts = set(setting("getlist", "NEWSARCHIVE_BROWSER_HOSTS", []))
        self._robots_origins = set()
        if self.use_robots_sitemaps:
            self._robots_origins = {"{0.scheme}://{0.netloc}".format(urlsplit(u))
                                    for u in map(clean_url, self._seed_urls()) if u}

    def _seed_urls(self):
        return [*self.start_urls, *self.sitemap_urls, *self.feed_urls]

    # --- seeds ---------------------------------------------------------------------------------

    async def start(self):
        for request in self._seed_requests():
            yield request

    def start_requests(self):
        """For Scrapy < 2.13 and scrapy-redis, which still call the synchronous API."""
        yield from self._seed_requests()

    def _seed_requests(self):
        seeds = [(u, "page") for u in self.start_urls] + [(u, "sitemap") for u in self.sitemap_urls] \
            + [(u, "feed") for u in self.feed_urls]
        valid = 0
        for raw, expect in seeds:
            url = clean_url(raw)
            if url is None:
                self._inc("news/failed/invalid_url")
                logger.warning("invalid seed URL: %r (need an absolute http:// or https:// URL)", raw)
                continue
            valid += 1
            self._inc("news/seeds")
            request = self._request(url, make_hints("seed", 0), expect)
            if request is not None:
                yield request
        if not valid:
            logger.error("no valid seed URL given: nothing to crawl")
        for origin in sorted(self._robots_origins) if not self._robots_via_signal else ():
            yield scrapy.Request(origin + "/robots.txt", callback=self.parse_robots, errback=self.errback,
                                 meta={"hints": make_hints("seed", 0), "news_expect": "robots"})

    # --- requests ------------------------------------------------------------------------------

    def _request(self, url: str, hints: dict, expect: str = "page") -> scrapy.Request | None:
        """A request for *url*, or ``None`` if it is already queued (its hints are then merged
        into the queued one, so an article found in a feed *and* a news sitemap gets both)."""
        queued = self._pending.get(url)
        if queued is not None:
            if hints["depth"] < queued["depth"]:
                # A shorter path found before the page arrived: its links get the depth they deserve.
                queued.update(source=hints["source"], depth=hints["depth"], referer=hints["referer"])
            for key, value in hints.items():
                if queued.get(key) is None and value is not None:
                    queued[key] = value
            return None
        if url in self._seen:
            return None
        if self.max_pages and expect != "embed" and not self._within_budget(expect):
            self._inc("news/skipped/max_pages")
            return None
        self._seen.add(url)
        if expect == "page":
            self._open_pages += 1
        self._pending[url] = hints
        # Breadth first, discovery documents before pages: with max_pages set, the pages fetched
        # are the ones nearest the seeds and those the site's sitemaps and feeds list.
        priority = -2 * (hints.get("depth") or 0) + (1 if expect in ("sitemap", "feed") else 0)
        return scrapy.Request(url, callback=self.parse, errback=self.errback, priority=priority,
                              meta={"hints": hints, "news_expect": expect})

    def _follow(self, raw: str, hints: dict, expect: str = "page") -> scrapy.Request | None:
        url = clean_url(raw)
        if url is None:
            return None
        if expect == "page" or hints["source"] == "link":
            # pages, and feeds or sitemaps a page links to: depth, domains, include/exclude
            why = "depth" if hints["depth"] > self.max_depth else self.scope.check(url)
        else:  # sitemaps named by an index or robots.txt: only the host matters
            why = None if self.scope.host_allowed(url) else "offsite"
        if why:
            self._skip(url, why)
            return None
        return self._request(url, hints, expect)

    def _skip(self, url: str, why: str) -> None:
        """Counted once per URL and reason (``news/skipped/REASON``), however many pages link it:
        the summary says how many URLs scope kept out, not how many links."""
        key = hash((url, why))
        if key not in self._out_of_scope:
            self._out_of_scope.add(key)
            self._inc(f"news/skipped/{why}")

    # --- responses -----------------------------------------------------------------------------

    async def parse(self, response, **kwargs):
        hints = response.meta.get("hints") or make_hints("seed", 0)
        for url in (response.url, *response.meta.get("redirect_urls", ())):
            self._pending.pop(url, None)
        expect = response.meta.get("news_expect", "page")
        if expect == "embed":
            # Archived for replay by the middleware already; nothing in an image to discover.
            self._inc("news/embeds")
            return
        kind = sniff(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        if kind == "other" and expect == "sitemap":
            kind = "sitemap"  # perhaps a plain-text sitemap; _parse_sitemap says if not
        if expect == "page":
            self._page_done(answered=kind not in ("sitemap", "feed"))
            if kind in ("sitemap", "feed"):  # a seed given as a page: a discovery fetch after all
                self._inc("fetched/page", -1)
                self._inc("fetched/discovery")
        if kind == "sitemap":
            for request in self._parse_sitemap(response, hints):
                yield request
        elif kind == "feed":
            for request in self._parse_feed(response, hints):
                yield request
        elif kind == "html":
            if expect in ("sitemap", "feed"):
                logger.warning("expected a %s, got an HTML page: %s (crawled as a page)", expect, response.url)
            async for output in self._parse_html(response, hints):
                yield output
        else:
            self._inc("news/non_html")
            if hints.get("source") == "seed":
                self._inc("news/non_html_seeds")
                ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "no Content-Type"
                logger.warning("seed is not an HTML page, sitemap or feed: %s (%s)", response.url, ctype)

    async def _parse_html(self, response, hints):
        """The page is parsed once, in the crawl's worker pool (``crawler.analysis.page.analyse``): the
        reactor thread only turns what came back into requests and, for an article, an item that
        already carries its extraction."""
        headers = {k.decode("latin-1").lower(): ", ".join(v.decode("latin-1") for v in vs)
                   for k, vs in response.headers.items()}
        try:
            page = await PagePool.of(self.crawler).run(
                analyse, response.body, response.url, headers, self.fetch_embeds, self.extract_articles, True,
                _fetched_at(response.meta.get("warc")))
        except WorkerCrashed as exc:
            self._inc("news/failed/worker_crash")
            logger.error("not analysed: %s (%s; its capture is archived, `newsarchive reextract` "
                         "can extract it later)", response.url, exc)
            return
        if page["unreadable"]:
            logger.warning("unreadable HTML: %s (%s)", response.url, page["unreadable"])
            return
        self._inc(f"news/classify/{page['reason']}")
        links = page["links"]
        item = None
        if page["label"] == "article":
            warc = response.meta.get("warc")
            outlinks = list(dict.fromkeys(url for url, expect in links if expect == "page" and url))
            item = PageItem(
                url=response.url, status=response.status, headers=headers, body=response.body,
                fetched_at=_fetched_at(warc) or _now_iso(), warc=warc, hints=hints,
                outlinks=outlinks,
            )
            if page["article"] is not None:
                item["article"] = page["article"]
        if response.meta.get(browser.META_KEY):
            # the rendered page: its article, or the one its HTML gave when the DOM holds none
            item = item or response.meta.get("browser_fallback")
        elif browser.wants_browser(self.browser_mode, self.browser_hosts, response.url, page, response.body):
            self._inc("news/browser/refetch")
            yield browser.browser_request(response.url, {"hints": hints, "browser_fallback": item},
                                          self.parse, self.browser_errback)
            item = None  # the browser capture's article replaces it (or it comes back on failure)
        if item is not None:
            self._inc("news/articles")
            yield item
        if page["label"] == "article":
            pass  # counted with its item (now, or when the browser capture comes back)
        elif page["label"] == "listing":
            self._inc("news/listings")
        else:
            self._inc("news/other")
        depth = (hints.get("depth") or 0) + 1
        if self.follow_links:
            for url, expect in links:
                if (expect == "feed" and page["label"] == "article" and not self.follow_article_feeds
                        and is_article_feed(url, response.url)):
                    self._skip(url, "article_feed")
                    continue
                request = self._follow(url, make_hints("link", depth, response.url), expect)
                if request is not None:
                    yield request
        if self.fetch_embeds:
            # Page requisites belong to the page: no depth or include/exclude rule, only the host.
            for src in page["embeds"]:
                url = clean_url(src)
                if url is not None and self.scope.host_allowed(url):
                    request = self._request(url, make_hints("embed", depth, response.url), "embed")
                    if request is not None:
                        yield request

    def _parse_sitemap(self, response, hints):
        body = _body(response, self.unzip_max)
        sitemap = parse_sitemap(body) or parse_text_sitemap(body)
        if sitemap is None:
            self._inc("news/failed/unreadable_sitemap")
            logger.warning("unreadable sitemap: %s", response.url)
            return
        self._inc("news/sitemaps")
        depth = hints.get("depth") or 0
        for entry in sitemap.entries:
            url = _join(response, entry.loc)
            if sitemap.kind == "sitemapindex":
                # An index is one document split in parts: its sitemaps keep the index's depth.
                request = self._follow(url, make_hints("sitemap", depth, response.url), "sitemap")
            else:
                request = self._follow(url, make_hints("sitemap", depth + 1, response.url, **entry.hints()))
            if request is not None:
                yield request

    def _parse_feed(self, response, hints):
        entries = parse_feed(_body(response, self.unzip_max))
        if entries is None:
            self._inc("news/failed/unreadable_feed")
            logger.warning("unreadable feed: %s", response.url)
            return
        self._inc("news/feeds")
        depth = (hints.get("depth") or 0) + 1
        for entry in entries:
            request = self._follow(_join(response, entry.link),
                                   make_hints("feed", depth, response.url, **entry.hints()))
            if request is not None:
                yield request

    def parse_robots(self, response):
        self._pending.pop(response.url, None)
        for url in robots_sitemaps(response.text if isinstance(response, TextResponse)
                                   else response.body.decode("utf-8", "replace")):
            request = self._follow(url, make_hints("seed", 0, response.url), "sitemap")
            if request is not None:
                yield request

    def _on_robots_parsed(self, robotparser, request):
        parts = urlsplit(request.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots_origins:
            return  # only the seeds' sites were asked for
        self._robots_origins.discard(origin)
        rp = getattr(robotparser, "rp", None)
        urls = getattr(rp, "sitemaps", None)
        if urls is None and hasattr(rp, "site_maps"):  # the stdlib parser
            urls = rp.site_maps()
        for url in list(urls or []):
            sitemap = self._follow(url, make_hints("seed", 0, origin + "/robots.txt"), "sitemap")
            if sitemap is not None:
                self.crawler.engine.crawl(sitemap)

    # --- failures ------------------------------------------------------------------------------

    def browser_errback(self, failure):
        """A browser fetch that failed: said like any failure, and the article the page's HTML
        gave (if any) is kept, so the page is never lost for want of a browser."""
        self.errback(failure)
        request = getattr(failure, "request", None)
        fallback = request.meta.get("browser_fallback") if request is not None else None
        if fallback is not None:
            self._inc("news/articles")
            yield fallback

    def errback(self, failure):
        """One line per expected failure, counted by what failed and why; never a traceback.

        A page that cannot be archived is a WARNING; a requisite that is missing or fails is
        INFO (the page is archived without it); a seed's failure waits for the end of the crawl,
        where it is one line (or the crawl's one ``Error:`` line when no seed could be fetched)."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        for done in (url, *(request.meta.get("redirect_urls", ()) if request is not None else ())):
            self._pending.pop(done, None)
        meta = request.meta if request is not None else {}
        expect = meta.get("news_expect", "page")
        what = what_of(expect)
        exc = failure.value
        if isinstance(exc, HttpError):
            code = exc.response.status
            if expect == "page":
                self._page_done(answered=True)
            self._inc(f"news/http_error/{code}")
            self._inc(f"failed/{what}/{http_kind(code)}")
            self._log_failure(what, meta, "fetch failed: %s HTTP %s", url, code)
            return
        if expect == "page":
            self._page_done(answered=False)
        reason, text = failure_reason(exc)
        if reason in ("refresh", "offsite"):
            self._inc(f"news/{'skipped' if reason == 'refresh' else 'failed'}/{reason}")
            logger.debug("not fetched: %s %s", url, text)
            return
        self._inc(f"news/failed/{reason}")
        self._inc(f"failed/{what}/{reason}")
        if reason in ("robots", "not_archived", "paused"):  # said once, by the middleware that refused
            logger.debug("not fetched: %s %s", url, text)
        else:
            self._log_failure(what, meta, "fetch failed: %s %s", url, text)

    def _log_failure(self, what, meta, message, *args):
        hints = meta.get("hints") or {}
        if what == "requisite":
            logger.info("missing requisite of %s: " + message.split(": ", 1)[1],
                        hints.get("referer") or "a page", *args)
        elif hints.get("source") == "seed":
            self.seed_failures.append(message.split(": ", 1)[1] % args)
            logger.info(message, *args)
        else:
            logger.warning(message, *args)

    # --- accounting and the page limit ---------------------------------------------------------

    def _on_response(self, response, request, spider=None):
        """Every response the engine hands on, whoever asked (robots.txt comes from Scrapy's
        RobotsTxtMiddleware, not from this spider), counted as page, requisite or discovery;
        a seed URL that turns out to be a sitemap or feed is moved to discovery in ``parse``."""
        self._inc(f"fetched/{what_of(request.meta.get('news_expect'))}")

    def _on_dropped(self, request, spider=None):
        if request.meta.get("news_expect") == "page":
            self._page_done(answered=False)

    def _within_budget(self, expect: str) -> bool:
        if expect == "page":
            return self._pages + self._open_pages < self.max_pages
        return self._pages < self.max_pages  # no more discovery once the pages are in

    def _page_done(self, answered: bool) -> None:
        self._open_pages = max(0, self._open_pages - 1)
        if answered:  # not: a seed that is a sitemap or feed, or a page that got no response
            self._pages += 1
            self._inc("news/pages")

    def _on_idle(self, spider=None):
        """Nothing left to fetch: when the page limit is what ended the crawl, say so. Ending
        here, rather than when the last page arrives, lets that page's requisites be archived."""
        if self.max_pages and self._pages >= self.max_pages:
            raise CloseSpider("max_pages")

    def _on_closed(self, spider=None, reason=None):
        usable = ("news/articles", "news/listings", "news/other", "news/sitemaps", "news/feeds")
        if self.seed_failures and any(self.crawler.stats.get_value(k, 0) for k in usable):
            # some seeds worked: the others are worth a warning (else the crawl's Error line says it)
            for text in self.seed_failures:
                logger.warning("seed not fetched: %s", text)

    def _inc(self, key: str, count: int = 1) -> None:
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value(key, count)


def _join(response, href: str) -> str:
    """Absolute URL of *href* on *response*; "" (which clean_url rejects) for hrefs urllib cannot
    parse, such as a broken IPv6 host: one bad link must not cost the page its other links."""
    return _joiner(response)(href)


def _joiner(response):
    return joiner(get_base_url(response) if isinstance(response, TextResponse) else response.url)


def _body(response, max_size: int) -> bytes:
    return maybe_gunzip(response.body, max_size)


def _now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _fetched_at(capture) -> str | None:
    """The WARC-Date of the response's capture (``archive.capture.Capture``), when it was archived."""
    return capture.fetched_at if capture is not None else None
