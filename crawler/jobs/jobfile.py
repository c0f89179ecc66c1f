"""Named, recurring crawl jobs read from a TOML file (see ``jobs.example.toml``).

A jobs file is configuration an archivist edits by hand and runs for years, so it is validated
completely on load and every mistake is reported as one line naming the file, the job and the
field.  A job turns into exactly the same ``run_crawl`` call a user could type.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from archive.location import DEFAULT_ARCHIVE_DIR, ArchiveLocationError, archive_location

DEFAULT_BACKOFF = ("1h", "6h", "1d", "7d")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)?\s*$", re.I)
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?\s*$", re.I)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZES = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
          "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class JobsFileError(Exception):
    """A jobs file that cannot be used; the message is one line: file, job, field, problem."""


@dataclass
class Schedule:
    cron: str | None = None
    interval: float | None = None      # seconds
    timezone: str = "UTC"

    def next_after(self, when: datetime) -> datetime:
        """The first due time strictly after ``when`` (aware datetimes)."""
        if self.interval is not None:
            return when + timedelta(seconds=self.interval)
        local = when.astimezone(ZoneInfo(self.timezone))
        return croniter(self.cron, local).get_next(datetime)

    def describe(self) -> str:
        if self.interval is not None:
            return f"every {format_duration(self.interval)}"
        return f"cron '{self.cron}' ({self.timezone})"


@dataclass
class Job:
    name: str
    seeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_pages: int = 0
    depth: int | None = None
    duration: float | None = None     # seconds
    max_bytes: int | None = None
    delay: float | None = None
    concurrency_per_domain: int | None = None
    robots: str = "obey"
    schedule: Schedule | None = None
    archive: str = DEFAULT_ARCHIVE_DIR
    warc_prefix: str | None = None
    operator: str | None = None
    contact: str | None = None
    backoff: list[float] = field(default_factory=lambda: [parse_duration(d) for d in DEFAULT_BACKOFF])
    settings: dict = field(default_factory=dict)

    @property
    def archive_path(self) -> Path:
        return Path(self.archive)

    def state_dir(self) -> Path:
        """Per-job working state (Scrapy JOBDIR, lock) inside the job's archive."""
        return self.archive_path / "jobs" / self.name

    def settings_overrides(self) -> dict:
        """The Scrapy settings this job means; explicit ``settings`` entries win."""
        out: dict = {
            "WARC_JOB_NAME": self.name,
            "WARC_PREFIX": self.warc_prefix or self.name,
            "ROBOTSTXT_OBEY": self.robots == "obey",
            "REFRESH_ENABLED": True,
            "REFRESH_BACKOFF": ",".join(str(int(s)) for s in self.backoff),
        }
        if self.delay is not None:
            out["DOWNLOAD_DELAY"] = self.delay
        if self.concurrency_per_domain is not None:
            out["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency_per_domain
        if self.duration:
            out["CLOSESPIDER_TIMEOUT"] = self.duration
        if self.max_bytes:
            out["NEWSARCHIVE_MAX_BYTES"] = self.max_bytes
        if self.operator:
            out["WARC_OPERATOR"] = self.operator
        if self.contact:
            out["NEWSARCHIVE_CONTACT_URL"] = self.contact
        out.update(self.settings)
        return out

    def crawl_kwargs(self) -> dict:
        return {
            "start_urls": self.seeds, "sitemap_urls": self.sitemaps, "feed_urls": self.feeds,
            "archive": self.archive_path, "max_pages": self.max_pages or None, "depth": self.depth,
            "allow_domains": self.domains, "include": self.include, "exclude": self.exclude,
            "settings_overrides": self.settings_overrides(),
        }


def parse_duration(value) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 15m, 6h, 1d)")
    return float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]


def parse_size(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError(f"not a size: {value!r} (use e.g. 500MB, 2GB)")
    return int(float(match.group(1)) * _SIZES[(match.group(2) or "b").lower()])


def format_duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


# --- loading and validation ----------------------------------------------------------------

_KNOWN = {
    "": {"seeds", "sitemaps", "feeds", "archive", "warc_prefix", "operator", "contact", "scope",
         "limits", "politeness", "schedule", "refresh", "settings"},
    "scope": {"domains", "include", "exclude"},
    "limits": {"pages", "depth", "duration", "bytes"},
    "politeness": {"delay", "concurrency_per_domain", "robots"},
    "schedule": {"cron", "interval", "timezone"},
    "refresh": {"article_backoff"},
}


class _Reader:
    """Reads one job's table, turning each problem into a one-line JobsFileError."""

    def __init__(self, path: Path, name: str, table: dict):
        self.path, self.name, self.table = path, name, table

    def fail(self, fld: str, problem: str):
        raise JobsFileError(f"{self.path}: job '{self.name}': {fld}: {problem}")

    def section(self, key: str) -> dict:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, "must be a table")
        return value

    def check_keys(self, key: str, table: dict):
        unknown = sorted(set(table) - _KNOWN[key])
        if unknown:
            where = f"{key}." if key else ""
            self.fail(where + unknown[0], f"unknown field (known: {', '.join(sorted(_KNOWN[key]))})")

    def strings(self, fld: str, value) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(fld, "must be a list of non-empty strings")
        return [v.strip() for v in value]

    def urls(self, fld: str, value) -> list[str]:
        out = self.strings(fld, value)
        for url in out:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                self.fail(fld, f"not a valid http(s) URL: {url!r}")
        return out

    def regexes(self, fld: str, value) -> list[str]:
        out = self.strings(fld, value)
        for pattern in out:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.fail(fld, f"invalid regular expression {pattern!r}: {exc}")
        return out

    def number(self, fld: str, value, kind=int, minimum=0):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            self.fail(fld, f"must be a number >= {minimum}")
        if kind is int and not float(value).is_integer():
            self.fail(fld, "must be a whole number")
        return kind(value)

    def convert(self, fld: str, value, fn):
        if value is None:
            return None
        try:
            return fn(value)
        except ValueError as exc:
            self.fail(fld, str(exc))


