"""The report's HTML: one file, its charts and styles inline, every figure beside a link to the
Datasette query that lists the rows behind it (``newsarchive browse`` serves them)."""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from crawler.extensions import human_bytes
from crawler.report import svg
from crawler.report.figures import Figures

STATUS_SERIES = [("s2xx", "2xx"), ("s3xx", "3xx"), ("s4xx", "4xx"), ("s5xx", "5xx"), ("failed", "no response")]
BUCKET_NAMES = {7: "month", 10: "day", 13: "hour", 16: "minute"}

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#222}
h1{font-size:22px;margin:8px 0 2px} h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}
.sub{color:#666;margin:0 0 12px} table{border-collapse:collapse;margin:6px 0} td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums} details{margin:4px 0 0} summary{cursor:pointer;color:#555}
.chart{max-width:100%;height:auto;display:block} .chart .axis{stroke:#999} .chart .grid{stroke:#eee}
.chart text{font:11px system-ui,sans-serif;fill:#444} .q{font-size:12px} .none{color:#888;font-style:italic}
.totals td:first-child{color:#555}
"""


class Page:
    def __init__(self, figures: Figures, datasette: str):
        self.fig = figures
        self.datasette = datasette
        self.parts: list[str] = []

    def link(self, query: str, text: str = "rows in Datasette", **params) -> str:
        args = {"crawl": self.fig.crawl if self.fig.crawl is not None else "", **params}
        return f'<a class="q" href="{escape(self.datasette)}/{query}?{escape(urlencode(args))}">{escape(text)}</a>'

    def section(self, anchor: str, title: str, chart: str | None, table: str, query: str, **params) -> None:
        body = chart if chart else '<p class="none">nothing recorded</p>'
        self.parts.append(f'<section id="{anchor}"><h2>{escape(title)}</h2>{body}'
                          f'<details><summary>numbers</summary>{table}</details>'
                          f'<p>{self.link(query, **params)}</p></section>')


NUM = ' class="n"'


def table(rows: list[dict], columns: list[tuple[str, str]], numeric=()) -> str:
    head = "".join(f'<th{NUM if key in numeric else ""}>{escape(name)}</th>' for key, name in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            text = human_bytes(value) if key == "bytes" and value is not None else ("" if value is None else str(value))
            cells.append(f'<td{NUM if key in numeric else ""}>{escape(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _series(rows: list[dict], keys) -> dict[str, list[float]]:
    return {key: [row.get(key) or 0 for row in rows] for key in keys}


def render(fig: Figures, archive: Path, datasette: str, top: int, generated: datetime) -> str:
    page = Page(fig, datasette)
    t = fig.totals
    scope = f"crawl #{fig.crawl}" if fig.crawl is not None else "whole archive"
    totals = [("articles", "articles", t["articles"]), ("versions", "article versions", t["versions"]),
              ("captures", "captures", t["captures"]), ("crawls", "crawls", t["crawls"]),
              ("warc_files", "WARC files", t["warc_files"]),
              ("warc_bytes", "WARC bytes", f'{t["warc_bytes"]} ({human_bytes(t["warc_bytes"])})')]
    rows = "".join(f'<tr><td>{escape(name)}</td><td class="n" data-total="{key}">{escape(str(value))}</td></tr>'
                   for key, name, value in totals)
    if fig.verdict_line:
        rows += f'<tr><td>verdicts</td><td data-total="verdicts">{escape(fig.verdict_line)}</td></tr>'
    page.parts.append(f'<section id="totals"><h2>Archive totals</h2><table class="totals">{rows}</table>'
                      '<p class="sub">The same figures as <code>newsarchive status</code>; the charts below '
                      f'cover the {escape(scope)}.</p></section>')

    crawls = fig.crawls
    labels = [f"#{c['crawl']} {(c['started'] or '')[:10]}" for c in crawls]
    page.section("crawls", "Pages, articles and errors per crawl",
                 svg.columns(labels, [("pages", "pages"), ("articles", "articles"), ("errors", "errors")],
                             _series(crawls, ("pages", "articles", "errors")), "per crawl", stacked=False)
                 if crawls else None,
                 table(crawls, [("crawl", "crawl"), ("job", "job"), ("started", "started"), ("status", "status"),
                                ("pages", "pages"), ("articles", "articles"), ("errors", "errors")],
                       numeric=("crawl", "pages", "articles", "errors")), "report_crawls")

    act = [{**row, "new": row["captures"] - (row["revisits"] or 0)} for row in fig.activity]
    unit = BUCKET_NAMES.get(fig.bucket, "period")
    periods = [r["period"] for r in act]
    chart = None
    if act:  # the captures, then the article versions stored in the same periods
        chart = (svg.columns(periods, [("new", "new captures"), ("revisits", "revisits")],
                             _series(act, ("new", "revisits")), "captures over time")
                 + svg.columns(periods, [("article_versions", "article versions stored")],
                               _series(act, ("article_versions",)), "article versions over time", height=200))
    page.section("activity", f"Captures per {unit}: new and revisits, with article versions stored", chart,
                 table(act, [("period", unit), ("captures", "captures"), ("new", "new"), ("revisits", "revisits"),
                             ("article_versions", "article versions")],
                       numeric=("captures", "new", "revisits", "article_versions")),
                 "report_activity", bucket=fig.bucket)

    hosts = fig.hosts[:top]
    page.section("hosts", f"Top {len(hosts)} hosts by captures, with status codes",
                 svg.rows([h["host"] for h in hosts], STATUS_SERIES, _series(hosts, [k for k, _ in STATUS_SERIES]),
                          "captures per host") if hosts else None,
                 table(hosts, [("host", "host"), ("captures", "captures"), *STATUS_SERIES, ("revisits", "revisits"),
                               ("bytes", "bytes")], numeric=("captures", "s2xx", "s3xx", "s4xx", "s5xx", "failed",
                                                             "revisits", "bytes")),
                 "report_hosts")

    page.section("mime", "Captures by MIME type",
                 svg.rows([m["mime"] for m in fig.mime], [("captures", "captures")], _series(fig.mime, ("captures",)),
                          "captures by MIME type") if fig.mime else None,
                 table(fig.mime, [("mime", "MIME type"), ("captures", "captures"), ("revisits", "revisits"),
                                  ("bytes", "bytes")], numeric=("captures", "revisits", "bytes")), "report_mime")

    new = sum(r["new"] for r in act)
    revisits = sum(r["revisits"] or 0 for r in act)
    pair = [{"kind": "new captures", "n": new}, {"kind": "revisits (payload unchanged)", "n": revisits}]
    page.section("revisits", "Revisits and new captures",
                 svg.rows([p["kind"] for p in pair], [("n", "captures")], _series(pair, ("n",)), "revisits vs new")
                 if new or revisits else None,
                 table(pair, [("kind", ""), ("n", "captures")], numeric=("n",)), "report_activity", bucket=fig.bucket)

    fails = [{"failure": f["failure"].replace("/", ": ").replace("_", " "), "count": f["count"]} for f in fig.failures]
    page.section("failures", "Failed fetches by what failed and why",
                 svg.rows([f["failure"] for f in fails], [("count", "failures")], _series(fails, ("count",)),
                          "failures by reason") if fails else None,
                 table(fails, [("failure", "what: why"), ("count", "count")], numeric=("count",)), "report_failures")

    verdicts = [{"verdict": k, "articles": v} for k, v in fig.verdicts.items()]
    reasons = [{"reason": k, "articles": v} for k, v in sorted(fig.reasons.items(), key=lambda kv: -kv[1])]
    chart = None
    if verdicts:
        chart = svg.rows([v["verdict"] for v in verdicts], [("articles", "articles")],
                         _series(verdicts, ("articles",)), "verdicts")
        if reasons:
            chart += svg.rows([r["reason"] for r in reasons], [("articles", "suspect articles")],
                              _series(reasons, ("articles",)), "suspect reasons")
    page.section("verdicts", "Extraction verdicts (suspect articles by reason)", chart,
                 table(verdicts, [("verdict", "verdict"), ("articles", "articles")], numeric=("articles",))
                 + table(reasons, [("reason", "suspect reason"), ("articles", "articles")], numeric=("articles",)),
                 "report_verdicts")

    page.section("published", "Articles by month of publication",
                 svg.columns([p["month"] for p in fig.published], [("articles", "articles")],
                             _series(fig.published, ("articles",)), "published") if fig.published else None,
                 table(fig.published, [("month", "month"), ("articles", "articles")], numeric=("articles",)),
                 "report_published")

    page.section("versions", "Articles by number of versions",
                 svg.columns([str(v["versions"]) for v in fig.versions], [("articles", "articles")],
                             _series(fig.versions, ("articles",)), "versions", height=200) if fig.versions else None,
                 table(fig.versions, [("versions", "versions"), ("articles", "articles")],
                       numeric=("versions", "articles")), "report_versions")

    failing = fig.failing_hosts
    rows = "".join(
        f'<tr><td>{escape(h["host"])}</td><td class="n">{h["failures"]}</td><td class="n">{h["s4xx"]}</td>'
        f'<td class="n">{h["s5xx"]}</td><td class="n">{h["failed"]}</td>'
        f'<td>{page.link("report_host_failures", "the failed fetches", host=h["host"])}</td></tr>' for h in failing)
    page.parts.append(
        '<section id="failing-hosts"><h2>Hosts with the most failed fetches</h2>'
        + (f'<table><tr><th>host</th><th class="n">failures</th><th class="n">4xx</th><th class="n">5xx</th>'
           f'<th class="n">no response</th><th></th></tr>{rows}</table>' if failing
           else '<p class="none">no failed fetches</p>')
        + f'<p>{page.link("report_failing_hosts")}</p></section>')

    title = f"newsarchive report: {archive.name or archive} ({scope})"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head><body>'
            f'<h1>{escape(title)}</h1><p class="sub">{escape(str(archive))} · generated '
            f'{generated.strftime("%Y-%m-%dT%H:%M:%SZ")} from the dataset (rebuild any time with '
            f'<code>newsarchive report</code>) · links open the rows in <code>newsarchive browse</code></p>'
            + "".join(page.parts) + "</body></html>")
