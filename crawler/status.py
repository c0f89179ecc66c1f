"""What ``newsarchive status`` says: jobs, archive totals and failures, from the files themselves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from crawler.accounting import format_verdicts, run_line
from crawler.extensions import human_bytes
from crawler.store.connection import connect_ro
from crawler.store.errors import StoreError


def job_status(jobs: dict) -> list[str]:
    from crawler.jobrun import is_running, job_runs
    from crawler.scheduler import describe_run, next_run, utc_now, utc_text

    now = utc_now()
    lines = [f"{'job':20} {'state':8} {'last run':21} {'next run':21} {'result'}"]
    for job in jobs.values():
        runs = job_runs(job, limit=1)
        last = runs[0] if runs else None
        nxt = next_run(job, now)
        lines.append(f"{job.name:20} {'running' if is_running(job) else 'idle':8} "
                     f"{utc_text(last['started'] if last else None):21} "
                     f"{utc_text(nxt) if nxt else 'manual':21} {describe_run(last) if last else '-'}")
    return lines


def warc_totals(archive: Path) -> tuple[int, int]:
    """WARC files (finished and still open) and their bytes on disk."""
    warcs = sorted((archive / "warcs").glob("*.warc.gz*")) if (archive / "warcs").is_dir() else []
    return len(warcs), sum(p.stat().st_size for p in warcs)


def dataset_totals(conn) -> dict[str, int]:
    """The dataset's row counts, as ``status`` and the report print them."""
    count = lambda table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
    return {"articles": count("articles"), "versions": count("article_versions"),
            "captures": count("captures"), "crawls": count("crawls")}


def archive_status(archive: Path) -> list[str]:
    files, size = warc_totals(archive)
    lines = [f"archive    {archive}", f"WARC files {files} ({human_bytes(size)})"]
    db = archive / "archive.db"
    if not db.exists():
        return lines + ["dataset    none yet"]
    try:
        conn = connect_ro(db)
    except StoreError as exc:
        return lines + [f"dataset    {exc}"]
    try:
        totals = dataset_totals(conn)
        lines.append(f"dataset    {db}: {totals['articles']} articles, {totals['versions']} versions, "
                     f"{totals['captures']} captures, {totals['crawls']} crawls")
        verdicts = dataset_verdicts(conn)
        if verdicts:
            lines.append(f"verdicts   {verdicts}")
        recent = conn.execute("SELECT id, job, started, status, stats FROM crawls ORDER BY id DESC LIMIT 5").fetchall()
    except sqlite3.Error as exc:
        return lines + [f"dataset    unreadable: {exc}"]
    finally:
        conn.close()
    from crawler.jobrun import COMPLETE
    from crawler.scheduler import describe_run, utc_text

    lines.append("recent runs:")
    failed = []
    for cid, job, started, st, stats in recent:
        run = {"status": st, "stats": stats}
        stats = json.loads(stats or "{}")
        lines.append(f"  #{cid} {job or '-':16} {utc_text(started)} {st:12} {run_line(stats)}")
        if st not in COMPLETE and st != "running":
            failed.append(f"  #{cid} {job or '-'} {utc_text(started)} {describe_run(run)}")
    if failed:
        lines.append("runs that did not finish cleanly:")
        lines += failed
    return lines


def dataset_verdicts(conn) -> str | None:
    """The current versions' extraction verdicts over the whole dataset; None before migration 4
    (status never upgrades a file) or without articles."""
    if "verdict" not in {c[1] for c in conn.execute("PRAGMA table_info(articles)")}:
        return None
    counts = dict(conn.execute("SELECT coalesce(verdict, ''), count(*) FROM articles GROUP BY 1").fetchall())
    if not counts:
        return None
    reasons = dict(conn.execute(
        "SELECT r.value, count(*) FROM articles a, json_each(a.verdict_reasons) r "
        "WHERE a.verdict = 'suspect' GROUP BY r.value").fetchall())
    return format_verdicts(counts.get("ok", 0), counts.get("suspect", 0), reasons, counts.get("", 0))
