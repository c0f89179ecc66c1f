"""What ``newsarchive status`` says: jobs, archive totals and failures, from the files themselves."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from crawler.accounting import run_line
from crawler.extensions import human_bytes
from crawler.dataset.connection import connect_ro
from crawler.dataset.errors import DatasetError
from crawler.totals import dataset_totals, dataset_verdicts, warc_totals


def job_status(jobs: dict) -> list[str]:
    from crawler.jobs.run import is_running, job_runs
    from crawler.jobs.scheduler import describe_run, next_run, utc_now, utc_text

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




def archive_status(archive: Path) -> list[str]:
    files, size = warc_totals(archive)
    lines = [f"archive    {archive}", f"WARC files {files} ({human_bytes(size)})"]
    db = archive / "archive.db"
    if not db.exists():
        return lines + ["dataset    none yet"]
    try:
        conn = connect_ro(db)
    except DatasetError as exc:
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
    from crawler.jobs.run import COMPLETE
    from crawler.jobs.scheduler import describe_run, utc_text

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

