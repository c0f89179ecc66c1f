"""How a capture was found and what its page says about robots, as dataset columns.

The spider learns things about a URL before fetching it (``hints``: seed, sitemap, feed or
link, the referring page, the depth, what a news sitemap or feed entry said); the page itself
may say ``noarchive``. Both become columns of ``captures`` and ``articles`` here
(``crawler/dataset/schema.py``, migration 6), so researchers can ask how an article was found,
and institutions that must honour ``noarchive`` can (``NEWSARCHIVE_NOARCHIVE``,
docs/archive.md). Scrapy-free: the pipeline, ``reextract`` and tests call the same functions.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from crawler.analysis.robots_meta import bot_names, decoded_start, forbids, robots_directives
from crawler.dataset.schema import ARTICLE_POLICY_COLUMNS

NOARCHIVE_POLICIES = ("record", "skip")
ARTICLE_COLUMNS = tuple(ARTICLE_POLICY_COLUMNS)
# hints key (spiders/news.py HINT_KEYS) -> captures column
HINT_COLUMNS = {
    "source": "found_by", "referer": "found_on", "depth": "depth",
    "news_title": "news_title", "news_publication_date": "news_published",
    "news_keywords": "news_keywords", "news_language": "news_language",
    "feed_title": "feed_title", "feed_published": "feed_published", "lastmod": "sitemap_lastmod",
}
# captures column -> the field of the capture's WARC metadata record (docs/archive.md)
FIELD_NAMES = {column: column.replace("_", "-")
               for column in (*HINT_COLUMNS.values(), "robots", "noarchive")}
# the field every article record of WarcMetadataPipeline has: such a record is not a capture's
ARTICLE_RECORD_FIELD = "extraction-status"
# a page date and a discovery date this far apart disagree (time zones and "updated" times
# inside a day are not a disagreement)
DISAGREEMENT = timedelta(days=1)


def check_policy(value) -> str:
    policy = str(value or "record").strip().lower()
    if policy not in NOARCHIVE_POLICIES:
        raise ValueError(f"NEWSARCHIVE_NOARCHIVE must be record or skip, not {value!r}")
    return policy


def capture_columns(hints: dict | None) -> dict:
    """The provenance columns of a capture from the hints its request carried."""
    return {column: hints[key] for key, column in HINT_COLUMNS.items()
            if hints and hints.get(key) not in (None, "")}


def one_line(hints: dict) -> dict:
    """The hints as the WARC keeps them (a field value is one line: ``warc_records.warc_fields``),
    so what the dataset stores from them is what a rebuild reads back."""
    return {k: v.replace("\r", " ").replace("\n", " ") if isinstance(v, str) else v
            for k, v in hints.items()}


def warc_fields(columns: dict) -> dict:
    """The fields of a capture's WARC metadata record from its provenance and robots columns."""
    return {FIELD_NAMES[c]: v for c, v in columns.items() if c in FIELD_NAMES and v not in (None, "")}


def fields_columns(fields: dict | None) -> dict:
    """The captures columns a capture's WARC metadata record gives back (``warc_fields``
    inverted); {} for none, or for an article's record (older archives put discovery fields
    there, and its record may follow the capture's group)."""
    if not fields or ARTICLE_RECORD_FIELD in fields:
        return {}
    out = {}
    for column, name in FIELD_NAMES.items():
        value = fields.get(name)
        if isinstance(value, list):
            value = value[-1]
        if column == "depth":
            value = int(value) if value is not None and str(value).isdigit() else None
        if value not in (None, ""):
            out[column] = value
    return out


def fields_hints(columns: dict) -> dict:
    """The spider's hints (the keys ``article_columns`` reads) from a capture's columns."""
    return {key: columns[column] for key, column in HINT_COLUMNS.items() if column in columns}


def robots_columns(directives: dict, names, policy: str) -> dict:
    """``robots`` (JSON of every directive, whoever it addresses: ``robots_directives``) and
    ``noarchive`` (the policy applied: "recorded" or "skipped") when the page forbids
    archiving by us."""
    if not directives:
        return {}
    out = {"robots": json.dumps(directives, sort_keys=True)}
    if forbids(directives, "noarchive", names):
        out["noarchive"] = "skipped" if policy == "skip" else "recorded"
    return out


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def article_columns(article: dict, hints: dict | None, fetched_at: str | None,
                    noarchive: str | None = None) -> dict:
    """The article's provenance columns: how it was found, its noarchive flag, and the
    discovery date; with ``published`` set to the news-sitemap date when the page has none (and
    that date is not after the capture). A page date more than a day from the discovery date is
    recorded as a disagreement, not resolved. The extracted content (and so its versions) stays
    what the page gave: that is what ``reextract`` rebuilds from the WARC."""
    hints = hints or {}
    columns = dict.fromkeys(ARTICLE_COLUMNS)
    columns.update(found_by=hints.get("source"), found_on=hints.get("referer"), noarchive=noarchive)
    sitemap_date = hints.get("news_publication_date")
    discovered = sitemap_date or hints.get("feed_published")
    page_date = article.get("published")
    if page_date:
        columns["published_from"] = "page"
    if discovered:
        columns["discovered_published"] = discovered
        found, shown = _instant(discovered), _instant(page_date)
        if found and shown:
            columns["published_disagrees"] = int(abs(found - shown) > DISAGREEMENT)
        elif not page_date and sitemap_date and found:
            captured = _instant(fetched_at)
            if captured is None or found <= captured:
                columns.update(published=sitemap_date, published_from="news_sitemap")
    return columns


class CaptureProvenance:
    """Crawl extension: how each capture was found (the request's hints) and the robots
    directives its response carried, with the ``NEWSARCHIVE_NOARCHIVE`` decision, given to the
    WARC middleware (``archive.signals.capture_metadata``) for the capture's metadata record.

    The middleware hands the same fields to the dataset (``capture_archived``'s ``metadata``,
    read back by ``fields_columns`` as ``reextract`` reads the record), so a dataset rebuilt
    from the WARCs alone has the provenance the crawl stored. The hints are frozen as written:
    what the spider merges into them later (a URL met again before its page is parsed) is
    neither in the archive nor in the dataset.
    """

    def __init__(self, settings):
        # a bad value is refused before the crawl by crawler.runner, in one line
        self.policy = check_policy(settings.get("NEWSARCHIVE_NOARCHIVE", "record"))
        self.bot_names = bot_names(settings.get("USER_AGENT"), settings.get("BOT_NAME"))

    @classmethod
    def from_crawler(cls, crawler):
        from archive.signals import capture_metadata

        ext = cls(crawler.settings)
        crawler.signals.connect(ext.describe, signal=capture_metadata)
        return ext

    def describe(self, request, response=None, **kwargs) -> dict:
        hints = request.meta.get("hints")
        if hints:
            hints = request.meta["hints"] = one_line(hints)
        columns = capture_columns(hints)
        if response is not None:
            columns.update(self.robots(response))
        return warc_fields(columns)

    def robots(self, response) -> dict:
        """``robots`` and ``noarchive`` of a response: its X-Robots-Tag, and the meta tags of
        an HTML body (revisits too: the crawl has the body)."""
        headers = response.headers
        body = None
        mime = (headers.get("Content-Type") or b"").split(b";", 1)[0].strip().lower()
        if b"html" in mime:
            encoding = headers.get("Content-Encoding")
            body = decoded_start(response.body, encoding.decode("latin-1") if encoding else None)
        directives = robots_directives(headers.getlist("X-Robots-Tag"), body, self.bot_names)
        return robots_columns(directives, self.bot_names, self.policy)
