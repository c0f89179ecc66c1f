"""Throughput of the full pipeline against bare Scrapy on the same generated site.

    .venv/bin/python bench/throughput.py [--pages 2000] [--runs 3] [--rss-check]

Both modes run as subprocesses against ``bench/sitegen.py`` served from its own process, and
alternate (bare, full, bare, full, ...) so that load from other users of the machine hits both.

* **bare**: a minimal Scrapy spider that reads the sitemap and requests every article,
  touching ``response.text`` and nothing else (robots.txt obeyed, no WARC, no pipelines).
* **full**: ``newsarchive crawl --sitemap URL`` with politeness lifted for loopback (every
  setting is in ``FULL_SETTINGS``): WARC capture, extraction and the SQLite dataset.

pages/s = article pages / Scrapy's ``elapsed_time_seconds`` stat (engine start to spider
close: interpreter start-up, imports and the post-crawl index/verify are excluded).  Peak RSS is
sampled from /proc every 0.1 s as the sum of RSS over the crawler process and all its
descendants (process-pool workers included; shared pages of forked children count once per
process, so the figure errs high).  The last stdout line is exactly ``ratio: X.XX``
(full / bare median pages/s).
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
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
CONCURRENCY = 32
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

FULL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": str(CONCURRENCY),
    "CONCURRENT_REQUESTS_PER_DOMAIN": str(CONCURRENCY),
    "LOG_LEVEL": "WARNING",
    # Bare Scrapy fetches exactly the sitemap's articles; so must we, or the ratio compares
    # different crawls (links would add section listings; the pages' images live off-site).
    "NEWS_FOLLOW_LINKS": "False",
    "NEWS_FETCH_EMBEDS": "False",
}


# --- the bare spider (runs in its own interpreter: `throughput.py _bare URL OUT`) ------------

def run_bare_spider(sitemap_url: str, out: str) -> None:
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    class Bare(SitemapSpider):
        name = "bare"
        sitemap_urls = [sitemap_url]

        def parse(self, response):
            response.text  # noqa: B018 - decoding the body is the only work, by design
            self.crawler.stats.inc_value("bench/articles")

    process = CrawlerProcess({
        "CONCURRENT_REQUESTS": CONCURRENCY, "CONCURRENT_REQUESTS_PER_DOMAIN": CONCURRENCY,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
        "DEFAULT_REQUEST_HEADERS": {"Accept": "text/html,*/*;q=0.8", "Accept-Language": "en",
                                    "Accept-Encoding": "gzip, deflate"},
        "USER_AGENT": "newsarchive-bench-bare",
    })
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    Path(out).write_text(json.dumps(_jsonable(crawler.stats.get_stats())))


def _jsonable(stats: dict) -> dict:
    return {k: (v if isinstance(v, (int, float, str, bool, type(None))) else str(v))
            for k, v in stats.items()}


# --- process-tree sampling --------------------------------------------------------------------

def _stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, cpu ticks, rss pages) of a live process, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    fields = data[data.rfind(b")") + 2:].split()
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21])


def tree(root: int) -> dict[int, tuple[int, int]]:
    """pid -> (cpu ticks, rss pages) for *root* and every descendant alive now."""
    procs: dict[int, tuple[int, int, int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st is not None:
                procs[int(name)] = st
    found, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, st in procs.items():
            if st[0] == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return {pid: procs[pid][1:] for pid in found if pid in procs}


class TreeSampler(threading.Thread):
    """Peak summed RSS and CPU time of a process tree, sampled from /proc.

    CPU is summed per process from its own utime+stime as last seen, because pool workers
    may be children of a fork server the crawler never waits for (so ``wait4`` would miss
    them); the last < ``interval`` of a process's life is not seen."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self.cpu_ticks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(self.interval):
            procs = tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(rss for _, rss in procs.values()) * PAGE_SIZE_KB)
            for pid, (ticks, _) in procs.items():
                self.cpu_ticks[pid] = max(ticks, self.cpu_ticks.get(pid, 0))

    def stop(self) -> tuple[float, float, float]:
        """(peak RSS in MB, CPU seconds of the tree, CPU seconds of the root process alone)."""
        self.done.set()
        self.join()
        return (self.peak_kb / 1024, sum(self.cpu_ticks.values()) / CLK_TCK,
                self.cpu_ticks.get(self.pid, 0) / CLK_TCK)


