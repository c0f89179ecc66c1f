"""What a crawl fetched and what failed, counted apart so that every number means one thing.

A news page brings its requisites (images, scripts, styles) and the crawl fetches discovery
documents (robots.txt, sitemaps, feeds) besides; a crawl of 500 pages makes thousands of such
fetches, and a missing logo is not a page lost. So the stats count three kinds of fetch apart
(``fetched/page``, ``fetched/requisite``, ``fetched/discovery``), failures by what failed and
why (``failed/page/dns``, ``failed/requisite/http_4xx``, ...), and "errors" means only pages
that could not be archived: a page fetch that got no response or an HTTP error status.
Robots-denied pages are counted as failures of kind ``robots`` but are not errors: the crawl
chose not to fetch them.

The summary, the progress line, ``status`` and ``jobs history`` all read these helpers, so they
cannot disagree. Stats of runs recorded before these keys existed fall back to the old ones.
"""

from __future__ import annotations

WHATS = ("page", "requisite", "discovery")
# stats reason -> how people read it, in the order the summary lists them
KIND_LABELS = {"dns": "DNS", "refused": "refused", "timeout": "timeout", "tls": "TLS",
               "http_4xx": "HTTP 4xx", "http_5xx": "HTTP 5xx", "too_large": "too large",
               "robots": "robots-denied", "paused": "host paused"}
NOT_ERRORS = ("robots",)  # the crawl chose not to fetch these
_OLD_NOT_ERRORS = ("news/failed/robots", "news/failed/offsite")


def http_kind(status: int) -> str:
    return "http_5xx" if status >= 500 else "http_4xx"


def what_of(expect: str | None) -> str:
    """page, requisite or discovery, from the ``news_expect`` a request carries."""
    if expect == "embed":
        return "requisite"
    if expect in ("sitemap", "feed", "robots", None):
        return "discovery"  # None: robots.txt fetched by Scrapy's RobotsTxtMiddleware
    return "page"


def fetched(stats: dict, what: str) -> int:
    return int(stats.get(f"fetched/{what}", 0) or 0)


def failures(stats: dict, what: str) -> dict[str, int]:
    """kind -> count of failed fetches of ``what``, in the summary's order."""
    prefix = f"failed/{what}/"
    found = {k[len(prefix):]: v for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int)}
    order = list(KIND_LABELS)
    return dict(sorted(found.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])))


def pages_fetched(stats: dict) -> int:
    """Page requests answered by a server (error statuses included); not requisites or discovery."""
    if "fetched/page" not in stats and "fetched/discovery" not in stats:
        return int(stats.get("downloader/response_count", 0) or 0)  # a run recorded before
    return fetched(stats, "page")


def error_count(stats: dict) -> int:
    """Pages that could not be archived."""
    if not any(k.startswith("failed/") or k.startswith("fetched/") for k in stats):
        return sum(v for k, v in stats.items()  # a run recorded before
                   if k.startswith(("news/failed/", "news/http_error/")) and k not in _OLD_NOT_ERRORS
                   and isinstance(v, int))
    return sum(n for kind, n in failures(stats, "page").items() if kind not in NOT_ERRORS)


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{KIND_LABELS.get(kind, kind.replace('_', ' '))} {n}" for kind, n in counts.items())


def summary_lines(stats: dict) -> list[str]:
    """The crawl summary's fetch and error lines."""
    page_fail, req_fail, disc_fail = (failures(stats, w) for w in WHATS)
    errors = error_count(stats)
    denied = page_fail.get("robots", 0)
    lines = [f"pages              {pages_fetched(stats)}"
             + (f" ({denied} more denied by robots.txt)" if denied else ""),
             f"page requisites    {fetched(stats, 'requisite')}"
             + (f" ({sum(req_fail.values())} missing or failed: {describe(req_fail)})" if req_fail else ""),
             f"discovery fetches  {fetched(stats, 'discovery')} (robots.txt, sitemaps, feeds"
             + (f"; {sum(disc_fail.values())} failed: {describe(disc_fail)})" if disc_fail else ")")]
    errs = {k: v for k, v in page_fail.items() if k not in NOT_ERRORS}
    return lines, f"errors             {errors}" + (
        f" (pages not archived: {describe(errs)})" if errors else "")


