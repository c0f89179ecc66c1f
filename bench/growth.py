"""Does a crawl cost what it adds, or what the archive holds? One command grows a synthetic
archive through 10 k, 100 k and 1 M captures and, at each size, measures in the same run:

* **post-crawl**: the work after a 500-page crawl (its WARC indexed, the index brought up to
  date, its files verified: what the WARC middleware and ``PostCrawlChecks`` do), in a fresh
  process, CPU and wall;
* **index**: ``newsarchive index`` right after it;
* **show**: ``newsarchive show URL`` of the oldest capture in the archive;
* **pywb**: a running pywb's CDX lookup of that URL and a replay (``id_``) of it;
* **status**: ``newsarchive status``; **search**: ``newsarchive search`` for a phrase with a fixed
  number of matches (so the figure is the cost of the archive's size, not of a longer result);
* **package**: ``newsarchive package --crawl ID`` of the measured crawl (a WACZ of its WARC and
  its 500 articles, validated);
* **peak RSS** of each of those processes.

The bulk is written directly with the project's own writer (``archive.writer.WarcFileWriter``,
``archive.warc_records.http_record``): small pages (about 0.7 KB), response records only, 20,000 per
WARC, each WARC indexed as it closes exactly as a crawl's is; dataset rows (captures, articles
with their full-text index, one crawl per bulk file) are inserted in batches into the real
schema. The measured crawl writes 500 sitegen-like article pages (``bench/sitegen.py``,
50 KB+ each) with their request records, and their articles.

    .venv/bin/python bench/growth.py [--sizes 10000,100000,1000000] [--dir .bench-cache/growth]
    .venv/bin/python bench/growth.py --sizes 10000,1000000 --keep --dir DIR_10K --dir DIR_1M

Wall-clock figures on a shared machine are noisy: CPU seconds are given beside them, and each
command runs ``--reps`` times (median).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from archive.index import index_dir, update_index, warc_index_name  # noqa: E402
from archive.warc_records import http_record, warc_date  # noqa: E402
from archive.writer import WarcFileWriter  # noqa: E402

# Peak RSS is the process's own VmHWM, read as it exits: the rusage of a child counts the parent's
# memory it was forked from (before exec), which would hide the command's own figure.
HWM = """
import atexit, os
def _hwm():
    with open('/proc/self/status') as fh:
        kb = next(line for line in fh if line.startswith('VmHWM')).split()[1]
    with open(os.environ['GROWTH_HWM'], 'w') as out:
        out.write(kb)
atexit.register(_hwm)
"""
CLI = [sys.executable, "-c", HWM + "import runpy, sys\nsys.argv[0] = 'newsarchive'\n"
       "runpy.run_module('crawler.cli', run_name='__main__')"]
BULK_PER_WARC = 20000
HOSTS = 40
SECTIONS = ("world", "politics", "business", "science", "sport", "culture")
PHRASE_MARK = "quokkaharbour"  # in exactly 20 bulk bodies: a search with a fixed result size

POST_CRAWL = HWM + """
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from archive.index import update_index
from archive.verify import verify_files
archive, files, merge_at = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
result = update_index(archive, merge_at=merge_at)
report = verify_files(archive, files)
assert report.ok, report.problems
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "indexed": len(result.indexed), "merges": result.merges, "files": result.files}))
"""

# The commands' own work, apart from the interpreter start and imports (~0.7-1 s of CPU, the
# same at every size, and most of each CLI figure): each plain function behind `index`, `show`
# and `status` called once to warm up (its lazy imports), then timed, CPU, median of reps.
WORK = """
import json, statistics, sys, time
from pathlib import Path
from crawler.commands.archive import get_capture, run_index
from crawler.status import archive_status
archive, url, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
calls = {"index": lambda: run_index(archive), "show": lambda: get_capture(archive, url),
         "status": lambda: archive_status(Path(archive))}
out = {}
for name, call in calls.items():
    call()
    times = []
    for _ in range(reps):
        c0 = time.process_time()
        call()
        times.append(time.process_time() - c0)
    out[name] = statistics.median(times)
