"""What the demo site serves, as data: the answer key for crawl and extraction tests.

One dict per URL path. ``linked`` and ``embedded`` say whether some served page points at the
path with ``<a href>`` or ``<img src>``, computed from the pages themselves, so a test can
derive what a link-following crawl must fetch without trusting a hand-kept list.

Keys of every entry: ``path`` (with ``?query`` when it has one), ``kind`` (home, section,
article, sitemap, feed, robots, asset, redirect, notfound, private), ``headline`` (articles,
else None), ``status``, ``content_type`` (the exact header), ``transfer`` (identity, gzip when
the client accepts it, chunked), ``redirect_to`` (path), ``disallowed`` (by robots.txt),
``charset``, ``linked``, ``embedded``. Articles add what extraction should find: ``section``
(slug), ``section_name``, ``authors`` (the visible byline), ``published``, ``modified``,
``language``, ``shape`` (skin/metadata flavour), ``first_paragraph``, ``boilerplate`` (page
text that must stay out of the body), ``in_news_sitemap``, ``in_feeds``, ``edited`` (edition 2).
"""

from __future__ import annotations

import functools
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import html as lxml_html

from crawler.demo.site import get_site


@functools.lru_cache(maxsize=4)
def _references(edition: int) -> tuple[frozenset, frozenset]:
    anchors, images = set(), set()
    for res in get_site(edition).values():
        if not (res.content_type or "").startswith("text/html") or res.body is None:
            continue
        tree = lxml_html.fromstring(res.body)
        for attr, into in (("//a/@href", anchors), ("//img/@src", images)):
            for ref in tree.xpath(attr):
                target = urlsplit(urldefrag(urljoin("http://demo" + res.path, ref))[0])
                if target.netloc == "demo":
                    into.add(target.path + (f"?{target.query}" if target.query else ""))
    return frozenset(anchors), frozenset(images)


def manifest(edition: int = 1) -> list[dict]:
    """One dict per path the site answers with something other than the generic 404."""
    anchors, images = _references(edition)
    out = []
    for path, res in get_site(edition).items():
        entry = {
            "path": path,
            "kind": res.kind,
            "headline": res.info.get("headline"),
            "status": res.status,
            "content_type": res.content_type,
            "transfer": res.transfer,
            "redirect_to": res.redirect_to,
            "disallowed": res.disallowed,
            "charset": res.charset,
            "linked": path in anchors,
            "embedded": path in images,
        }
        entry.update({k: v for k, v in res.info.items() if k not in entry})
        out.append(entry)
    return out


def articles(edition: int = 1) -> list[dict]:
    """The manifest entries of article pages (what extraction should produce rows for)."""
    return [m for m in manifest(edition) if m["kind"] == "article"]


def dangling_links(edition: int = 1) -> set[str]:
    """In-site ``<a href>``/``<img src>`` targets the site does not serve (should be empty)."""
    anchors, images = _references(edition)
    site = get_site(edition)
    return {p for p in anchors | images if p not in site}