# why a URL was kept out of the crawl (``news/skipped/REASON``), as the summary says it
SCOPE_LABELS = {"depth": "too deep", "offsite": "offsite", "excluded": "excluded",
                "not_included": "not included", "extension": "file type",
                "article_feed": "article feeds"}


def scope_skips(stats: dict) -> dict[str, int]:
    """reason -> URLs skipped by scope (each URL once per reason), in the summary's order."""
    return {r: stats[f"news/skipped/{r}"] for r in SCOPE_LABELS if stats.get(f"news/skipped/{r}")}


def scope_line(stats: dict) -> str:
    """"skipped by scope   12 (too deep 8, offsite 3, article feeds 1)", or "" when none."""
    skips = scope_skips(stats)
    if not skips:
        return ""
    return (f"skipped by scope   {sum(skips.values())} ("
            + ", ".join(f"{SCOPE_LABELS[r]} {n}" for r, n in skips.items()) + ")")


def politeness_lines(stats: dict) -> list[str]:
    """The summary's lines on what hosts asked of the crawl: Crawl-delay as applied (capped
    ones with what they asked), Retry-After waits, hosts paused for failing."""
    lines = []
    delays = stats.get("politeness/crawl_delay") or {}
    if delays:
        asked = stats.get("politeness/crawl_delay_asked") or {}
        lines.append("crawl delays       " + ", ".join(
            f"{host} {delay:g} s" + (f" (asked {asked[host]:g} s)" if host in asked else "")
            for host, delay in sorted(delays.items())) + " (robots.txt Crawl-delay)")
    if stats.get("politeness/retry_after"):
        capped = stats.get("politeness/retry_after_capped")
        lines.append(f"retry-after        {stats['politeness/retry_after']} response(s) asked to wait; "
                     f"longest wait {stats.get('politeness/retry_after_max_wait', 0):g} s"
                     + (f" ({capped} capped, the longest asked {stats.get('politeness/retry_after_max_asked', 0):g} s:"
                        " NEWSARCHIVE_MAX_RETRY_AFTER)" if capped else ""))
    for policy, what in (("recorded", "archived, rows flagged"), ("skipped", "archived, no article row")):
        if stats.get(f"store/noarchive_{policy}"):
            lines.append(f"noarchive          {stats[f'store/noarchive_{policy}']} capture(s) asked not to be "
                         f"archived: {policy} ({what}; NEWSARCHIVE_NOARCHIVE)")
    paused = stats.get("politeness/paused_hosts") or []
    if paused:
        lines.append(f"hosts paused       {', '.join(paused)} (failing; "
                     f"{stats.get('politeness/paused_requests', 0)} request(s) not sent)")
    return lines


def run_line(stats: dict) -> str:
    """One run's numbers, for ``status`` and ``jobs history``."""
    return (f"pages {pages_fetched(stats):<6} requisites {fetched(stats, 'requisite'):<6} "
            f"discovery {fetched(stats, 'discovery'):<4} articles {stats.get('store/articles', 0):<6} "
            f"errors {error_count(stats)}")


def format_verdicts(ok: int, suspect: int, reasons: dict[str, int], unjudged: int = 0) -> str:
    """"120 ok, 5 suspect (teaser-only 3, empty-body 2)": the crawl summary's and status's line."""
    text = f"{ok} ok, {suspect} suspect"
    if reasons:
        text += " (" + ", ".join(f"{r} {n}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
    if unjudged:
        text += f", {unjudged} not judged (extracted before verdicts: reextract judges them)"
    return text


def verdict_keys(article: dict) -> list[str]:
    """The stats an extracted article counts under: ``extract/verdict/ok|suspect`` and one
    ``extract/suspect/REASON`` per reason (crawls and ``reextract`` alike)."""
    verdict = article.get("verdict")
    if not verdict:
        return []
    return [f"extract/verdict/{verdict}", *(f"extract/suspect/{r}" for r in article.get("verdict_reasons") or ())]


def verdict_summary(stats: dict) -> str:
    """The extraction verdicts a run counted (``extract/verdict/*``, ``extract/suspect/*``)."""
    reasons = {k.removeprefix("extract/suspect/"): v for k, v in stats.items()
               if k.startswith("extract/suspect/") and isinstance(v, int)}
    return format_verdicts(stats.get("extract/verdict/ok", 0), stats.get("extract/verdict/suspect", 0), reasons)