def cpu_seconds(pid: int) -> float:
    st = _stat(pid)
    return st[1] / CLK_TCK if st else 0.0


# --- the site server --------------------------------------------------------------------------

class Site:
    """bench/sitegen.py in its own process (so server and crawler never share a GIL)."""

    def __init__(self, pages: int, seed: int = 8):
        self.proc = subprocess.Popen([PYTHON, str(HERE / "sitegen.py"), "--pages", str(pages),
                                      "--seed", str(seed)], stdout=subprocess.PIPE, text=True)
        self.base = self.proc.stdout.readline().strip()
        if not self.base.startswith("http://"):
            self.proc.kill()
            raise SystemExit("error: the benchmark site did not start")
        self.info = json.loads(self.proc.stdout.readline())

    @property
    def sitemap(self) -> str:
        return self.base + "/sitemap.xml"

    def cpu(self) -> float:
        return cpu_seconds(self.proc.pid)

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# --- one run ----------------------------------------------------------------------------------

def _run_measured(cmd: list[str], site: Site) -> dict:
    server_cpu = site.cpu()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    peak_mb, cpu_s, root_cpu_s = sampler.stop()
    return {"returncode": proc.returncode, "stdout": out.decode(errors="replace"),
            "stderr": err.decode(errors="replace"), "peak_rss_mb": peak_mb,
            "crawler_cpu_s": cpu_s, "reactor_cpu_s": root_cpu_s, "server_cpu_s": site.cpu() - server_cpu}


def run_bare(site: Site, workdir: Path) -> dict:
    out = workdir / "bare-stats.json"
    res = _run_measured([PYTHON, str(Path(__file__).resolve()), "_bare", site.sitemap, str(out)], site)
    if res["returncode"] != 0 or not out.exists():
        raise SystemExit(f"error: the bare crawl failed: {res['stderr'].strip().splitlines()[-1:]}")
    stats = json.loads(out.read_text())
    return _result("bare", stats.get("bench/articles", 0), stats, res)


def full_command(site: Site, archive: Path, extra: dict | None = None) -> list[str]:
    cmd = [str(Path(PYTHON).with_name("newsarchive")), "crawl", "--sitemap", site.sitemap,
           "--archive", str(archive)]
    for name, value in {**FULL_SETTINGS, **(extra or {})}.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


CAPTURE_MODES = {"full": {}, "rebuilt": {"WARC_CAPTURE": "rebuilt"}}


def run_full(site: Site, workdir: Path, extra: dict | None = None) -> dict:
    archive = workdir / "full-archive"
    shutil.rmtree(archive, ignore_errors=True)
    res = _run_measured(full_command(site, archive, extra), site)
    stats = _crawl_stats(archive / "archive.db")
    if res["returncode"] != 0 or stats is None:
        last = (res["stderr"].strip().splitlines() or ["no output"])[-1]
        raise SystemExit(f"error: the full crawl failed: {last}")
    result = _result("full", stats.get("store/articles", 0), stats, res)
    result["warc_mb"] = sum(p.stat().st_size for p in (archive / "warcs").glob("*.warc.gz")) / 2**20
    shutil.rmtree(archive, ignore_errors=True)
    return result


def _crawl_stats(db: Path) -> dict | None:
    """The crawl's Scrapy stats as DatasetPipeline saved them in archive.db."""
    if not db.exists():
        return None
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT stats FROM crawls ORDER BY id DESC LIMIT 1").fetchone()
    return json.loads(row[0]) if row and row[0] else None


def _elapsed(stats: dict) -> float:
    if stats.get("elapsed_time_seconds"):
        return float(stats["elapsed_time_seconds"])
    from datetime import datetime

    return (datetime.fromisoformat(stats["finish_time"]) - datetime.fromisoformat(stats["start_time"])).total_seconds()


def _result(mode: str, articles: int, stats: dict, res: dict) -> dict:
    elapsed = _elapsed(stats)
    return {"mode": mode, "articles": int(articles), "elapsed_s": elapsed,
            "pages_per_s": articles / elapsed if elapsed > 0 else 0.0,
            "peak_rss_mb": res["peak_rss_mb"], "crawler_cpu_s": res["crawler_cpu_s"],
            "reactor_cpu_s": res["reactor_cpu_s"], "server_cpu_s": res["server_cpu_s"]}


