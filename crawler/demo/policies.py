"""The demo site's policy corner: what sites ask of crawlers, served only when a test asks for it.

``DemoServer(policies="polite")`` adds, on top of the usual site: a robots.txt with
``Crawl-delay: 2``; a news sitemap (``/policy/sitemap-news.xml``) of four stories under
``/policy/``: one answered ``429`` with ``Retry-After: 3`` the first time, one sent with
``X-Robots-Tag: noarchive``, one with ``<meta name="robots" content="noarchive">`` (and a
per-bot variant), and a WordPress-style one that links its own comment feed and has no date on
the page (its news-sitemap date is the only one). ``DemoServer(host="127.0.0.2",
policies="down")`` is a host that answers 503 to everything.

Kept out of ``crawler/demo/site.py`` on purpose: the regular demo crawl (``make demo``) must not
wait two seconds between requests, and its manifest does not list these pages.
"""

from __future__ import annotations

import functools
import html
import json

from crawler.demo import feeds
from crawler.demo.pages import SITE_NAME
from crawler.demo.site import HTML, Resource

MODES = (None, "polite", "down")
CRAWL_DELAY = 2
RETRY_AFTER = 3
SITEMAP = "/policy/sitemap-news.xml"
BUSY = "/policy/2026/11/25/council-votes-on-bridge-repairs"
HEADER_NOARCHIVE = "/policy/2026/11/25/library-extends-winter-hours"
META_NOARCHIVE = "/policy/2026/11/25/school-board-names-new-chief"
WORDPRESS = "/policy/riverside-market-reopens/"  # no date in the URL either
COMMENT_FEED = WORDPRESS + "feed/"
SITE_FEED = "/policy/feed/"

# path, headline, date on the page (None: none), news-sitemap date, keywords
STORIES = [
    (BUSY, "Council votes on bridge repairs", "2026-11-25T09:00:00+00:00",
     "2026-11-25T09:00:00+00:00", ["council", "bridges"]),
    (HEADER_NOARCHIVE, "Library extends winter hours", "2026-11-25T10:30:00+00:00",
     "2026-11-25T10:30:00+00:00", ["library"]),
    # the news sitemap says a day later than the page: a disagreement the dataset records
    (META_NOARCHIVE, "School board names new chief", "2026-11-23T16:00:00+00:00",
     "2026-11-25T08:15:00+00:00", ["schools", "education"]),
    (WORDPRESS, "Riverside market reopens after flood", None,
     "2026-11-25T07:45:00+00:00", ["markets", "flood"]),
]


def _article(path: str, headline: str, published: str | None, head: str = "") -> bytes:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
            "author": {"@type": "Person", "name": "Dana Whitfield"}}
    if published:
        data["datePublished"] = published
    when = f'<p class="dateline"><time datetime="{published}">{published[:10]}</time></p>' if published else ""
    paras = "".join(
        f"<p>{html.escape(headline)}: paragraph {i}. Residents, officials and business owners spoke "
        "to the Courier about what the decision means for the neighbourhood, the budget and the "
        "months ahead, and what they expect the city to do next.</p>" for i in range(1, 7))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
            f"<title>{html.escape(headline)} | {SITE_NAME}</title>\n{head}"
            f'<script type="application/ld+json">{json.dumps(data)}</script>\n</head>\n'
            f'<body><main><article><h1>{html.escape(headline)}</h1>'
            f'<p class="byline">By Dana Whitfield</p>{when}{paras}</article></main></body></html>\n'
            ).encode()


def _feed(host: str) -> bytes:
    items = "".join(f"<item><title>{feeds.x(h)}</title><link>http://{host}{p}</link></item>"
                    for p, h, *_ in STORIES)
    return (feeds.XML_DECL + f'<rss version="2.0"><channel><title>{SITE_NAME}: policy corner</title>'
            f"<link>http://{host}/policy/</link>{items}</channel></rss>\n").encode()


def _robots(host: str) -> bytes:
    return feeds.robots(host).replace(b"Allow: /\n", f"Allow: /\nCrawl-delay: {CRAWL_DELAY}\n".encode(), 1)


@functools.lru_cache(maxsize=1)
def polite_pages() -> dict[str, Resource]:
    wp_head = (f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" '
               f'href="{SITE_FEED}">\n'
               f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Riverside '
               f'market reopens after flood Comments Feed" href="{COMMENT_FEED}">\n')
    heads = {META_NOARCHIVE: '<meta name="robots" content="noarchive, max-snippet:120">\n'
                             '<meta name="examplebot" content="noindex">\n',
             WORDPRESS: wp_head}
    out = {}
    for path, headline, published, _, _ in STORIES:
        out[path] = Resource(path, "article", body=_article(path, headline, published, heads.get(path, "")))
    out[HEADER_NOARCHIVE].headers = [("X-Robots-Tag", "noarchive"), ("X-Robots-Tag", "examplebot: nofollow")]
    sitemap_entries = [{"path": p, "published": d, "sitemap_title": h, "tags": k}
                       for p, h, _, d, k in STORIES]
    out[SITEMAP] = Resource(SITEMAP, "sitemap", content_type="application/xml; charset=utf-8",
                            render=functools.partial(feeds.news_sitemap, sitemap_entries))
    for path in (SITE_FEED, COMMENT_FEED):
        out[path] = Resource(path, "feed", content_type="application/rss+xml; charset=utf-8", render=_feed)
    out["/robots.txt"] = Resource("/robots.txt", "robots", content_type="text/plain; charset=utf-8",
                                  render=_robots)
    return out


def policy_resource(mode: str | None, path: str, seen_before: int, resource: Resource | None):
    """What the server answers for *path* in *mode*, given how often it was requested before."""
    if mode == "down":
        return Resource(path, "down", status=503, content_type="text/plain; charset=utf-8",
                        body=b"503 Service Unavailable\n")
    if mode != "polite":
        return resource
    page = polite_pages().get(path)
    if page is None:
        return resource
    if path == BUSY and not seen_before:
        return Resource(path, "busy", status=429, content_type="text/plain; charset=utf-8",
                        body=b"Too many requests: come back later.\n",
                        headers=[("Retry-After", str(RETRY_AFTER))])
    return page
