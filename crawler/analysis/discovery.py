"""Parsing of the documents that tell a news crawler where articles are: sitemaps, news sitemaps,
RSS/Atom feeds and robots.txt ``Sitemap:`` lines.

Scrapy's own sitemap parser flattens every ``<url>`` to its direct children and so drops the
nested ``<news:news>`` block, which is the most precise publication date and headline a site
gives away before its article is even fetched.  These functions keep it.  They are pure
(bytes in, plain data out) so they can be tested and reused without a crawl, and they never
raise on bad input: real sitemaps and feeds are often truncated, mis-declared or not XML at all,
and a broken one must cost its own entries, not the crawl.

The XML parser is configured for hostile input: no entity expansion, no network, no DTD loading.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"

SITEMAP_ROOTS = {"urlset": "sitemap", "sitemapindex": "sitemap"}
FEED_ROOTS = {"rss": "feed", "feed": "feed", "rdf": "feed"}


@dataclass
class SitemapEntry:
    """One ``<url>`` (or ``<sitemap>`` of an index) with what the site said about it."""

    loc: str
    lastmod: str | None = None
    news_title: str | None = None
    news_publication_date: str | None = None
    news_keywords: str | None = None
    news_name: str | None = None
    news_language: str | None = None

    def hints(self) -> dict:
        """The non-empty fields, ready to merge into a request's ``hints``."""
        return {k: v for k, v in asdict(self).items() if k != "loc" and v}


@dataclass
class Sitemap:
    """A parsed sitemap: ``kind`` is ``"urlset"`` (pages) or ``"sitemapindex"`` (more sitemaps)."""

    kind: str
    entries: list[SitemapEntry] = field(default_factory=list)


@dataclass
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None
    updated: str | None = None

    def hints(self) -> dict:
        out = {}
        if self.title:
            out["feed_title"] = self.title
        if self.published or self.updated:
            out["feed_published"] = self.published or self.updated
        return out


# --- bytes ------------------------------------------------------------------------------------

def maybe_gunzip(body: bytes, max_size: int = 0) -> bytes:
    """Return *body* decompressed if it is gzip data (``.xml.gz`` sitemaps arrive like that, since
    the HTTP layer only undoes Content-Encoding), else unchanged.

    A truncated or corrupt stream yields what could be decompressed.  ``max_size`` (bytes, 0 = no
    limit) defuses a decompression bomb: the output is cut there.
    """
    if not body.startswith(GZIP_MAGIC):
        return body
    out = bytearray()
    data = body
    try:
        while data.startswith(GZIP_MAGIC):  # concatenated members are one valid gzip file
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            budget = max_size - len(out) if max_size else 0
            out += d.decompress(data, budget) if budget else d.decompress(data)
            if (max_size and len(out) >= max_size) or not d.eof:
                break
            data = d.unused_data
    except zlib.error:
        pass
    return bytes(out[:max_size]) if max_size else bytes(out)


