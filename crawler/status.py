"""What ``newsarchive status`` says: jobs, archive totals and failures, from the files themselves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from crawler.extensions import error_count, human_bytes, pages_fetched
from crawler.store.connection import connect_ro
from crawler.store.errors import StoreError


def job_status(jobs: dict) -> list[str]:
    from crawler.jobrun import is_running, job_runs
    from crawler.scheduler import next_run, utc_now

    now = utc_now()
    lines = [f"{'job':20} {'state':8} {'last run':20} {'result':12} {'next run':20}"]
    for job in jobs.values():
        runs = job_runs(job, limit=1)
        last = runs[0] if runs else None
        nxt = next_run(job, now)
        lines.append(f"{job.name:20} {'running' if is_running(job) else 'idle':8} "
                     f"{(last['started'][:19] if last else '-'):20} {(last['status'] if last else '-'):12} "
                     f"{nxt.strftime('%Y-%m-%d %H:%M:%S') if nxt else 'manual'}")
    return lines


def archive_status(archive: Path) -> list[str]:
    warcs = sorted((archive / "warcs").glob("*.warc.gz*")) if (archive / "warcs").is_dir() else []
    lines = [f"archive    {archive}",
             f"WARC files {len(warcs)} ({human_bytes(sum(p.stat().st_size for p in warcs))})"]
    db = archive / "archive.db"
    if not db.exists():
        return lines + ["dataset    none yet"]
    try:
        conn = connect_ro(db)
    except StoreError as exc:
        return lines + [f"dataset    {exc}"]
    try:
        count = lambda table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: E731
        lines.append(f"dataset    {db}: {count('articles')} articles, {count('article_versions')} versions, "
                     f"{count('captures')} captures, {count('crawls')} crawls")
        failed = conn.execute("SELECT id, job, started, status, stats FROM crawls "
                              "WHERE status NOT IN ('finished', 'running') ORDER BY id DESC LIMIT 5").fetchall()
        recent = conn.execute("SELECT id, job, started, status, stats FROM crawls ORDER BY id DESC LIMIT 5").fetchall()
    except sqlite3.Error as exc:
        return lines + [f"dataset    unreadable: {exc}"]
    finally:
        conn.close()
    lines.append("recent runs:")
    for cid, job, started, st, stats in recent:
        stats = json.loads(stats or "{}")
        lines.append(f"  #{cid} {job or '-':16} {started[:19]} {st:12} pages {pages_fetched(stats)} "
                     f"articles {stats.get('store/articles', 0)} errors {error_count(stats)}")
    if failed:
        lines.append("runs that did not finish cleanly:")
        lines += [f"  #{cid} {job or '-'} {started[:19]} {st}" for cid, job, started, st, _ in failed]
    return lines