# --- reporting --------------------------------------------------------------------------------

def summarise(runs: list[dict]) -> dict:
    return {"mode": runs[0]["mode"], "pages": max(r["articles"] for r in runs),
            "pages_per_s": statistics.median(r["pages_per_s"] for r in runs), "runs": len(runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "all": [round(r["pages_per_s"], 1) for r in runs],
            "server_share": sum(r["server_cpu_s"] for r in runs) / max(
                1e-9, sum(r["server_cpu_s"] + r["crawler_cpu_s"] for r in runs)),
            "cpu_ms_per_page": 1000 * statistics.median(r["crawler_cpu_s"] / max(1, r["articles"])
                                                        for r in runs),
            "reactor_ms_per_page": 1000 * statistics.median(r["reactor_cpu_s"] / max(1, r["articles"])
                                                            for r in runs)}


def format_table(rows: list[dict]) -> str:
    lines = [f"{'mode':<7} {'pages':>6} {'median pages/s':>15} {'runs':>5} {'peak RSS MB':>12}"
             f"   {'each run (pages/s)':<24} {'crawler CPU ms/page':>20} {'of it reactor process':>22}"
             f" {'server CPU share':>17}"]
    for r in rows:
        lines.append(f"{r['mode']:<7} {r['pages']:>6} {r['pages_per_s']:>15.1f} {r['runs']:>5} "
                     f"{r['peak_rss_mb']:>12.1f}   {' / '.join(map(str, r['all'])):<24} "
                     f"{r['cpu_ms_per_page']:>20.2f} {r['reactor_ms_per_page']:>22.2f}"
                     f" {100 * r['server_share']:>16.1f}%")
    return "\n".join(lines)


def benchmark(pages: int, runs: int, seed: int = 8, extra: dict | None = None,
              modes=("bare", "full"), log=print) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        site = Site(pages, seed)
        try:
            log(f"site: {site.base}, {site.info['pages']} articles, "
                f"{site.info['html_bytes'] / site.info['pages'] / 1024:.1f} KB HTML/article on average")
            results: dict[str, list[dict]] = {m: [] for m in modes}
            for n in range(runs):
                for mode in modes:
                    if mode == "bare":
                        r = run_bare(site, Path(tmp))
                    else:  # "rebuilt": the full pipeline with the fallback capture mode (issue 5's yardstick)
                        r = run_full(site, Path(tmp), {**(extra or {}), **CAPTURE_MODES[mode]})
                        r["mode"] = mode
                    log(f"run {n + 1} {mode}: {r['articles']} articles in {r['elapsed_s']:.2f} s = "
                        f"{r['pages_per_s']:.1f} pages/s, peak RSS {r['peak_rss_mb']:.1f} MB")
                    results[mode].append(r)
        finally:
            site.close()
    return [summarise(results[m]) for m in modes]


def capture_metadata_cost(pages: int, seed: int = 8, repeat: int = 3) -> dict:
    """CPU per page, in this process, of what the crawl does on the reactor thread for each
    capture's metadata record (crawler.provenance.CaptureProvenance): the robots-meta scan (the
    body decoded up to 512 KB and searched for meta tags, X-Robots-Tag read) alone, then with the
    hints turned into fields, the record built and gzipped. Over the bench site's own article
    responses as the WARC middleware sees them (half still gzip-encoded); medians of ``repeat``."""
    import time

    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    from scrapy.http import HtmlResponse
    from scrapy.settings import Settings

    from archive import warc_records as R
    from archive.writer import gzip_member, serialize
    from crawler import settings as defaults
    from crawler.provenance import CaptureProvenance
    from sitegen import article_path, build_site

    base = "http://127.0.0.1:1"
    site, _ = build_site(base, pages, seed)
    responses = []
    for i in range(pages):
        raw = site[article_path(i)]
        head, _, body = raw.partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode("latin-1").split("\r\n")[1:])
        if headers.get("Transfer-Encoding") == "chunked":
            body = R.dechunk(body)
        headers.pop("Transfer-Encoding", None)
        responses.append(HtmlResponse(base + article_path(i), body=body, headers=headers))
    hook = CaptureProvenance(Settings({k: getattr(defaults, k) for k in dir(defaults) if k.isupper()}))

    class Req:  # what the hook reads of a request: its hints, as the news spider sets them
        def __init__(self):
            self.meta = {"hints": {"source": "sitemap", "depth": 1, "referer": base + "/sitemap.xml",
                                   "lastmod": "2026-11-25"}}

    def scan():
        for response in responses:
            hook.robots(response)

    def record():
        for response in responses:
            fields = hook.describe(Req(), response)
            gzip_member(serialize(R.metadata_record(response.url, fields, concurrent_to="<urn:uuid:x>")))

    out = {}
    for name, work in (("scan", scan), ("record", record)):
        times = []
        for _ in range(repeat):
            started = time.process_time()
            work()
            times.append(time.process_time() - started)
        out[name] = 1000 * statistics.median(times) / pages
    return out


