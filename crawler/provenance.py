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

from crawler.analysis.robots_meta import forbids
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
