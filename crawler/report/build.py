"""From an archive directory to the report file: open the dataset read-only, gather the figures,
render the page, write it atomically."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from crawler.accounting import error_count, pages_fetched
from crawler.report.figures import gather
from crawler.report.page import render
from crawler.dataset.connection import connect_ro, db_path_for
from crawler.dataset.errors import DatasetError
from crawler.dataset.migrations import ensure_current
from crawler.totals import dataset_totals, dataset_verdicts, warc_totals

DEFAULT_DATASETTE = "http://127.0.0.1:8001"


def _crawl_stats(conn, figures) -> None:
    """Pages and errors of each crawl as the crawl summary and ``status`` count them (the
    accounting helpers, which also read runs recorded before today's stats keys)."""
    ids = [row["crawl"] for row in figures.crawls]
    stats = {cid: json.loads(raw or "{}") for cid, raw in conn.execute(
        f"SELECT id, stats FROM crawls WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else {}
    for row in figures.crawls:
        st = stats.get(row["crawl"], {})
        row["pages"] = pages_fetched(st)
        row["errors"] = error_count(st)
        row["articles"] = st.get("store/articles", 0)


def build_report(archive: Path | str, crawl: int | None = None, datasette_url: str = DEFAULT_DATASETTE,
                 top: int = 15, now: datetime | None = None) -> str:
    """The report's HTML for the whole archive, or for one crawl."""

    archive = Path(archive)
    db = db_path_for(archive)
    if not db.is_file():
        raise DatasetError(f"no dataset at {db} (crawl something first, or pass --archive DIR)")
    ensure_current(db)  # as every reader does: an older file gets the tables the queries read
    conn = connect_ro(db)
    try:
        if crawl is not None and conn.execute("SELECT 1 FROM crawls WHERE id = ?", (crawl,)).fetchone() is None:
            raise DatasetError(f"no crawl #{crawl} in {db}")
        files, size = warc_totals(archive)
        totals = {**dataset_totals(conn), "warc_files": files, "warc_bytes": size}
        figures = gather(conn, crawl, totals, dataset_verdicts(conn))
        _crawl_stats(conn, figures)
    except sqlite3.Error as exc:
        raise DatasetError(f"cannot read {db}: {exc}") from None
    finally:
        conn.close()
    return render(figures, archive=archive, datasette=f"{datasette_url.rstrip('/')}/{db.stem}", top=top,
                  generated=(now or datetime.now(timezone.utc)))


def default_output(archive: Path, crawl: int | None) -> Path:
    return Path(archive) / "reports" / (f"crawl-{crawl}.html" if crawl is not None else "report.html")


def write_report(archive: Path | str, output: Path | str | None = None, crawl: int | None = None,
                 datasette_url: str = DEFAULT_DATASETTE, top: int = 15) -> Path:
    """Build the report and write it (``ARCHIVE/reports/`` by default); returns its path."""
    html = build_report(archive, crawl=crawl, datasette_url=datasette_url, top=top)
    out = Path(output) if output else default_output(Path(archive), crawl)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise DatasetError(f"cannot write the report to {out}: {exc.strerror or exc}") from None
    return out
