"""What the crawl may fetch: allowed hosts, include/exclude patterns, and URL clean-up.

Kept apart from the spider so the rules can be tested without a crawl and so the same rules can
be applied to links, sitemap entries and feed entries alike.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Linked files that are never worth a request: large, not news, and not replayable as pages.
# Images and PDFs are *not* here: an article's linked PDF or photo is part of the record.
SKIP_EXTENSIONS = frozenset(
    """7z apk bin bz2 deb dmg exe gz iso jar msi rar rpm tar tgz xz zip zst
    avi flv m4v mkv mov mp4 mpeg mpg ogv webm wmv aac flac m4a mp3 oga ogg wav wma
    css js ico woff woff2 ttf eot otf""".split())


def split_list(value) -> list[str]:
    """Accept a list/tuple, or a comma-separated string as ``scrapy crawl -a NAME=a,b`` gives.

    Commas inside ``{}``, ``[]`` or ``()`` do not split, so a regex like ``/\\d{4,8}/`` survives.
    """
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v).strip() for v in value if str(v).strip()]
    out, cur, level = [], [], 0
    for ch in str(value):
        if ch in "{[(":
            level += 1
        elif ch in "}])" and level:
            level -= 1
        if ch == "," and level == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [v.strip() for v in out if v.strip()]


# Campaign tags that feeds and newsletters add to article links: the same story under another URL
# would be fetched, archived and extracted twice.
_TRACKING = re.compile(r"(?:^|(?<=&))(?:utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid)=[^&]*", re.I)


def clean_url(url: str) -> str | None:
    """An absolute http(s) URL made safe to request, without fragment or campaign tags (utm_*,
    fbclid, gclid); ``None`` if it is not one.

    Other query parameters keep their order: the archive records the URL the site linked to.
    """
    try:
        url = safe_url_string(url.strip())
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return None
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    query = parts.query
    if query and _TRACKING.search(query):
        query = "&".join(p for p in query.split("&") if not _TRACKING.match(p))
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def site_domain(host: str) -> str:
    """The domain a seed host stands for: ``www.`` dropped, so its sibling subdomains count too."""
    host = (host or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def url_extension(url: str) -> str:
    path = urlsplit(url).path
    ext = posixpath.splitext(path)[1]
    return ext[1:].lower() if ext else ""


def _compile(pattern: str, what: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid {what} pattern {pattern!r}: {exc}") from None


def is_article_feed(feed_url: str, page_url: str) -> bool:
    """A feed of one article (its comments, mostly), found on that article's page: the feed's
    path lies under the article's path (WordPress ``/2026/11/slug/feed/``), or its query names a
    single post (``?feed=rss2&p=123``). Following such feeds doubles a crawl's requests and
    brings no new articles; a section's feed, under a listing page, is not one of them."""
    feed, page = urlsplit(feed_url), urlsplit(page_url)
    if (feed.hostname or "").lower() != (page.hostname or "").lower():
        return False
    base = page.path.rstrip("/")
    if base and feed.path.startswith(base + "/") and feed.path != page.path:
        return True
    params = {p.partition("=")[0].lower() for p in feed.query.split("&") if p}
    return "feed" in params and bool(params & {"p", "page_id", "post", "withcomments"})


@dataclass
class Scope:
    """Allowed domains (with subdomains, ports ignored) plus include/exclude regexes on the URL."""

    domains: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.domains = sorted({site_domain(d.split("://")[-1].split("/")[0].split(":")[0])
                               for d in self.domains if d})
        self._include = [_compile(p, "include") for p in self.include]
        self._exclude = [_compile(p, "exclude") for p in self.exclude]

    def host_allowed(self, url: str) -> bool:
        if not self.domains:
            return True
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def check(self, url: str) -> str | None:
        """``None`` if *url* is in scope, else the reason it is not (a stats key suffix)."""
        if not self.host_allowed(url):
            return "offsite"
        if url_extension(url) in SKIP_EXTENSIONS:
            return "extension"
        if self._exclude and any(p.search(url) for p in self._exclude):
            return "excluded"
        if self._include and not any(p.search(url) for p in self._include):
            return "not_included"
        return None
