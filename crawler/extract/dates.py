"""Date normalisation: whatever a page writes (ISO, RFC 822, "Nov. 8, 2017", "8. März 2024",
"08.11.2017") becomes ISO 8601, keeping time and offset only when the page states them.

Precision is the point: a wrong date is worse than none, so every parser refuses values it cannot
read unambiguously, and years outside a plausible window are rejected.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime, parsedate_tz

from crawler.extract.meta_patterns import patterns

MIN_YEAR = 1990

_ISO = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)"
    r"(?:[T ]\s*(?P<H>[0-2]?\d):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-][01]\d(?::?[0-5]\d)?)?)?(?!\d)")
_SLASH_YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[/.](?P<m>[01]?\d)[/.](?P<d>[0-3]?\d)(?!\d)")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?:T?(?P<H>[0-2]\d)(?P<M>[0-5]\d)(?P<S>[0-5]\d)?)?(?P<tz>Z)?$")
_NUMERIC = re.compile(r"(?<![\d./])(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d])")
_NUMERIC_SHORT = re.compile(r"(?<![\d./])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d\d)(?![\d./]|\.\d)")
_YEAR_MONTH_DAY = re.compile(r"^(?P<y>(?:19|20)\d\d)\s+(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<d>[0-3]?\d)$")
_TEXTUAL = re.compile(r"[^\W\d_]{4,}")  # a word beside the date: "Thu" is fine, a sentence is not
_EPOCH = re.compile(r"^1[0-9]{9}(?:[0-9]{3})?$")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/-]?(?P<m>0[1-9]|1[0-2])[/-]?(?P<d>0[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")


# The year the page was captured in, while its dates are read (``capture_year``): no date on the
# page can be later, and a two-digit year is the latest year ending in those digits not after it.
# A context variable, so the capture reaches every parser without threading it through each call.
_CAPTURE_YEAR: ContextVar[int | None] = ContextVar("capture_year", default=None)


@contextmanager
def capture_year(instant: datetime | None):
    """Read the dates of a page captured at ``instant`` (None: capture time unknown)."""
    token = _CAPTURE_YEAR.set(instant.year if instant else None)
    try:
        yield
    finally:
        _CAPTURE_YEAR.reset(token)


def _max_year() -> int:
    """The capture's year; without one, next year (a page may be dated in the publisher's time zone)."""
    return _CAPTURE_YEAR.get() or datetime.now(timezone.utc).year + 1


def full_year(two_digits: int) -> int:
    """"26" -> 2026 for a page captured in 2026, "98" -> 1998: the latest year ending in these
    digits that is not after the capture (or, with no capture time, after next year)."""
    top = _max_year()
    year = top - top % 100 + two_digits
    return year if year <= top else year - 100


def _valid(y: int, m: int, d: int) -> date | None:
    if not MIN_YEAR <= y <= _max_year():
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _tz(text: str | None) -> str | None:
    if not text:
        return None
    t = text.upper()
    if t in ("Z", "UTC", "GMT"):
        return "+00:00"
    sign, digits = t[0], t[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    return f"{sign}{digits[:2]}:{digits[2:4]}"


def _fmt(day: date, hour=None, minute=None, second=None, tz=None) -> str:
    if hour is None:
        return day.isoformat()
    h, mi, s = int(hour), int(minute or 0), int(second or 0)
    if h > 23:
        return day.isoformat()
    out = f"{day.isoformat()}T{h:02d}:{mi:02d}:{s:02d}"
    return out + (_tz(tz) or "")


def _month_regexes():
    p = patterns()
    alt = p.month_alt
    day_month = re.compile(
        r"(?<![\w])(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+|of\s+)?(?P<mon>" + alt +
        r")\.?,?\s*(?:de\s+|del\s+)?(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
    # the lookahead rejects, in one cheap step, the many word starts not followed by a day number,
    # before the long alternation of month names is tried there
    month_day = re.compile(
        r"(?<![\w])(?=[^\W\d_]+\.?\s+[0-3]?\d)(?P<mon>" + alt +
        r")\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
    return day_month, month_day


_MONTH_RES = None


def _month_res():
    global _MONTH_RES
    if _MONTH_RES is None:
        _MONTH_RES = _month_regexes()
    return _MONTH_RES


_CLOCK = re.compile(r"^[\s,|at@um·à-]*(?P<H>[0-2]?\d)[:h.](?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?"
                    r"\s*(?P<tz>Z|UTC|GMT|[+-][01]\d:?[0-5]\d)?(?![\d])", re.I)


def parse_date(value, *, month_first: bool = False, with_text: bool = True) -> str | None:
    """Normalise one date value to ISO 8601, or None when it cannot be read with confidence.

    ``month_first`` decides ambiguous numeric dates such as 03/04/2021 (US pages); ``with_text``
    allows month names and day-first numeric dates (visible text), not only machine formats.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        value = str(int(value))
    text = str(value).strip()
    if not text or len(text) > 300:
        return None
    m = _ISO.search(text)
    if m:
        day = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if day:
            return _fmt(day, m["H"], m["M"], m["S"], m["tz"])
    m = _COMPACT.match(text)
    if m:
        day = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if day:
            return _fmt(day, m["H"], m["M"], m["S"], m["tz"])
    if _EPOCH.match(text):
        secs = int(text[:10])
        dt = datetime.fromtimestamp(secs, timezone.utc)
        if MIN_YEAR <= dt.year <= _max_year():
            return dt.isoformat()
    if "," in text[:5] or re.match(r"^[A-Za-z]{3},? \d", text):
        parsed = parsedate_tz(text)
        if parsed and parsed[0] >= MIN_YEAR:
            day = _valid(parsed[0], parsed[1], parsed[2])
            if day:
                tz = None
                if parsed[9] is not None:
                    off = timedelta(seconds=parsed[9])
                    sign = "+" if off >= timedelta(0) else "-"
                    mins = abs(parsed[9]) // 60
                    tz = f"{sign}{mins // 60:02d}:{mins % 60:02d}"
                return _fmt(day, parsed[3], parsed[4], parsed[5], tz)
    m = _SLASH_YMD.search(text)
    if m:
        day = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if day:
            return day.isoformat()
    m = _YEAR_MONTH_DAY.match(text)  # "2023 Jan 7": how scholarly metadata (citation_*) writes dates
    if m:
        mon = patterns().month_of.get(m["mon"].casefold().rstrip("."))
        day = _valid(int(m["y"]), mon, int(m["d"])) if mon else None
        if day:
            return day.isoformat()
    if not with_text:
        m = _NUMERIC.search(text)  # a field that holds a date, written "Thu, 09/25/2025 - 11:38"
        if not m or m["sep"] == "-" or _TEXTUAL.search(text[:m.start()] + text[m.end():]):
            return None
    return _text_date(text, month_first)


