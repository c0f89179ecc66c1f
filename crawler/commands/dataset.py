"""``search``, ``query``, ``export``, ``diff`` and ``browse``: reading the dataset.

Thin click wrappers over ``crawler.dataset``; every problem a user can cause becomes one
``Error:`` line.
"""

from __future__ import annotations

import csv
import json
import sys

import click

from crawler.commands import archive_option
from crawler.dataset.connection import db_path_for
from crawler.dataset.errors import DatasetError

ARCHIVE_OPTION = archive_option("Archive directory holding archive.db.")


def _filters(func):
    for option in reversed([
        click.option("--site", help="Only articles from this host (subdomains included)."),
        click.option("--since", metavar="DATE", help="Published on or after DATE (2026-11-24, 2026-11, 2026)."),
        click.option("--until", metavar="DATE", help="Published on or before DATE (whole day/month/year)."),
        click.option("--author", help="Only articles with an author name containing this text."),
        click.option("--verdict", metavar="ok|suspect", help="Only articles whose extraction was judged so."),
        click.option("--reason", metavar="REASON",
                     help="Only suspect articles with this reason (empty-body, teaser-only, off-topic-body, "
                          "much-shorter-than-articleBody, paywalled, body-from-embedded-data)."),
    ]):
        func = option(func)
    return func


def _db(archive):
    path = db_path_for(archive)
    if not path.is_file():
        raise click.ClickException(f"no dataset at {path} (crawl something first, or pass --archive DIR)")
    return path


def _fail(exc: DatasetError):
    raise click.ClickException(str(exc)) from None


def _tty() -> bool:
    return sys.stdout.isatty()


@click.command()
@click.argument("query")
@ARCHIVE_OPTION
@_filters
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def search(query, archive, site, since, until, author, verdict, reason, limit, as_json):
    """Full-text search of articles (FTS5 syntax: words, "phrases", OR, NOT, prefix*)."""
    from crawler.dataset.search import search as run_search

    tty = _tty() and not as_json
    marks = ("\x1b[1;33m", "\x1b[0m") if tty else ("[", "]")
    try:
        results = run_search(_db(archive), query, site=site, since=since, until=until,
                             author=author, limit=limit, highlight=marks, verdict=verdict, reason=reason)
    except DatasetError as exc:
        _fail(exc)
    if as_json:
        for item in results:
            click.echo(json.dumps(item, ensure_ascii=False))
        return
    if not results:
        click.echo("no matches", err=True)
        return
    for n, item in enumerate(results, 1):
        suspect = f"suspect: {', '.join(item['verdict_reasons'])}" if item["verdict"] == "suspect" else None
        meta = " · ".join(filter(None, [item["site"], (item["published"] or "")[:10],
                                        ", ".join(item["authors"]) or item["byline"], suspect]))
        click.echo(f"{n}. {item['headline'] or '(no headline)'}")
        click.echo(f"   {meta}")
        click.echo(f"   {item['url']}")
        click.echo(f"   {' '.join((item['snippet'] or '').split())}")


@click.command()
@click.argument("sql")
@ARCHIVE_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def query(sql, archive, fmt):
    """Run one read-only SQL statement; anything that would write is refused."""
    from crawler.dataset.query import run_query

    try:
        columns, rows = run_query(_db(archive), sql)
    except DatasetError as exc:
        _fail(exc)
    if fmt == "json":
        click.echo(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False,
                              indent=2, default=_blob))
    elif fmt == "csv":
        out = csv.writer(sys.stdout)
        out.writerow(columns)
        out.writerows(rows)
    else:
        click.echo(_table(columns, rows))


def _blob(value):
    return value.hex() if isinstance(value, bytes) else str(value)


def _table(columns, rows, width: int = 60) -> str:
    def cell(v):
        s = "" if v is None else " ".join(str(v).split())
        return s if len(s) <= width else s[: width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


@click.command()
@ARCHIVE_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default: stdout; required for parquet).")
@_filters
@click.option("--query", "text_query", metavar="QUERY", help="Only articles matching this full-text query.")
def export(archive, fmt, output, site, since, until, author, verdict, reason, text_query):
    """Export articles (current version, authors, captions) as CSV, JSON Lines or Parquet."""
    from crawler.dataset.export import export_articles

    try:
        count = export_articles(_db(archive), fmt, output, site=site, since=since, until=until,
                                author=author, query=text_query, verdict=verdict, reason=reason)
    except DatasetError as exc:
        _fail(exc)
    if output:
        click.echo(f"{count} articles written to {output}", err=True)


@click.command()
@click.argument("url")
@ARCHIVE_OPTION
@click.option("--from", "from_version", type=click.IntRange(min=1), help="Older version number.")
@click.option("--to", "to_version", type=click.IntRange(min=1), help="Newer version number.")
@click.option("--color", "color", type=click.Choice(["auto", "always", "never"]), default="auto",
              is_flag=False, flag_value="always", show_default=True,
              help="As git's: colours only on a terminal (auto), always, or never; --color alone is "
                   "always. Without colours, changes are marked [-removed-]{+added+}.")
@click.option("--no-color", "no_color", is_flag=True, help="Same as --color=never.")
def diff(url, archive, from_version, to_version, color, no_color):
    """Word-level diff of headline, byline and body between versions of an article."""
    from crawler.dataset.diff import diff_versions, render

    try:
        diffs = diff_versions(_db(archive), url, from_version, to_version)
    except DatasetError as exc:
        _fail(exc)
    if not diffs:
        click.echo(f"{url} has a single version: nothing to compare")
        return
    colored = not no_color and (color == "always" or (color == "auto" and _tty()))
    # color=colored: click would strip the escapes from --color=always output to a pipe or file
    click.echo(render(diffs, color=colored), color=colored)


@click.command()
@ARCHIVE_OPTION
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True, help="Address to listen on.")
def browse(archive, port, bind):
    """Browse the dataset in Datasette (read-only), with facets and search on articles."""
    from crawler.dataset.browse import browse as run_browse

    db = _db(archive)
    click.echo(f"Datasette on http://{bind}:{port}/{db.stem} (Ctrl-C to stop)", err=True)
    try:
        code = run_browse(db, port=port, bind=bind)
    except DatasetError as exc:
        _fail(exc)
    if code not in (0, -2, -15, 130):
        raise click.ClickException(f"Datasette exited with status {code}")
