"""What browser capture costs: the demo site crawled with ``NEWSARCHIVE_BROWSER`` off, auto and always.

    .venv/bin/python bench/browser.py [--runs 3] [--modes off,auto,always]

Each run is the real CLI crawl of a fresh demo server on 127.0.0.1 (politeness delays off, as the
tests crawl it) into a fresh archive. ``auto`` fetches one page again in Chromium (the demo's
JavaScript-only article); ``always`` fetches every article page again in it. Reported: pages
answered, browser fetches, wall seconds and pages/s (median of the runs), and the CPU seconds of
the crawl process and its children (Chromium included), which are steadier than wall time on a
shared machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _browser_captures(warcs: Path) -> int:
    """Pages fetched again in the browser: response records marked ``WARC-Capture-Mode: browser``
    (the server's hit counts would also count the images Chromium loads for a page)."""
    from warcio.archiveiterator import ArchiveIterator

    count = 0
    for path in warcs.glob("*.warc.gz"):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type == "response" and rec.rec_headers.get_header("WARC-Capture-Mode") == "browser":
                    count += 1
    return count


def crawl_once(mode: str) -> dict:
    from crawler.demo.server import DemoServer

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp, DemoServer(edition=1) as server:
        cpu0, t0 = _children_cpu(), time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", server.url + "/", "--sitemap", server.url + "/sitemap.xml",
             "--archive", tmp, *FAST, "-s", f"NEWSARCHIVE_BROWSER={mode}", "-s", "LOG_LEVEL=WARNING",
             "-s", "STATS_DUMP=False"],
            cwd=ROOT, capture_output=True, text=True, timeout=900)
        wall, cpu = time.monotonic() - t0, _children_cpu() - cpu0
        if proc.returncode != 0:
            raise SystemExit(f"crawl with NEWSARCHIVE_BROWSER={mode} failed:\n{proc.stderr[-2000:]}")
        import sqlite3

        db = sqlite3.connect(Path(tmp) / "archive.db")
        pages = db.execute("select count(*) from captures where status is not null").fetchone()[0]
        articles = db.execute("select count(*) from articles").fetchone()[0]
        db.close()
        browser = _browser_captures(Path(tmp) / "warcs")
    return {"mode": mode, "captures": pages, "articles": articles, "refetched": browser,
            "wall": wall, "cpu": cpu}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--modes", default="off,auto,always")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows = []
    modes = args.modes.split(",")
    results = {m: [] for m in modes}
    for _ in range(args.runs):  # interleaved, so load changes hit every mode alike
        for mode in modes:
            results[mode].append(crawl_once(mode))
    for mode in modes:
        runs = results[mode]
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rows.append({"mode": mode, "captures": runs[0]["captures"], "articles": runs[0]["articles"],
                     "browser fetches": runs[0]["refetched"], "wall s": round(wall, 1),
                     "captures/s": round(runs[0]["captures"] / wall, 1), "cpu s": round(cpu, 1),
                     "cpu ms/capture": round(1000 * cpu / runs[0]["captures"])})
    if args.json:
        print(json.dumps(rows))
        return 0
    cols = list(rows[0])
    print(" | ".join(cols))
    print(" | ".join("---" for _ in cols))
    for row in rows:
        print(" | ".join(str(row[c]) for c in cols))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