def _text_date(text: str, month_first: bool) -> str | None:
    p = patterns()
    best = None
    for rx in _month_res():
        for m in rx.finditer(text):
            mon = p.month_of.get(m["mon"].casefold().rstrip("."))
            if not mon:
                continue
            day = _valid(int(m["y"]), mon, int(m["d"]))
            if day and (best is None or m.start() < best[0]):
                best = (m.start(), day, m.end())
    m = _NUMERIC.search(text)
    if m and (best is None or m.start() < best[0]):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 or m["sep"] == "." or not month_first:
            d, mo = a, b
        else:
            d, mo = b, a
        if b > 12 and a <= 12:
            d, mo = b, a
        day = _valid(y, mo, d)
        if day:
            best = (m.start(), day, m.end())
    if best is None:
        m = _NUMERIC_SHORT.search(text)  # "12.03.26", "03/12/26": the year from the capture's century
        if m:
            a, b = int(m["a"]), int(m["b"])
            d, mo = (b, a) if (month_first and m["sep"] == "/" and a <= 12) or (b > 12 >= a) else (a, b)
            day = _valid(full_year(int(m["y"])), mo, d)
            if day:
                best = (m.start(), day, m.end())
    if best is None:
        return None
    _, day, end = best
    clock = _CLOCK.match(text[end:end + 30])
    if clock:
        h = int(clock["H"])
        ampm = (clock["ampm"] or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        elif ampm == "am" and h == 12:
            h = 0
        if clock["tz"]:
            return _fmt(day, h, clock["M"], clock["S"], clock["tz"])
    return day.isoformat()


_URL_DATE_DMY = re.compile(
    r"/(?P<d>0[1-9]|[12]\d|3[01])-(?P<m>0[1-9]|1[0-2])-(?P<y>(?:19|20)\d\d)(?:/|\.html?|$|[?#])")


def date_from_url(url: str | None) -> str | None:
    """A date only when the URL carries a full year/month/day (or a whole day-month-year path
    segment, ".../meldungen/29-10-2021"): a year or year/month alone is no day."""
    if not url:
        return None
    m = _URL_DATE.search(url) or _URL_DATE_DMY.search(url)
    if not m:
        return None
    day = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
    return day.isoformat() if day else None


def day_of(value: str | None) -> str | None:
    return value[:10] if value else None


def capture_instant(value: str | None) -> datetime | None:
    """When a page was captured, from a WARC-Date ("2026-03-12T08:15:00Z") or an HTTP ``Date``
    header ("Thu, 12 Mar 2026 08:15:00 GMT"), as an aware UTC datetime; None when unreadable."""
    if not value:
        return None
    text = str(value).strip()
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            instant = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(timezone.utc)


# A day written without a time may be a day ahead of UTC (UTC+14 at most); a local time without an
# offset likewise; an instant with its offset gets a few minutes for the publisher's clock.
_LOCAL_SLACK = timedelta(hours=14)
_CLOCK_SLACK = timedelta(minutes=10)


def later_than(value: str | None, bound: datetime | None) -> bool:
    """True when the ISO date/time ``value`` is certainly later than the instant ``bound``."""
    if not value or bound is None:
        return False
    try:
        if len(value) == 10:
            return date.fromisoformat(value) > (bound + _LOCAL_SLACK).date()
        instant = datetime.fromisoformat(value)
    except ValueError:
        return False
    if instant.tzinfo is None:
        return instant > (bound + _LOCAL_SLACK).replace(tzinfo=None)
    return instant > bound + _CLOCK_SLACK


def later(a: str | None, b: str | None) -> bool:
    """True when ISO date ``a`` is certainly later than ``b``: as instants when both carry an
    offset, else by more than a day (a day, or a time without offset, is somebody's local day)."""
    if not a or not b:
        return False
    try:
        if len(a) > 19 and len(b) > 19:
            return datetime.fromisoformat(a) > datetime.fromisoformat(b)
        return date.fromisoformat(a[:10]) > date.fromisoformat(b[:10]) + timedelta(days=1)
    except ValueError:
        return False


# The same match as (?<!\d)(?:19|20)\d\d(?!\d), but with the look-behind after the literal prefix:
# a leading look-behind is tried at every character of the page's text (4x slower on a long page).
YEAR = re.compile(r"(?:19|20)(?<!\d..)\d\d(?!\d)")
_BEFORE_YEAR = 64  # "12 de septiembre de 2023" and its spacing fit in far fewer characters


def _year_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` that end with a year: every month-name date ends with one.

    Trying the long alternation of month names only there, instead of at every word start, is
    what keeps date finding cheap on long pages (it was a third of extraction time). Windows do
    not overlap, so no match is found twice."""
    windows = []
    prev = 0
    for m in YEAR.finditer(text):
        windows.append((max(prev, m.start() - _BEFORE_YEAR), m.end()))
        prev = m.end()
    return windows


def numeric_order(text: str) -> str | None:
    """"mdy" or "dmy" when the numeric dates written in ``text`` settle the order by themselves
    (a "25/04/2024" elsewhere on the page says how its "03/04/2024" reads); None when none does or
    they disagree. Dotted dates are left out: they are day-first everywhere."""
    votes = set()
    for lo, hi in _year_windows(text):
        for m in _NUMERIC.finditer(text, lo, hi):
            if m["sep"] == ".":
                continue
            a, b = int(m["a"]), int(m["b"])
            if a > 12 >= b >= 1:
                votes.add("dmy")
            elif b > 12 >= a >= 1:
                votes.add("mdy")
    return votes.pop() if len(votes) == 1 else None


def find_dates(text: str, month_first: bool = False, limit: int = 200) -> list[tuple[int, date]]:
    """Every (offset, day) written in ``text`` (numeric or with a month name), in text order."""
    p = patterns()
    found: list[tuple[int, date]] = []
    windows = _year_windows(text)
    for rx in _month_res():
        count = 0
        for lo, hi in windows:
            for m in rx.finditer(text, lo, hi):
                mon = p.month_of.get(m["mon"].casefold().rstrip("."))
                day = _valid(int(m["y"]), mon, int(m["d"])) if mon else None
                if day:
                    found.append((m.start(), day))
                    count += 1
            if count > limit:
                break
    for lo, hi in windows:  # "d.m.yyyy" ends with the year too
        for m in _NUMERIC.finditer(text, lo, hi):
            a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
            d, mo = (b, a) if (month_first and m["sep"] != "." and a <= 12) or (b > 12 and a <= 12) else (a, b)
            day = _valid(y, mo, d)
            if day:
                found.append((m.start(), day))
    for rx in (_ISO, _SLASH_YMD):  # these start with the year
        end = 0
        for lo, hi in windows:
            year_start = hi - 4
            if year_start < end:
                continue
            m = rx.match(text, year_start)
            if m:
                end = m.end()
                day = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
                if day:
                    found.append((m.start(), day))
    found.sort(key=lambda t: t[0])
    return found


def shift_to_day(iso_utc: str, day: str) -> str | None:
    """The same instant written with the whole-hour offset nearest to UTC whose local date is ``day``,
    or None when no offset within 14 hours gives that day. Used when a page stores UTC but files the
    story (URL) under its local day: the instant is kept exactly, only its local rendering changes."""
    try:
        instant = datetime.fromisoformat(iso_utc)
        target = date.fromisoformat(day)
    except ValueError:
        return None
    if abs((instant.date() - target).days) != 1:
        return None
    for hours in sorted(range(-12, 15), key=abs):
        local = instant.astimezone(timezone(timedelta(hours=hours)))
        if local.date() == target:
            return local.isoformat()
    return None
