"""A plain crawl SIGKILLed mid-way, then the same crawl again: duplicates and lost articles.

    .venv/bin/python bench/crash_kill.py [--pages 4000] [--kill-after 8 | --kill-at-mb 40] [--keep DIR]

What a new user would do (issue 14): crawl a generated news site (``bench/sitegen.py``, every
article listed in its sitemap) on 127.0.0.1 with politeness lifted, SIGKILL the crawl's process
group after ``--kill-after`` seconds, then run the very same ``newsarchive crawl`` into the same
archive, with no ``verify --repair`` in between.  Counted from the finished archive:

* duplicate pairs: (URL, payload digest) pairs stored as two or more full ``response`` records
  (an unchanged page fetched again must become a ``revisit``);
* lost articles: article URLs with a response (or revisit) record in the WARCs but no row in
  ``articles``;
* and what recovery said, the crawls rows, `newsarchive verify`.

Both counts must be 0; the script exits 1 otherwise.  The site is served by its own process.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from throughput import Site  # noqa: E402

PYTHON = sys.executable
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=32"]


def crawl_command(site: Site, archive: Path) -> list[str]:
    return [PYTHON, "-m", "crawler.cli", "crawl", site.base + "/", "--sitemap", site.sitemap,
            "--archive", str(archive), *FAST]


def responses(warcs: Path) -> list[tuple[str, str, str]]:
    """(type, URL, payload digest) of every response and revisit record."""
    from archive.reader import iter_records

    return [(e.record.rec_type, e.record.url, e.record.rec_headers.get_header("WARC-Payload-Digest"))
            for e in iter_records(str(warcs), include_open=False) if e.record.rec_type in ("response", "revisit")]


def warc_bytes(warcs: Path) -> int:
    try:
        return sum(p.stat().st_size for p in warcs.iterdir())
    except OSError:
        return 0


def records_at_kill(warcs: Path) -> int:
    from archive.verify import verify_file

    return sum(verify_file(str(p)).records for p in warcs.iterdir() if ".warc.gz" in p.name
               and not p.name.endswith(".truncated-tail"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=4000)
    parser.add_argument("--kill-after", type=float, default=8.0, help="Seconds after the start to kill the crawl.")
    parser.add_argument("--kill-at-mb", type=float, default=None,
                        help="Kill once the WARCs hold this many MB instead (a loaded machine crawls slower).")
    parser.add_argument("--keep", type=Path, default=None, help="Archive directory to keep (default: a temp dir).")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="crash-kill-")) if args.keep is None else args.keep
    archive = workdir / "archive"
    site = Site(args.pages)
    try:
        print(f"site: {args.pages} articles at {site.base}; archive: {archive}", flush=True)
        first = subprocess.Popen(crawl_command(site, archive), cwd=ROOT, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        began = time.monotonic()
        if args.kill_at_mb is None:
            time.sleep(args.kill_after)
        else:
            while warc_bytes(archive / "warcs") < args.kill_at_mb * 1e6 and first.poll() is None:
                time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        at_kill = records_at_kill(archive / "warcs")
        print(f"killed after {time.monotonic() - began:.1f} s: {at_kill} complete WARC records on disk", flush=True)

        started = time.monotonic()
        second = subprocess.run(crawl_command(site, archive), cwd=ROOT, capture_output=True, text=True)
        elapsed = time.monotonic() - started
    finally:
        site.close()
    recovered = [line for line in second.stderr.splitlines() if line.startswith("recovered")]
    print(f"second crawl: exit {second.returncode}, {elapsed:.1f} s")
    print("recovery: " + (recovered[0] if recovered else "NONE"))

    records = responses(archive / "warcs")
    full = Counter((url, digest) for kind, url, digest in records if kind == "response")
    duplicates = sum(1 for n in full.values() if n > 1)
    article_urls = {url for _, url, _ in records if "/story-" in url}
    conn = sqlite3.connect(archive / "archive.db")
    stored = {url for (url,) in conn.execute("SELECT url FROM articles")}
    versions = conn.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    runs = conn.execute("SELECT id, status FROM crawls ORDER BY id").fetchall()
    conn.close()
    lost = len(article_urls - stored)
    verify = subprocess.run([PYTHON, "-m", "crawler.cli", "verify", "--archive", str(archive)], cwd=ROOT,
                            capture_output=True, text=True)

    revisits = sum(1 for kind, _, _ in records if kind == "revisit")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| complete records when killed | {at_kill} |")
    print(f"| response records / revisits in the finished archive | {len(records) - revisits} / {revisits} |")
    print(f"| articles with a record / in `articles` / versions | {len(article_urls)} / {len(stored)} / {versions} |")
    print(f"| crawls | {', '.join(f'#{i} {s}' for i, s in runs)} |")
    print(f"| `newsarchive verify` | exit {verify.returncode}, {verify.stdout.strip().splitlines()[-1]} |")
    print(f"| **(URL, payload digest) pairs with two response records** | **{duplicates}** |")
    print(f"| **articles lost** | **{lost}** |")
    ok = duplicates == 0 and lost == 0 and second.returncode == 0 and verify.returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