print(json.dumps(out))
"""


# --- building the archive ------------------------------------------------------------------

def small_page(i: int) -> bytes:
    mark = f" {PHRASE_MARK}" if i < 20 else ""
    words = ("council budget river harbour election minister report village school hospital "
             "court weather storm bridge railway museum festival market farmers").split()
    text = " ".join(words[(i * 7 + k) % len(words)] for k in range(60))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Story {i}</title></head>"
            f"<body><h1>Story {i}</h1><p>{text}{mark}.</p><p>{text[::-1]}</p></body></html>").encode()


def bulk_url(i: int) -> str:
    return f"http://news{i % HOSTS}.example/{SECTIONS[i % len(SECTIONS)]}/2026/story-{i:08d}.html"


def response_block(body: bytes) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body


def request_block(url: str) -> bytes:
    host = url.split("/")[2]
    path = "/" + url.split("/", 3)[3]
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: newsarchive-bench\r\n\r\n".encode()


def open_dataset(archive: Path) -> sqlite3.Connection:
    from crawler.dataset.writer import DatasetWriter

    DatasetWriter(str(archive / "archive.db")).close()  # creates the schema, as a crawl does
    conn = sqlite3.connect(archive / "archive.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def add_rows(conn, rows: list[tuple], crawl_started: str, stats: dict) -> None:
    """One crawl's captures and articles, in one transaction (the real schema and FTS triggers)."""
    conn.execute("BEGIN")
    cur = conn.execute("INSERT INTO crawls (started, finished, status, stats) VALUES (?, ?, 'finished', ?)",
                       (crawl_started, crawl_started, json.dumps(stats)))
    crawl_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO captures (url, status, mime, fetched_at, payload_digest, warc_filename, warc_offset, "
        "warc_length, warc_record_id, revisit, crawl_id) VALUES (?, 200, 'text/html', ?, ?, ?, ?, ?, ?, 0, ?)",
        [(url, date, digest, fname, off, length, rid, crawl_id) for url, date, digest, fname, off, length, rid, _h, _b in rows])
    conn.executemany(
        "INSERT INTO articles (url, site, headline, body, word_count, fetched_at, first_seen, last_seen, "
        "version_count, warc_filename, warc_offset, warc_record_id, payload_digest) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
        [(url, url.split("/")[2], headline, body, len(body.split()), date, date, date, fname, off, rid, digest)
         for url, date, digest, fname, off, length, rid, headline, body in rows])
    conn.execute("COMMIT")


def write_warc(archive: Path, pages, prefix: str, with_requests: bool) -> tuple[str, list[tuple]]:
    """Write one WARC of ``pages`` (url, body, headline, text); returns its path and dataset rows."""
    writer = WarcFileWriter(archive / "warcs", prefix=prefix, max_size=1 << 40, host="bench")
    rows = []
    for url, body, headline, text in pages:
        date = warc_date()
        resp = http_record("response", url, response_block(body), date=date)
        records = [resp]
        if with_requests:
            records.append(http_record("request", url, request_block(url), date=date,
                                       concurrent_to=resp.record_id))
        ptr = writer.write(records)[0]
        rows.append((url, date, resp.extra["payload_digest"], ptr["filename"], ptr["offset"], ptr["length"],
                     resp.record_id, headline, text))
    name = writer.current_name
    writer.close()
    return str(archive / "warcs" / name), rows


def grow_bulk(archive: Path, conn, start: int, stop: int, merge_at: int) -> None:
    """Captures [start, stop) as bulk WARCs, each indexed as it closes, plus their dataset rows."""
    i = start
    while i < stop:
        end = min(stop, i + BULK_PER_WARC)
        pages = ((bulk_url(k), small_page(k), f"Story {k}", small_page(k).decode()[120:500])
                 for k in range(i, end))
        _path, rows = write_warc(archive, pages, "bulk", with_requests=False)
        update_index(str(archive), merge_at=merge_at)
        add_rows(conn, rows, rows[0][1], {"downloader/response_count": len(rows), "store/articles": len(rows)})
        i = end


_ARTICLES: list[tuple] = []