def rss_check(seed: int, extra: dict | None = None) -> None:
    peaks = {}
    for pages in (2000, 8000):
        row = benchmark(pages, 1, seed, extra, modes=("full",))[0]
        peaks[pages] = row["peak_rss_mb"]
        print(f"full pipeline, {pages} pages: peak RSS {row['peak_rss_mb']:.1f} MB "
              f"({row['pages_per_s']:.1f} pages/s)")
    ratio = peaks[8000] / peaks[2000]
    print(f"rss 8000/2000: {ratio:.3f} ({'flat' if ratio <= 1.10 else 'NOT flat'}: limit 1.10)")


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_bare"]:
        run_bare_spider(argv[1], argv[2])
        return
    parser = argparse.ArgumentParser(description="Full pipeline vs bare Scrapy throughput.")
    parser.add_argument("--pages", type=int, default=2000, help="articles on the generated site")
    parser.add_argument("--runs", type=int, default=3, help="runs of each mode (medians reported)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--rss-check", action="store_true",
                        help="instead: full pipeline at 2,000 and 8,000 pages, peak RSS of each")
    parser.add_argument("--modes", default="bare,full",
                        help="comma-separated modes to run: bare, full (wire capture, the default) and "
                             "rebuilt (full with WARC_CAPTURE=rebuilt); the ratio needs bare and full")
    parser.add_argument("-s", "--set", dest="setting", action="append", default=[], metavar="NAME=VALUE",
                        help="extra setting for the full crawl (to measure a change)")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.runs < 1:
        parser.error("--pages and --runs must be at least 1")
    extra = {}
    for pair in args.setting:
        name, sep, value = pair.partition("=")
        if not sep:
            parser.error(f"-s expects NAME=VALUE, got {pair!r}")
        extra[name] = value
    if args.rss_check:
        rss_check(args.seed, extra)
        return
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - {"bare", "full", "rebuilt"}:
        parser.error("--modes takes bare, full and rebuilt")
    rows = benchmark(args.pages, args.runs, args.seed, extra, modes=modes)
    print(format_table(rows))
    by_mode = {r["mode"]: r for r in rows}
    if "full" in by_mode:
        cost, full_ms = capture_metadata_cost(args.pages, args.seed), by_mode["full"]["cpu_ms_per_page"]
        print(f"robots-meta scan: {cost['scan']:.3f} CPU ms/page ({100 * cost['scan'] / full_ms:.1f} % of full's "
              f"{full_ms:.2f}); with the capture's metadata record built and gzipped: {cost['record']:.3f} "
              f"ms/page ({100 * cost['record'] / full_ms:.1f} %)")
    if "full" in by_mode and "rebuilt" in by_mode:
        print(f"wire/rebuilt: {by_mode['full']['pages_per_s'] / by_mode['rebuilt']['pages_per_s']:.2f}")
    if "full" in by_mode and "bare" in by_mode:
        bare, full = by_mode["bare"], by_mode["full"]
        # Bare Scrapy keeps one core busy, the full pipeline two (reactor + extraction worker): with
        # the machine's other core taken by someone else, pages/s tend towards the CPU ratio.
        print(f"CPU per page, full / bare: {full['cpu_ms_per_page'] / bare['cpu_ms_per_page']:.2f}x "
              f"(one free core: ratio near {bare['cpu_ms_per_page'] / full['cpu_ms_per_page']:.2f})")
        print(f"ratio: {full['pages_per_s'] / bare['pages_per_s']:.2f}")


if __name__ == "__main__":
    main()