def _job(path: Path, name: str, table: dict, defaults: dict) -> Job:
    r = _Reader(path, name, table)
    if not _NAME.match(name):
        r.fail("name", "use letters, digits, '.', '-' and '_' only")
    if not isinstance(table, dict):
        r.fail("job", "must be a table")
    merged = {key: ({**defaults[key], **value} if isinstance(value, dict) and isinstance(defaults.get(key), dict)
                    else value) for key, value in table.items()}
    merged = {**defaults, **merged}
    r.table = merged
    r.check_keys("", merged)
    scope, limits = r.section("scope"), r.section("limits")
    polite, sched, refresh = r.section("politeness"), r.section("schedule"), r.section("refresh")
    for key, sub in (("scope", scope), ("limits", limits), ("politeness", polite),
                     ("schedule", sched), ("refresh", refresh)):
        r.check_keys(key, sub)

    job = Job(name=name)
    job.seeds = r.urls("seeds", merged.get("seeds"))
    job.sitemaps = r.urls("sitemaps", merged.get("sitemaps"))
    job.feeds = r.urls("feeds", merged.get("feeds"))
    if not (job.seeds or job.sitemaps or job.feeds):
        r.fail("seeds", "a job needs at least one of seeds, sitemaps or feeds")
    job.domains = r.strings("scope.domains", scope.get("domains"))
    job.include = r.regexes("scope.include", scope.get("include"))
    job.exclude = r.regexes("scope.exclude", scope.get("exclude"))
    job.max_pages = r.number("limits.pages", limits.get("pages")) or 0
    job.depth = r.number("limits.depth", limits.get("depth"))
    job.duration = r.convert("limits.duration", limits.get("duration"), parse_duration)
    job.max_bytes = r.convert("limits.bytes", limits.get("bytes"), parse_size)
    job.delay = r.number("politeness.delay", polite.get("delay"), float)
    job.concurrency_per_domain = r.number("politeness.concurrency_per_domain",
                                          polite.get("concurrency_per_domain"), int, 1)
    robots = polite.get("robots", "obey")
    if robots not in ("obey", "ignore"):
        r.fail("politeness.robots", "must be 'obey' or 'ignore'")
    job.robots = robots
    for key in ("archive", "warc_prefix", "operator", "contact"):
        value = merged.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            r.fail(key, "must be a non-empty string")
        if value is not None:
            setattr(job, key, value.strip())
    if job.archive and not Path(job.archive).is_absolute():
        job.archive = str((path.parent / job.archive).resolve())
    try:
        archive_location(job.archive)
    except ArchiveLocationError as exc:
        r.fail("archive", str(exc))
    if sched:
        job.schedule = _schedule(r, sched)
    if "article_backoff" in refresh:
        steps = refresh["article_backoff"]
        if not isinstance(steps, list):
            r.fail("refresh.article_backoff", "must be a list of durations, e.g. ['1h', '1d']")
        job.backoff = [r.convert("refresh.article_backoff", s, parse_duration) for s in steps]
    settings = merged.get("settings", {})
    if not isinstance(settings, dict):
        r.fail("settings", "must be a table of Scrapy setting names and values")
    job.settings = dict(settings)
    return job


def _schedule(r: _Reader, sched: dict) -> Schedule:
    cron, interval = sched.get("cron"), sched.get("interval")
    if (cron is None) == (interval is None):
        r.fail("schedule", "give exactly one of cron or interval")
    tz = sched.get("timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        r.fail("schedule.timezone", f"unknown time zone {tz!r}")
    if cron is not None:
        if not isinstance(cron, str) or not croniter.is_valid(cron):
            r.fail("schedule.cron", f"invalid cron expression {cron!r}")
        return Schedule(cron=cron, timezone=tz)
    seconds = r.convert("schedule.interval", interval, parse_duration)
    if not seconds:
        r.fail("schedule.interval", "must be longer than zero")
    return Schedule(interval=seconds, timezone=tz)


def load_jobs(path: Path | str) -> dict[str, Job]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JobsFileError(f"{path}: no such jobs file") from None
    except OSError as exc:
        raise JobsFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise JobsFileError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise JobsFileError(f"{path}: invalid TOML: {exc}") from None
    unknown = sorted(set(data) - {"defaults", "jobs"})
    if unknown:
        raise JobsFileError(f"{path}: unknown top-level table '{unknown[0]}' (use [defaults] and [jobs.NAME])")
    defaults = data.get("defaults", {})
    jobs = data.get("jobs", {})
    if not isinstance(defaults, dict) or not isinstance(jobs, dict):
        raise JobsFileError(f"{path}: [defaults] and [jobs.NAME] must be tables")
    if not jobs:
        raise JobsFileError(f"{path}: no jobs defined (add a [jobs.NAME] table)")
    return {name: _job(path, name, table, defaults) for name, table in jobs.items()}
