"""The report's numbers, read from the dataset with the SQL of the ``report_*`` canned queries
in ``crawler/dataset/metadata.yaml``: one definition serves the HTML report and Datasette, so the
two cannot disagree. Totals come from ``crawler.status`` so that the report and ``status`` say
the same thing."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from functools import cache
from importlib import resources


@cache
def report_queries() -> dict[str, str]:
    import yaml  # a dependency of Datasette

    raw = yaml.safe_load(resources.files("crawler.dataset").joinpath("metadata.yaml").read_text("utf-8"))
    return {name: q["sql"] for name, q in raw.get("queries", {}).items() if name.startswith("report_")}


@dataclass
class Figures:
    crawl: int | None
    totals: dict
    verdict_line: str | None
    crawls: list[dict] = field(default_factory=list)
    activity: list[dict] = field(default_factory=list)
    bucket: int = 10
    hosts: list[dict] = field(default_factory=list)
    failing_hosts: list[dict] = field(default_factory=list)
    mime: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    verdicts: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)
    published: list[dict] = field(default_factory=list)
    versions: list[dict] = field(default_factory=list)


def run(conn: sqlite3.Connection, name: str, **params) -> list[dict]:
    cur = conn.execute(report_queries()[name], params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _bucket(conn, crawl) -> int:
    """Width of the time prefix that gives a readable number of bars: days for an archive that
    spans weeks, hours for one day of crawling, minutes for a single short crawl."""
    where, args = ("WHERE crawl_id = ?", (crawl,)) if crawl else ("", ())
    first, last = conn.execute(f"SELECT min(fetched_at), max(fetched_at) FROM captures {where}", args).fetchone()
    if not first:
        return 10
    from datetime import datetime

    span = (datetime.fromisoformat(last.replace("Z", "+00:00"))
            - datetime.fromisoformat(first.replace("Z", "+00:00"))).total_seconds()
    if span > 120 * 86400:
        return 7
    if span > 3 * 86400:
        return 10
    if span > 6 * 3600:
        return 13
    return 16


def gather(conn: sqlite3.Connection, crawl: int | None, totals: dict, verdict_line: str | None) -> Figures:
    scope = {"crawl": crawl if crawl is not None else ""}
    fig = Figures(crawl=crawl, totals=totals, verdict_line=verdict_line)
    fig.crawls = run(conn, "report_crawls", **scope)
    fig.bucket = _bucket(conn, crawl)
    fig.activity = run(conn, "report_activity", bucket=fig.bucket, **scope)
    fig.hosts = run(conn, "report_hosts", **scope)
    fig.failing_hosts = run(conn, "report_failing_hosts", **scope)
    fig.mime = run(conn, "report_mime", **scope)
    fig.failures = run(conn, "report_failures", **scope)
    for row in run(conn, "report_verdicts", **scope):
        (fig.verdicts if row["kind"] == "verdict" else fig.reasons)[row["value"]] = row["articles"]
    fig.published = run(conn, "report_published", **scope)
    fig.versions = run(conn, "report_versions", **scope)
    return fig