def crawl_pages(n: int, round_no: int):
    """``n`` sitegen article pages (50 KB+) under a per-round URL, rendered once and reused."""
    from sitegen import render_article

    global _ARTICLES
    if len(_ARTICLES) < n:
        _ARTICLES = [(render_article(i, 8, n).encode(), f"Article {i}") for i in range(n)]
    for i, (body, headline) in enumerate(_ARTICLES[:n]):
        yield (f"http://daily.example/r{round_no}/story-{i:06d}.html", body, headline,
               f"{headline} text of round {round_no}")


# --- measuring -----------------------------------------------------------------------------

def measure_child(cmd: list[str]) -> dict:
    hwm = Path(os.environ.get("TMPDIR", "/tmp")) / f"growth-hwm-{os.getpid()}"
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "GROWTH_HWM": str(hwm)})
    out = proc.stdout.read()
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd[:5]))} failed ({proc.returncode}): {err.decode()[-2000:]}")
    rss = int(hwm.read_text()) / 1024
    hwm.unlink()
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": rss,
            "out": out.decode("utf-8", "replace")}


def median_of(cmd: list[str], reps: int) -> dict:
    runs = [measure_child(cmd) for _ in range(reps)]
    return {"wall": statistics.median(r["wall"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs),
            "rss_mb": max(r["rss_mb"] for r in runs), "out": runs[-1]["out"]}


def pywb_lookup(archive: Path, url: str, reps: int) -> dict:
    from archive.replay import start_replay

    with start_replay(archive, "127.0.0.1", 0) as server:
        def get(path):
            t0 = time.perf_counter()
            with urllib.request.urlopen(server.base_url + path, timeout=120) as resp:
                body = resp.read()
            return time.perf_counter() - t0, body

        get(f"/archive/cdx?url={url}")  # warm-up: pywb loads its directory listing
        cdx = [get(f"/archive/cdx?url={url}") for _ in range(reps)]
        assert cdx[-1][1].strip(), f"pywb found no capture of {url}"
        ts = cdx[-1][1].split()[1].decode()
        replay = [get(f"/archive/{ts}id_/{url}") for _ in range(reps)]
        rss = 0.0
        with open(f"/proc/{server.process.pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    rss = int(line.split()[1]) / 1024
    return {"cdx": statistics.median(t for t, _ in cdx), "replay": statistics.median(t for t, _ in replay),
            "rss_mb": rss}


def measure(archive: Path, conn, round_no: int, args) -> dict:
    # untimed: what the previous crawl's post-crawl step left (a kept archive grown by an older
    # version is brought to this version's layout here, not in the figure of the crawl below)
    update_index(str(archive), merge_at=args.merge_at)
    pages = crawl_pages(args.crawl_pages, round_no)
    path, rows = write_warc(archive, pages, f"crawl{round_no}", with_requests=True)
    add_rows(conn, rows, rows[0][1], {"downloader/response_count": len(rows), "store/articles": len(rows)})
    posts = []
    for rep in range(args.reps):  # the crawl's file indexed afresh each time: the same work again
        own = os.path.join(index_dir(str(archive)), warc_index_name(os.path.basename(path)))
        if rep and not os.path.exists(own):
            break  # it was merged (a tier filled up): that first run is the figure
        if rep:
            os.unlink(own)
        post = measure_child([sys.executable, "-c", POST_CRAWL, str(archive), json.dumps([path]), str(args.merge_at)])
        post.update(json.loads(post.pop("out")))
        posts.append(post)
    post = {k: statistics.median(p[k] for p in posts) if k in ("wall", "cpu") else max(p[k] for p in posts)
            for k in posts[0]}
    index = median_of([*CLI, "index", "--archive", str(archive)], args.reps)
    oldest = bulk_url(0)
    show = median_of([*CLI, "show", oldest, "--archive", str(archive), "--headers"], args.reps)
    assert show["out"].startswith("HTTP/1.1 200"), show["out"][:200]
    status = median_of([*CLI, "status", "--archive", str(archive)], args.reps)
    search = median_of([*CLI, "search", PHRASE_MARK, "--archive", str(archive), "--limit", "20"], args.reps)
    pywb = pywb_lookup(archive, oldest, args.reps) if not args.no_pywb else {"cdx": 0, "replay": 0, "rss_mb": 0}
    package = {"wall": 0.0, "cpu": 0.0, "rss_mb": 0.0}
    if not args.no_package:
        crawl_id = conn.execute("SELECT max(id) FROM crawls").fetchone()[0]
        wacz = archive.parent / "crawl.wacz"
        package = median_of([*CLI, "package", "--archive", str(archive), "--crawl", str(crawl_id),
                             "--wacz", str(wacz)], args.reps)
        assert f"{args.crawl_pages} of {args.crawl_pages} articles listed" in package["out"], package["out"]
        wacz.unlink()
    work = json.loads(measure_child([sys.executable, "-c", HWM + WORK, str(archive), oldest,
                                     str(max(5, args.reps))])["out"])
    return {"post": post, "index": index, "show": show, "status": status, "search": search, "pywb": pywb,
            "package": package, "work": work}


def kept_progress(conn) -> tuple[int, int]:
    """Bulk captures and measured crawls already in a kept archive (0, 0 for a new one)."""
    bulk = conn.execute("SELECT count(*) FROM captures WHERE warc_filename LIKE 'bulk-%'").fetchone()[0]
    crawls = conn.execute("SELECT count(DISTINCT warc_filename) FROM captures "
                          "WHERE warc_filename LIKE 'crawl%'").fetchone()[0]
    return bulk, crawls


def captures_in(conn) -> int:
    return conn.execute("SELECT max(id) FROM captures").fetchone()[0] or 0


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def format_table(results: list[dict]) -> str:
    head = ("| captures | WARC+index MB | post-crawl s (cpu) | index s (cpu) | show s (cpu) | pywb cdx ms | "
            "pywb replay ms | status s (cpu) | search s (cpu) | package crawl s (cpu) | work cpu ms: index / show / status | index files | "
            "peak RSS MB (max of all) |")
    lines = [head, "|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|"]
    for r in results:
        m = r["m"]
        rss = max(m["post"]["rss_mb"], m["index"]["rss_mb"], m["show"]["rss_mb"], m["status"]["rss_mb"],
                  m["search"]["rss_mb"], m["pywb"]["rss_mb"], m["package"]["rss_mb"])
        lines.append(
            f"| {r['captures']:,} | {r['disk_mb']:.0f} | {m['post']['wall']:.2f} ({m['post']['cpu']:.2f}) | "
            f"{m['index']['wall']:.2f} ({m['index']['cpu']:.2f}) | {m['show']['wall']:.2f} ({m['show']['cpu']:.2f}) | "
            f"{m['pywb']['cdx'] * 1000:.0f} | {m['pywb']['replay'] * 1000:.0f} | "
            f"{m['status']['wall']:.2f} ({m['status']['cpu']:.2f}) | {m['search']['wall']:.2f} ({m['search']['cpu']:.2f}) | "
            f"{m['package']['wall']:.2f} ({m['package']['cpu']:.2f}) | "
            f"{m['work']['index'] * 1000:.2f} / {m['work']['show'] * 1000:.2f} / {m['work']['status'] * 1000:.2f} | "
            f"{m['post']['files']} | {rss:.0f} (post {m['post']['rss_mb']:.0f}, show {m['show']['rss_mb']:.0f}, "
            f"status {m['status']['rss_mb']:.0f}, pywb {m['pywb']['rss_mb']:.0f}, package {m['package']['rss_mb']:.0f}) |")
    return "\n".join(lines)


def ratios(results: list[dict]) -> str:
    if len(results) < 2:
        return ""
    a, b = results[0]["m"], results[-1]["m"]
    figures = {
        "post-crawl cpu": (a["post"]["cpu"], b["post"]["cpu"]), "index cpu": (a["index"]["cpu"], b["index"]["cpu"]),
        "show cpu": (a["show"]["cpu"], b["show"]["cpu"]), "pywb cdx": (a["pywb"]["cdx"], b["pywb"]["cdx"]),
        "pywb replay": (a["pywb"]["replay"], b["pywb"]["replay"]),
        "status cpu": (a["status"]["cpu"], b["status"]["cpu"]), "search cpu": (a["search"]["cpu"], b["search"]["cpu"]),
        "package crawl cpu": (a["package"]["cpu"], b["package"]["cpu"]),
        "index work cpu": (a["work"]["index"], b["work"]["index"]),
        "show work cpu": (a["work"]["show"], b["work"]["show"]),
        "status work cpu": (a["work"]["status"], b["work"]["status"]),
        "post-crawl RSS": (a["post"]["rss_mb"], b["post"]["rss_mb"]), "show RSS": (a["show"]["rss_mb"], b["show"]["rss_mb"]),
    }
    parts = [f"{name} {hi / lo:.2f}x" for name, (lo, hi) in figures.items() if lo]
    return (f"growth {results[0]['captures']:,} -> {results[-1]['captures']:,} captures: " + ", ".join(parts))


REMEASURE = 1.1  # a kept archive up to 10 % past a size is measured again as it is


def grow_and_measure(directory: Path, sizes: list[int], args) -> list[dict]:
    """Grow the archive under ``directory`` through ``sizes``, measuring at each."""
    archive = directory / "archive"
    if not (args.keep and (archive / "archive.db").exists()):
        shutil.rmtree(archive, ignore_errors=True)
    (archive / "warcs").mkdir(parents=True, exist_ok=True)
    conn = open_dataset(archive)
    results = []
    bulk, earlier = kept_progress(conn)
    if bulk:
        print(f"# reusing the kept archive {archive}: {bulk:,} bulk captures, {earlier} measured crawls",
              flush=True)
    try:
        round_no = earlier
        for size in sizes:
            t0 = time.perf_counter()
            target = size - (round_no + 1) * args.crawl_pages  # the measured crawls add the rest
            if target < bulk and captures_in(conn) > size * REMEASURE:
                print(f"# {size:,}: the kept archive is larger already, skipped", flush=True)
                continue
            grow_bulk(archive, conn, bulk, target, args.merge_at)
            bulk = max(bulk, target)
            grown = time.perf_counter() - t0
            if args.grow_only:
                print(f"# grown to {bulk:,} bulk captures in {grown:.0f} s", flush=True)
                continue
            m = measure(archive, conn, round_no, args)
            entry = {"captures": captures_in(conn), "disk_mb": disk_mb(archive), "grow_s": grown, "m": m}
            results.append(entry)
            round_no += 1
            print(f"# {entry['captures']:,} captures (grown in {grown:.0f} s, {entry['disk_mb']:.0f} MB): "
                  + json.dumps({k: {kk: round(vv, 3) for kk, vv in v.items() if isinstance(vv, (int, float))}
                                for k, v in m.items()}), flush=True)
    finally:
        conn.close()
        if not args.keep:
            shutil.rmtree(archive, ignore_errors=True)
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="capture counts to measure at")
    ap.add_argument("--dir", action="append",
                    help="where the archive grows (default .bench-cache/growth); give one per size to "
                         "measure each size in its own kept archive, in the same run")
    ap.add_argument("--crawl-pages", type=int, default=500)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--merge-at", type=int, default=16, help="NEWSARCHIVE_INDEX_MERGE_AT")
    ap.add_argument("--no-pywb", action="store_true")
    ap.add_argument("--no-package", action="store_true")
    ap.add_argument("--grow-only", action="store_true",
                    help="grow the archive to the largest size's bulk and keep it, measure nothing")
    ap.add_argument("--keep", action="store_true",
                    help="keep the archive afterwards, and grow on one an earlier --keep run left")
    args = ap.parse_args(argv)
    args.keep = args.keep or args.grow_only
    sizes = sorted(int(s) for s in args.sizes.split(","))
    dirs = [Path(d) for d in (args.dir or [str(ROOT / ".bench-cache" / "growth")])]
    if len(dirs) == 1:
        results = grow_and_measure(dirs[0], sizes, args)
    elif len(dirs) == len(sizes):
        results = [entry for size, directory in zip(sizes, dirs) for entry in grow_and_measure(directory, [size], args)]
    else:
        ap.error("give one --dir, or one per size (in the order of the sizes, smallest first)")
    print(format_table(results))
    print(ratios(results))


if __name__ == "__main__":
    main()
