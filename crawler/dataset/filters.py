"""The filters search and export share: site, published date range, author, extraction verdict.

Dates compare as ISO 8601 text, so a bare day or month means the whole day or month:
``--until 2026-11`` includes every article published in November.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from crawler.dataset.errors import DatasetError

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def _period_start(value: str, option: str) -> str:
    value = value.strip()
    try:
        if _YEAR.match(value):
            return value
        if _MONTH.match(value):
            datetime.strptime(value, "%Y-%m")
            return value
        if _DAY.match(value):
            date.fromisoformat(value)
            return value
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return value
    except ValueError:
        pass
    raise DatasetError(f"{option} expects a date like 2026-11-24 (or 2026-11, 2026, or a full "
                     f"ISO 8601 timestamp), got {value!r}")


def _period_end(value: str) -> tuple[str, str]:
    """(operator, bound) that includes the whole day, month or year named by ``value``."""
    if _YEAR.match(value):
        return "<", str(int(value) + 1)
    if _MONTH.match(value):
        year, month = map(int, value.split("-"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return "<", f"{year:04d}-{month:02d}"
    if _DAY.match(value):
        return "<", value + "~"  # '~' sorts after 'T' and every digit: the whole day
    return "<=", value


def _verdict_filters(verdict, reason, alias):
    # Imported here: the extraction package is heavy to load, and only these filters need its vocabulary.
    from crawler.extract.article import VERDICT_REASONS, VERDICTS

    where, params = [], []
    if verdict:
        if verdict not in VERDICTS:
            raise DatasetError(f"--verdict expects one of {', '.join(VERDICTS)}, got {verdict!r}")
        where.append(f"{alias}.verdict = ?")
        params.append(verdict)
    if reason:
        if reason not in VERDICT_REASONS:
            raise DatasetError(f"--reason expects one of {', '.join(VERDICT_REASONS)}, got {reason!r}")
        where.append(f"EXISTS (SELECT 1 FROM json_each({alias}.verdict_reasons) WHERE value = ?)")
        params.append(reason)
    return where, params


def article_filters(site=None, since=None, until=None, author=None, alias="a", verdict=None, reason=None):
    """SQL conditions and parameters over the articles table aliased ``alias``.

    ``verdict`` (``ok`` or ``suspect``) and ``reason`` (one of a suspect row's reasons) select by
    the extraction verdict; rows extracted before verdicts existed have none and match neither."""
    where, params = _verdict_filters(verdict, reason, alias) if verdict or reason else ([], [])
    if site:
        where.append(f"({alias}.site = ? OR {alias}.site LIKE ?)")
        site = site.strip().lower()
        site = site[4:] if site.startswith("www.") else site
        params += [site, "%." + site]
    if since:
        where.append(f"{alias}.published >= ?")
        params.append(_period_start(since, "--since"))
    if until:
        op, bound = _period_end(_period_start(until, "--until"))
        where.append(f"{alias}.published {op} ?")
        params.append(bound)
    if author:
        where.append(f"EXISTS (SELECT 1 FROM article_authors aa JOIN authors au "
                     f"ON au.id = aa.author_id WHERE aa.article_id = {alias}.id "
                     f"AND au.name LIKE ?)")
        params.append(f"%{author.strip()}%")
    return where, params
