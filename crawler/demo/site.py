"""The demo site as a table of resources, one per URL path, built once per edition.

HTML is rendered without the host (root-relative links) so that a page is byte-identical on
any port and a re-crawl can deduplicate it. Only robots.txt, sitemaps, feeds and redirect
``Location`` headers need absolute URLs; they are rendered per request from the ``Host`` header.
"""

from __future__ import annotations

import functools
import gzip
import json
from dataclasses import dataclass, field
from importlib import resources as importlib_resources
from typing import Callable

from crawler.demo import apps, feeds, pages, stories

TODAY_PATH = "/popculture/story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932"
HTML = "text/html; charset=utf-8"


@dataclass
class Resource:
    path: str
    kind: str
    status: int = 200
    content_type: str | None = HTML
    transfer: str = "identity"
    body: bytes | None = None
    render: Callable[[str], bytes] | None = None  # host -> body, for host-dependent documents
    headers: list[tuple[str, str]] = field(default_factory=list)
    redirect_to: str | None = None
    disallowed: bool = False
    charset: str | None = "utf-8"
    info: dict = field(default_factory=dict)  # manifest extras: headline, section, published...
    _gz: dict = field(default_factory=dict, repr=False)

    def body_for(self, host: str) -> bytes:
        return self.render(host) if self.render else (self.body or b"")

    def gzipped_for(self, host: str) -> bytes:
        # mtime=0 keeps the compressed bytes, and so the payload digest, stable across runs.
        key = host if self.render else ""
        if key not in self._gz:
            self._gz[key] = gzip.compress(self.body_for(host), compresslevel=6, mtime=0)
        return self._gz[key]


class Site(dict):
    """``path -> Resource`` in a stable order, plus the page served for unknown paths."""

    not_found: Resource


def site_file(*parts: str) -> bytes:
    return importlib_resources.files("crawler.demo").joinpath("site", *parts).read_bytes()


def today_expected() -> dict:
    return json.loads(site_file("expected", "today-office-first-kiss.expected.json"))


@functools.lru_cache(maxsize=4)
def get_site(edition: int = 1) -> Site:
    if edition not in (1, 2):
        raise ValueError(f"the demo site has editions 1 and 2, not {edition!r}")
    arts = stories.articles(edition)
    site = Site()

    def add(res: Resource) -> None:
        site[res.path] = res

    # consent and A/B cookies, as front pages set them: two Set-Cookie lines in one response
    # the home page's "most read" list: pages outside the sections, the JavaScript app articles too
    add(Resource("/", "home", body=pages.home(arts, stories.HOME_EXTRA_LINKS + apps.LINKS).encode(),
                 headers=[("Set-Cookie", "consent=pending; Path=/; Max-Age=31536000; SameSite=Lax"),
                          ("Set-Cookie", "ab_bucket=b; Path=/; Max-Age=86400; SameSite=Lax"),
                          ("Cache-Control", "public, max-age=60")]))
    for section in stories.SECTIONS:
        listed = [a for a in arts if a["section"] == section["slug"]]
        for page_no, html in enumerate(pages.section_pages(section, listed), start=1):
            path = f"/{section['slug']}/" + (f"?page={page_no}" if page_no > 1 else "")
            add(Resource(path, "section", transfer="chunked", body=html.encode(),
                         info={"section": section["slug"]}))
    article_ids = {story["path"]: 1001 + i for i, story in enumerate(stories.STORIES)}
    for art in arts:
        charset = art.get("charset", "utf-8")
        add(Resource(art["path"], "article", content_type=f"text/html; charset={charset}",
                     transfer=art.get("transfer", "identity"),
                     body=pages.article(art, arts).encode(charset), charset=charset,
                     headers=[("Cache-Control", "public, max-age=300"),
                              ("X-Article-Id", str(article_ids[art["path"]]))],
                     info=pages.manifest_info(art)))
    expected = today_expected()
    add(Resource(TODAY_PATH, "article",
                 body=site_file("popculture", "story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932.html"),
                 info={"headline": expected["headline"], "section": "popculture",
                       "section_name": expected["section"], "authors": expected["authors"],
                       "modified": expected["modified"], "shape": "today/jsonld",
                       "first_paragraph": expected["body_paragraphs"][0],
                       "boilerplate": expected["must_not_contain"],
                       "published": expected["published"], "language": "en",
                       "in_news_sitemap": False, "in_feeds": True, "edited": False,
                       "expected": "expected/today-office-first-kiss.expected.json"}))

    # --- JavaScript app articles (crawler/demo/apps.py) ---
    for path, body, info in apps.resources():
        add(Resource(path, "article", body=body, headers=[("Cache-Control", "public, max-age=300")], info=info))

    add(Resource("/robots.txt", "robots", content_type="text/plain; charset=utf-8",
                 render=feeds.robots))
    add(Resource("/sitemap.xml", "sitemap", content_type="application/xml; charset=utf-8",
                 render=feeds.sitemap_index))
    add(Resource("/sitemaps/news.xml", "sitemap", content_type="application/xml; charset=utf-8",
                 transfer="gzip", render=functools.partial(feeds.news_sitemap, arts + apps.sitemap_entries())))
    listing_paths = [p for p, r in site.items() if r.kind in ("home", "section")]
    add(Resource("/sitemaps/pages.xml", "sitemap", content_type="application/xml; charset=utf-8",
                 render=functools.partial(feeds.pages_sitemap, listing_paths, arts + apps.sitemap_entries(),
                                          TODAY_PATH)))
    add(Resource("/feeds/rss.xml", "feed", content_type="application/rss+xml; charset=utf-8",
                 render=functools.partial(feeds.rss, arts, expected, TODAY_PATH)))
    add(Resource("/feeds/atom.xml", "feed", content_type="application/atom+xml; charset=utf-8",
                 transfer="chunked", render=functools.partial(feeds.atom, arts)))

    for name, ctype in stories.ASSETS:
        add(Resource(f"/static/{name}", "asset", content_type=ctype, charset=None,
                     body=site_file("static", *name.split("/")),
                     headers=[("Cache-Control", "public, max-age=86400")]))
    for old, new in stories.REDIRECTS.items():
        add(Resource(old, "redirect", status=301, redirect_to=new,
                     body=pages.moved(new).encode()))
    not_found = pages.not_found().encode()
    for path in stories.DEAD_LINKS:
        add(Resource(path, "notfound", status=404, body=not_found))
    for path in stories.MISSING_ASSETS:  # as a web server answers for a file it does not have
        add(Resource(path, "notfound", status=404, content_type="text/plain; charset=utf-8",
                     body=b"404 Not Found\n"))
    add(Resource(stories.PRIVATE_PATH, "private", disallowed=True,
                 body=pages.private_draft().encode(), headers=[("X-Robots-Tag", "noindex")]))
    site.not_found = Resource("", "notfound", status=404, body=not_found)
    return site