_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")
_SKIP_PROLOG = re.compile(rb"\A(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S | re.I)


def sniff(body: bytes, content_type: str | None = None) -> str:
    """Say what a response is by its bytes: ``"sitemap"``, ``"feed"``, ``"html"`` or ``"other"``.

    The first element decides, not the Content-Type or the URL, because servers label sitemaps
    and feeds as text/html, text/plain or octet-stream, and a user may pass either as a plain
    start URL.  ``content_type`` only breaks the tie for bodies that are not markup at all.
    """
    head = maybe_gunzip(body, 8192)[:8192]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            head = head.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            pass
    rest = head[_SKIP_PROLOG.match(head).end():]
    m = _FIRST_ELEMENT.match(rest)
    if m:
        name = m.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()
        if name in SITEMAP_ROOTS:
            return "sitemap"
        if name in FEED_ROOTS:
            return "feed"
        return "html" if _looks_like_html(rest, content_type) else "other"
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/html", "application/xhtml+xml") and b"<" in rest[:1024]:
        return "html"
    return "other"


def _looks_like_html(rest: bytes, content_type: str | None) -> bool:
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/html", "application/xhtml+xml"):
        return True
    # An unlabelled or mislabelled page: accept it when it opens like HTML.
    return bool(re.match(rb"<(html|head|body|meta|title|div|p|a|h1|script|link)\b", rest, re.I))


# --- XML --------------------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    return etree.XMLParser(recover=True, resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True, strip_cdata=True)


def _root(body: bytes):
    body = maybe_gunzip(body)
    if not body.strip():
        return None
    try:
        return etree.fromstring(body, parser=_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(el) -> str:
    """The element name without namespace or prefix: sitemaps and feeds in the wild use every
    spelling (default namespace, none, a wrong one, an undeclared ``news:`` prefix)."""
    tag = el.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@functools.lru_cache(maxsize=256)
def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _kids(el) -> dict:
    """First child per local name: one pass instead of a scan per field."""
    out: dict = {}
    for c in el:
        out.setdefault(_local(c), c)
    return out


def _text(el) -> str | None:
    if el is None:
        return None
    value = "".join(el.itertext()).strip()
    return value or None


def _children(el, name: str):
    return [c for c in el if _local(c) == name]


def _child(el, name: str):
    for c in el:
        if _local(c) == name:
            return c
    return None


def parse_sitemap(body: bytes) -> Sitemap | None:
    """Parse a sitemap, sitemap index or news sitemap (gzip or not).  ``None`` if *body* is not one.

    Malformed XML is parsed as far as it goes; entries without a ``<loc>`` are skipped.
    """
    root = _root(body)
    if root is None or _local(root) not in SITEMAP_ROOTS:
        return None
    kind = _local(root)
    wanted = "sitemap" if kind == "sitemapindex" else "url"
    sitemap = Sitemap(kind=kind)
    nodes = [n for n in root if _local(n) == wanted]
    if not nodes:  # entries wrapped in something unexpected: look deeper
        nodes = [n for n in root.iter() if n is not root and _local(n) == wanted]
    for node in nodes:
        kids = _kids(node)
        loc = _text(kids.get("loc"))
        if not loc:
            continue
        entry = SitemapEntry(loc=loc, lastmod=normalize_date(_text(kids.get("lastmod"))))
        news = kids.get("news")
        if news is not None:
            news = _kids(news)
            entry.news_title = _text(news.get("title"))
            entry.news_publication_date = normalize_date(_text(news.get("publication_date")))
            entry.news_keywords = _text(news.get("keywords"))
            pub = news.get("publication")
            if pub is not None:
                pub = _kids(pub)
                entry.news_name = _text(pub.get("name"))
                entry.news_language = _text(pub.get("language"))
        sitemap.entries.append(entry)
    return sitemap


def parse_text_sitemap(body: bytes) -> Sitemap | None:
    """A plain-text sitemap (one absolute URL a line, as the sitemaps protocol allows), or ``None``
    if any non-blank line is not an http(s) URL: a text file that merely mentions URLs is not one."""
    text = maybe_gunzip(body).decode("utf-8", "replace").lstrip("\ufeff")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not all(re.match(r"https?://\S+$", line, re.I) for line in lines):
        return None
    return Sitemap(kind="urlset", entries=[SitemapEntry(loc=line) for line in lines])


def parse_feed(body: bytes) -> list[FeedEntry] | None:
    """Parse RSS 2.0 (and 0.9x), RSS 1.0/RDF or Atom.  ``None`` if *body* is not a feed.

    The entry link is Atom's ``rel="alternate"`` (or rel-less) link, RSS's ``<link>``, or a
    permalink ``<guid>`` when the link is missing; entries without any are skipped.
    """
    root = _root(body)
    if root is None or _local(root) not in FEED_ROOTS:
        return None
    entries = []
    atom = _local(root) == "feed"
    for node in root.iter():
        name = _local(node)
        if atom and name == "entry":
            link = _atom_link(node)
            published = _text(_child(node, "published")) or _text(_child(node, "issued"))
            updated = _text(_child(node, "updated")) or _text(_child(node, "modified"))
        elif not atom and name == "item":
            link = _text(_child(node, "link"))
            if not link:
                guid = _child(node, "guid")
                if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
                    link = _text(guid)
            if not link:
                # RDF items carry their URL as rdf:about.
                link = next((v for k, v in node.attrib.items() if k.rsplit("}", 1)[-1] == "about"), None)
            published = _text(_child(node, "pubdate")) or _text(_child(node, "date"))
            updated = _text(_child(node, "updated")) or _text(_child(node, "modified"))
        else:
            continue
        if not link or not link.strip():
            continue
        entries.append(FeedEntry(link=link.strip(), title=_text(_child(node, "title")),
                                 published=normalize_date(published), updated=normalize_date(updated)))
    return entries


def _atom_link(entry) -> str | None:
    links = _children(entry, "link")
    for link in links:
        if (link.get("rel") or "alternate") == "alternate" and link.get("href", "").strip():
            return link.get("href").strip()
    # Feeds that mix formats write the URL as RSS-style link text.
    return next((_text(link) for link in links if _text(link)), None)


def robots_sitemaps(text: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt, in order, without duplicates."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "sitemap" and value.strip() and value.strip() not in out:
            out.append(value.strip())
    return out


# --- dates ------------------------------------------------------------------------------------

def normalize_date(value: str | None) -> str | None:
    """ISO 8601 for what parses (RFC 822 from RSS, W3C datetime from sitemaps and Atom), with
    UTC made explicit as ``+00:00``; anything else is kept as written rather than lost."""
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        iso = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
        dt = datetime.fromisoformat(iso)
        return dt.isoformat() if "T" in value or " " in value.strip() else dt.date().isoformat()
    except ValueError:
        pass
    try:
        dt = parsedate_to_datetime(value)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone.utc)
        return dt.isoformat()
    except (TypeError, ValueError, IndexError):
        return value


__all__ = ["FeedEntry", "Sitemap", "SitemapEntry", "maybe_gunzip", "normalize_date", "parse_feed",
           "parse_sitemap", "parse_text_sitemap", "robots_sitemaps", "sniff"]
