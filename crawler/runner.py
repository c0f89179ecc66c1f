"""From CLI flags to a finished crawl: settings, the spider, a summary.

Kept apart from click so that tests, the demo, jobs and scale-out workers drive crawls the same
way users do.  A Twisted reactor runs once per process, so ``run_crawl`` runs once per process
(the scheduler starts each job in a process of its own).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archive.location import DEFAULT_ARCHIVE_DIR, ArchiveLocationError, archive_location
from archive.middleware import warc_writer
from crawler.accounting import (error_count, fetched, pages_fetched, politeness_lines, scope_line, summary_lines,
                                verdict_summary)
from crawler.errors import CrawlError  # noqa: F401 - raised here, and imported from here by the commands
from crawler.extensions import human_bytes
from crawler.renamed_settings import renamed


@dataclass
class CrawlResult:
    archive: Path
    elapsed: float
    stats: dict
    warc_files: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    report: Path | None = None
    crawl_id: int | None = None         # this run's row in the dataset's crawls table
    write_error: str | None = None      # why the archive could not be written, when it could not
    seed_failures: list[str] = field(default_factory=list)  # why each failed seed did

    @property
    def pages(self) -> int:
        return pages_fetched(self.stats)

    @property
    def articles(self) -> int:
        return self.stats.get("store/articles", self.stats.get("extract/articles", 0))

    @property
    def errors(self) -> int:
        return error_count(self.stats)

    @property
    def warc_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.warc_files if p.exists())

    def summary(self) -> str:
        fetch_lines, errors_line = summary_lines(self.stats)
        lines = [
            *fetch_lines,
            *filter(None, [scope_line(self.stats)]),
            *politeness_lines(self.stats),
            f"articles extracted {self.articles}{self._article_outcomes()}",
            f"WARC files         {len(self.warc_files)} ({human_bytes(self.warc_bytes)}) in {self.archive / 'warcs'}",
            f"dataset            {self.archive / 'archive.db'}",
            errors_line,
            f"elapsed            {self.elapsed:.1f} s",
        ]
        if self.stats.get("warc/revisits"):
            warc_line = next(i for i, line in enumerate(lines) if line.startswith("WARC files"))
            lines.insert(warc_line, f"revisit records    {self.stats['warc/revisits']} (unchanged since the last capture)")
        if self.stats.get("extract/verdict/ok") or self.stats.get("extract/verdict/suspect"):
            after = next(i for i, line in enumerate(lines) if line.startswith("articles extracted"))
            lines.insert(after + 1, f"verdicts           {verdict_summary(self.stats)}")
        if self.report:
            lines.append(f"report             {self.report}")
        return "\n".join(lines)

    def _article_outcomes(self) -> str:
        s = self.stats
        if "store/articles_new" not in s:
            return ""
        return (f" ({s.get('store/articles_new', 0)} new, {s.get('store/versions', 0)} changed, "
                f"{s.get('store/unchanged', 0)} unchanged)")


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CrawlError(f"not a valid http(s) URL: {url!r}")
    return url.strip()


def check_archive_dir(archive: Path) -> Path:
    """Fail before crawling when the archive cannot be written (or would be inside newsarchive's
    own source), not after fetching pages."""
    try:
        archive = archive_location(archive)
    except ArchiveLocationError as exc:
        raise CrawlError(str(exc)) from None
    try:
        (archive / "warcs").mkdir(parents=True, exist_ok=True)
        probe = archive / f".write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise CrawlError(f"cannot write to archive directory {archive}: {exc.strerror or exc}") from None
    return archive


def build_settings(archive: Path, overrides: dict | None = None, progress: bool = False,
                   log_level: str | None = None):
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("NEWSARCHIVE_ARCHIVE_DIR", str(archive), priority="cmdline")
    settings.set("NEWSARCHIVE_PROGRESS", progress, priority="cmdline")
    if log_level:
        settings.set("LOG_LEVEL", log_level, priority="cmdline")
        settings.set("LOG_FORMAT", "%(levelname)s: %(message)s", priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(start_urls=(), sitemap_urls=(), feed_urls=(), archive: Path | str = DEFAULT_ARCHIVE_DIR,
              max_pages: int | None = None, depth: int | None = None, allow_domains=(),
              include=(), exclude=(), settings_overrides: dict | None = None,
              progress: bool = False, log_level: str | None = None) -> CrawlResult:
    seeds = [check_url(u) for u in start_urls]
    sitemaps = [check_url(u) for u in sitemap_urls]
    feeds = [check_url(u) for u in feed_urls]
    if not (seeds or sitemaps or feeds):
        raise CrawlError("nothing to crawl: give at least one URL, --sitemap or --feed")
    try:
        from crawler.analysis.scope import Scope
        from crawler.provenance import check_policy

        Scope(include=list(include), exclude=list(exclude))
        check_policy((settings_overrides or {}).get("NEWSARCHIVE_NOARCHIVE", "record"))
    except ValueError as exc:
        raise CrawlError(str(exc)) from None
    spider_args = {"start_urls": seeds, "sitemap_urls": sitemaps, "feed_urls": feeds}
    if allow_domains:
        spider_args["allowed_domains"] = list(allow_domains)
    if include:
        spider_args["include"] = list(include)
    if exclude:
        spider_args["exclude"] = list(exclude)
    if max_pages is not None:
        spider_args["max_pages"] = max_pages
    if depth is not None:
        spider_args["max_depth"] = depth

    result = run_spider("news", spider_args, archive, settings_overrides, progress, log_level)
    try:
        _check_seeds(result)
    except CrawlError as exc:
        exc.result = result  # what was crawled, for the caller that records the run's outcome
        raise
    return result


def run_spider(spider, spider_args: dict, archive: Path | str, settings_overrides: dict | None = None,
               progress: bool = False, log_level: str | None = None) -> CrawlResult:
    """Run one spider (a name or a class) to completion in this process.

    The crawl indexes the archive and verifies what it wrote on its own (``PostCrawlChecks``);
    their problems come back in ``CrawlResult.problems``."""
    from scrapy.crawler import CrawlerProcess

    from crawler.item_pipelines import dataset_pipeline

    archive = check_archive_dir(Path(archive))
    overrides = renamed(settings_overrides)  # old setting names (STORE_*) under their new ones
    settings = build_settings(archive, overrides, progress, log_level)
    from crawler import browser

    try:
        browser.check(settings)
    except browser.BrowserUnavailable as exc:
        raise CrawlError(str(exc)) from None
    from crawler.recovery import writing

    started = time.monotonic()
    # one writer per dataset (a scaled-out worker writes its own shard); what a dead run left is
    # recovered before this one starts
    with writing(archive, overrides.get("DATASET_DB"), overrides.get("WARC_WORKER_ID")):
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(spider)
        process.crawl(crawler, **spider_args)
        process.start()
    stats = dict(crawler.stats.get_stats())
    # what the components learnt, asked of them (the stats only count)
    writer = warc_writer(crawler)  # the WARC middleware, when archiving
    dataset = dataset_pipeline(crawler)
    result = CrawlResult(archive=archive, elapsed=time.monotonic() - started, stats=stats,
                         warc_files=[Path(p) for p in writer.paths_written()] if writer else [],
                         crawl_id=dataset.crawl_id if dataset else None,
                         write_error=writer.failed if writer else None,
                         seed_failures=list(getattr(crawler.spider, "seed_failures", None) or []))
    result.problems.extend(writer.problems if writer else [])
    # no report from a worker's shard, nor onto an archive that could not be written (a full disk)
    if settings.getbool("NEWSARCHIVE_REPORT") and not overrides.get("DATASET_DB") and not result.write_error:
        result.report = _write_report(archive, result.crawl_id)
    return result


def _write_report(archive: Path, crawl_id) -> Path | None:
    """This crawl's report (``ARCHIVE/reports/crawl-N.html``). The crawl is done and its data
    safe whatever happens here, so a report that cannot be written costs one warning line."""
    if crawl_id is None:
        return None
    from crawler.report import write_report
    from crawler.dataset.errors import DatasetError

    try:
        return write_report(archive, crawl=int(crawl_id))
    except DatasetError as exc:
        logging.getLogger(__name__).warning("no report: %s", exc)
        return None


def _check_seeds(result: CrawlResult) -> None:
    stats = result.stats
    usable = sum(stats.get(k, 0) for k in ("news/articles", "news/listings", "news/other",
                                           "news/sitemaps", "news/feeds"))
    if usable:
        return
    failed = result.seed_failures
    if stats.get("news/non_html_seeds"):
        raise CrawlError("the seed is not an HTML page, a sitemap or a feed; nothing to crawl")
    if failed:
        raise CrawlError(f"no seed could be fetched: {'; '.join(failed)}")
    if stats.get("robotstxt/forbidden"):
        raise CrawlError("every seed is disallowed by robots.txt")
    if fetched(stats, "page") or fetched(stats, "requisite"):
        # a resumed job whose seeds were fetched before the interruption: what was left (the
        # requisites of pages already archived, say) is this run's work, and it did it
        return
    raise CrawlError("no page could be fetched from the seeds")

