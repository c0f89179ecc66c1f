"""Real pages through the whole crawl: wcxb-dev served at its own URLs, crawled, scored.

``bench/extraction.py`` scores the extractor on files; users meet the crawl, where classification
decides what reaches the dataset and the row is what a researcher reads. This benchmark serves
every page of a WCXB split at its real URL (host, path and query) on 127.0.0.1, HTTP on port 80
and HTTPS on 443 (``bench/loopback.py``: self-signed certificate made at run time, robots.txt
allowing all, 404 for anything else), makes every corpus host name resolve to 127.0.0.1 inside
the crawl only (``loopback.LoopbackResolver`` as Scrapy's ``TWISTED_DNS_RESOLVER``; no system file
is touched and other names fail), crawls all page URLs as seeds with ``newsarchive crawl --depth 0``
(defaults otherwise, politeness lifted for loopback), runs ``newsarchive verify`` and scores the
dataset against the ground truth:

- article coverage: share of article pages with a row;
- non-article pages stored as articles, per page type;
- article body word-F1 (WCXB's own ``evaluate.word_f1``) over all article pages (no row = 0) and
  over the stored rows; headline exact (whitespace-normalised); published day;
- rows with body F1 < 0.3 on pages whose ground truth holds 150+ words, split by the row's
  extraction ``verdict`` (``ok`` ones are silent failures; without the column, all are);
- pages/s and requests/s (Scrapy's elapsed time; requests counted by the server);
- crawl path = offline path: every row against ``newsarchive extract`` run on the served bytes.

Article pages without a row are explained by classifying their bytes offline with the crawl's own
``crawler.analysis.page.analyse`` (the reason it gives), or by their capture's status when they were not
fetched. ``--details FILE`` writes one JSON line per page for digging.

    .venv/bin/python bench/realcrawl.py [--limit N | --ids 0570,1795] [--details .bench-cache/realcrawl.jsonl]

Exit status 1 when a figure falls below its floor (``FLOORS``: the measured figure - 0.01), the
crawl path differs from the offline path, or verify fails; 2 on a setup error (a port taken).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import loopback  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
PAGE_TYPES = ("article", "forum", "product", "collection", "listing", "documentation", "service")
LOW_F1, MIN_WORDS = 0.3, 150
# Politeness lifted for loopback: no delay, no AutoThrottle, enough connections in flight. Page
# requisites (NEWS_FETCH_EMBEDS) are off unless --embeds: the corpus saved none, so each would be
# a 404 (about 35 a page, 50,000 requests in all) that changes no figure but the run time.
CRAWL_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                  "CONCURRENT_REQUESTS": "64", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
                  "TWISTED_DNS_RESOLVER": "loopback.LoopbackResolver"}
# Article fields a row must share with `newsarchive extract` on the same bytes.
COMPARED = ("headline", "description", "byline", "authors", "published", "modified", "section",
            "tags", "language", "site_name", "canonical_url", "top_image", "body", "word_count",
            "captions", "verdict", "verdict_reasons")

# The targets, and floors at the measured figures - 0.01 (2026-12-03, last run: coverage
# 0.971, non-articles stored 0.153, body F1 0.928; silent failures at most the 2 measured, both
# pages whose ground truth contradicts the corpus's own on pages of their shape: bench/README.md);
# checked on a full run only.
TARGETS = {"coverage": (">=", 0.97), "non_article_stored": ("<=", 0.20),
           "body_f1_all": (">=", 0.90), "silent_failures": ("<=", 0)}
FLOORS = {"coverage": (">=", 0.961), "non_article_stored": ("<=", 0.163),
          "body_f1_all": (">=", 0.918), "silent_failures": ("<=", 2)}


def load_wcxb_metric(corpus: Path):
    """WCXB's own scorer, imported from the corpus, so our figure is upstream's by construction."""
    spec = importlib.util.spec_from_file_location("wcxb_evaluate", corpus / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.word_f1


def load_pages(corpus: Path, limit: int | None = None, ids: set[str] | None = None) -> list[dict]:
    """Every page with its ground truth (or only those of ``ids``). A page whose ground truth has
    no URL (a handful) is served at a made-up one on a host of its own, so it still counts."""
    pages = []
    for gt_file in sorted((corpus / "dev" / "ground-truth").glob("*.json")):
        if ids is not None and gt_file.stem not in ids:
            continue
        data = json.loads(gt_file.read_text(encoding="utf-8"))
        page_id = gt_file.stem
        gt = data.get("ground_truth") or {}
        kind = ((data.get("_internal") or {}).get("page_type") or {}).get("primary") or "article"
        url = (data.get("url") or "").strip()
        pages.append({
            "id": page_id, "url": url or f"https://no-url-{page_id}.wcxb.test/page.html",
            "made_up_url": not url, "type": "collection" if kind == "category" else kind,
            "file": corpus / "dev" / "html" / f"{page_id}.html.gz",
            "main": gt.get("main_content") or "", "title": gt.get("title") or "",
            "date": gt.get("publish_date") or None,
        })
        if limit and len(pages) >= limit:
            break
    return pages


# --- running things ----------------------------------------------------------------------------

class Server:
    """bench/loopback.py in its own process; ``stop()`` returns its request counts."""

    def __init__(self, manifest: Path, http_port: int, https_port: int):
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "loopback.py"), str(manifest), "--http-port", str(http_port),
             "--https-port", str(https_port)], stdout=subprocess.PIPE, text=True)
        first = self.proc.stdout.readline().strip()
        if first != "ready":
            self.proc.wait(timeout=10)
            raise SetupError(first or f"the page server exited with status {self.proc.returncode}")

    def stop(self) -> dict:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=30)
        lines = [line for line in out.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}


class SetupError(Exception):
    pass


def cli(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, **kwargs)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(pages: list[dict], work: Path, hosts_file: Path, embeds: bool = False) -> dict:
    archive = work / "archive"
    args = ["crawl", *[p["url"] for p in pages], "--archive", str(archive), "--depth", "0"]
    settings = {**CRAWL_SETTINGS, "LOOPBACK_HOSTS_FILE": str(hosts_file), "NEWS_FETCH_EMBEDS": str(embeds)}
    for name, value in settings.items():
        args += ["-s", f"{name}={value}"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}
    cpu0, wall0 = children_cpu(), time.monotonic()
    done = cli(*args, env=env, text=True)
    result = {"archive": archive, "returncode": done.returncode, "wall": time.monotonic() - wall0,
              "cpu": children_cpu() - cpu0, "stdout": done.stdout, "stderr": done.stderr}
    verify = cli("verify", "--archive", str(archive), text=True)
    result["verify"] = {"returncode": verify.returncode,
                        "last": (verify.stdout.strip().splitlines() or verify.stderr.strip().splitlines() or [""])[-1]}
    return result


def offline_extract(pages: list[dict], work: Path, processes: int = 2) -> dict[str, dict]:
    """``newsarchive extract`` over the very bytes the server sent (the saved files), by page id;
    the pages split over a few processes run side by side."""
    urls_file = work / "urls.tsv"
    urls_file.write_text("".join(f"{p['file']}\t{p['url']}\n" for p in pages), encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-m", "crawler.cli", "extract",
                               *[str(p["file"]) for p in pages[k::processes]], "--urls-file", str(urls_file)],
                              cwd=ROOT, stdout=subprocess.PIPE) for k in range(processes)]
    by_path = {}
    for proc in procs:
        out, _ = proc.communicate()
        for line in out.splitlines():
            record = json.loads(line)
            by_path[record["path"]] = record
    return {p["id"]: by_path.get(str(p["file"])) for p in pages}


# --- reading the dataset -----------------------------------------------------------------------

def read_dataset(archive: Path, pages: list[dict]) -> tuple[dict, dict, dict, bool]:
    """(rows by page id, captures by page id, crawl stats, whether rows carry a verdict)."""
    by_key = {loopback.request_key(p["url"]): p["id"] for p in pages}

    def page_id(url):
        return by_key.get(loopback.request_key(url))

    db = sqlite3.connect(f"file:{archive / 'archive.db'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    columns = {r[1] for r in db.execute("pragma table_info(articles)")}
    rows, captures = {}, {}
    for row in db.execute("select * from articles"):
        pid = page_id(row["url"])
        if pid is not None:
            rows[pid] = dict(row)
    for cap in db.execute("select url, status, mime, error from captures order by id"):
        pid = page_id(cap["url"])
        if pid is not None:
            captures[pid] = dict(cap)
    stats_row = db.execute("select stats from crawls order by id desc limit 1").fetchone()
    db.close()
    stats = json.loads(stats_row[0]) if stats_row and stats_row[0] else {}
    return rows, captures, stats, "verdict" in columns


def _as_value(value, like):
    """A row's JSON text column as the list the extractor gave."""
    if isinstance(like, (list, dict)) and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def differences(row: dict, record: dict | None) -> list[str]:
    """Fields where a stored row differs from offline extraction of the same bytes."""
    from crawler.dataset import records

    if record is None:
        return ["no offline record"]
    expected = records.normalise(record)
    expected["verdict_reasons"] = list(record.get("verdict_reasons") or [])
    out = []
    for name in COMPARED:
        if name not in row:
            continue
        want, got = expected.get(name), _as_value(row[name], expected.get(name))
        if name == "verdict_reasons" and isinstance(got, str) and not isinstance(want, str):
            got = [r for r in got.replace(",", " ").split() if r] if got and not got.startswith("[") else got
        if (want in (None, [], "") and got in (None, [], "")) or want == got:
            continue
        out.append(name)
    return out


# --- scoring -----------------------------------------------------------------------------------

def miss_cause(page: dict, capture: dict | None) -> str:
    """Why an article page has no row: not fetched (status/error), or the crawl's own page
    analysis (``crawler.analysis.page.analyse`` on the same bytes) says what it took the page for."""
    if capture is None:
        return "not fetched"
    if capture.get("error"):
        return f"fetch failed: {capture['error']}"
    if capture.get("status") != 200:
        return f"HTTP {capture.get('status')}"
    from crawler.analysis.page import analyse

    data = loopback.gzip.decompress(page["file"].read_bytes())
    result = analyse(data, page["url"], {"content-type": "text/html"}, links=False)
    return f"{result['label']}: {result['reason']}"


def score(pages, rows, captures, offline, word_f1, has_verdict) -> dict:
    articles = [p for p in pages if p["type"] == "article"]
    f1_all, f1_rows, headline, day_right, day_total = [], [], 0, 0, 0
    misses = Counter()
    details = []
    for page in pages:
        row = rows.get(page["id"])
        f1 = word_f1(row["body"] or "", page["main"])[2] if row else 0.0
        detail = {"id": page["id"], "type": page["type"], "url": page["url"], "row": row is not None,
                  "f1": round(f1, 4), "verdict": (row or {}).get("verdict"),
                  "gt_words": len(page["main"].split())}
        if page["type"] == "article":
            f1_all.append(f1)
            if row:
                f1_rows.append(f1)
                headline += " ".join((row["headline"] or "").split()) == " ".join(page["title"].split())
                if page["date"]:
                    day_total += 1
                    day_right += (row["published"] or "")[:10] == page["date"][:10]
            else:
                detail["cause"] = miss_cause(page, captures.get(page["id"]))
                misses[detail["cause"]] += 1
        if row:
            detail["diff"] = differences(row, offline.get(page["id"]))
        details.append(detail)
    stored = Counter(d["type"] for d in details if d["row"])
    total = Counter(p["type"] for p in pages)
    non_articles = sum(n for t, n in total.items() if t != "article")
    low = [d for d in details if d["row"] and d["gt_words"] >= MIN_WORDS and d["f1"] < LOW_F1]
    by_verdict = Counter((d["verdict"] or "none") for d in low)
    silent = [d for d in low if not has_verdict or d["verdict"] == "ok"]
    differing = [d for d in details if d.get("diff")]
    return {
        "articles": len(articles), "article_rows": len(f1_rows),
        "coverage": len(f1_rows) / len(articles) if articles else 0.0,
        "non_articles": non_articles,
        "non_article_rows": sum(n for t, n in stored.items() if t != "article"),
        "non_article_stored": (sum(n for t, n in stored.items() if t != "article") / non_articles
                               if non_articles else 0.0),
        "per_type": {t: (stored.get(t, 0), total.get(t, 0)) for t in PAGE_TYPES if total.get(t)},
        "body_f1_all": sum(f1_all) / len(f1_all) if f1_all else 0.0,
        "body_f1_rows": sum(f1_rows) / len(f1_rows) if f1_rows else 0.0,
        "headline_exact": headline / len(f1_rows) if f1_rows else 0.0,
        "published_day": day_right / day_total if day_total else 0.0, "dated_rows": day_total,
        "low_rows": len(low), "low_by_verdict": dict(by_verdict),
        "low_articles": sum(d["type"] == "article" for d in low), "low_empty": sum(
            1 for d in low if not (rows[d["id"]]["body"] or "").strip()),
        "silent_failures": len(silent), "silent_ids": [d["id"] for d in silent],
        "rows": len(rows), "rows_differing": len(differing),
        "differing_fields": dict(Counter(f for d in differing for f in d["diff"])),
        "misses": dict(misses.most_common()), "details": details, "has_verdict": has_verdict,
    }


def check(name: str, value: float, rule: tuple) -> bool:
    op, bound = rule
    return value >= bound if op == ">=" else value <= bound


def format_table(s: dict, run: dict) -> str:
    def mark(name):
        return "yes" if check(name, s[name], TARGETS[name]) else "**no**"

    per_type = ", ".join(f"{t} {n}/{of}" for t, (n, of) in s["per_type"].items() if t != "article")
    verdicts = ", ".join(f"{v} {n}" for v, n in sorted(s["low_by_verdict"].items())) or "-"
    lines = [
        "| figure | value | target | met |",
        "|---|---|---|---|",
        f"| article coverage (article pages with a row) | {s['coverage']:.3f} ({s['article_rows']}/{s['articles']}) "
        f"| >= {TARGETS['coverage'][1]} | {mark('coverage')} |",
        f"| non-article pages stored as articles | {s['non_article_stored']:.3f} "
        f"({s['non_article_rows']}/{s['non_articles']}) | <= {TARGETS['non_article_stored'][1]} "
        f"| {mark('non_article_stored')} |",
        f"| ... per page type | {per_type} | | |",
        f"| article body word-F1, all article pages (no row = 0) | {s['body_f1_all']:.3f} "
        f"| >= {TARGETS['body_f1_all'][1]} | {mark('body_f1_all')} |",
        f"| article body word-F1, stored rows | {s['body_f1_rows']:.3f} | | |",
        f"| headline exact (article rows) | {s['headline_exact']:.3f} | | |",
        f"| published day (article rows with a true date) | {s['published_day']:.3f} ({s['dated_rows']} rows) | | |",
        f"| rows with body F1 < {LOW_F1} on pages of {MIN_WORDS}+ words | {s['low_rows']} "
        f"({s['low_articles']} on article pages; by verdict: {verdicts}; {s['low_empty']} empty) | | |",
        f"| silent failures (of those, verdict ok{'' if s['has_verdict'] else '; no verdict column: all'}) "
        f"| {s['silent_failures']} | 0 | {mark('silent_failures')} |",
        f"| rows equal to `newsarchive extract` on the same bytes | {s['rows'] - s['rows_differing']}/{s['rows']} "
        f"| all | {'yes' if not s['rows_differing'] else '**no**'} |",
        f"| crawl: pages/s, requests/s (Scrapy elapsed {run['elapsed']:.1f} s) | {run['pages_s']:.1f}, "
        f"{run['requests_s']:.1f} ({run['requests']} requests, {run['https']} over HTTPS) | | |",
        f"| crawl CPU (crawler + workers, incl. start-up, index, verify) | {run['cpu']:.1f} s, "
        f"{1000 * run['cpu'] / max(1, run['pages']):.1f} ms/page | | |",
        f"| `newsarchive verify` | {run['verify']} | ok | {'yes' if run['verify_ok'] else '**no**'} |",
    ]
    if s["differing_fields"]:
        lines.append("\nfields differing from offline extraction: " + ", ".join(
            f"{k} {v}" for k, v in sorted(s["differing_fields"].items())))
    if s["misses"]:
        lines.append("\narticle pages without a row, by cause:")
        lines += [f"  {n:4d}  {cause}" for cause, n in s["misses"].items()]
    if s["silent_ids"]:
        lines.append("\nsilent failures (page ids): " + " ".join(s["silent_ids"]))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="first N pages only (no floors checked)")
    parser.add_argument("--ids", default=None,
                        help="only these page ids, comma-separated, e.g. the last run's failures (no floors checked)")
    parser.add_argument("--http-port", type=int, default=80)
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--details", type=Path, default=None, help="write one JSON line per page here")
    parser.add_argument("--embeds", action="store_true",
                        help="also fetch page requisites (the crawl's default; all 404 here, ~35 a page)")
    parser.add_argument("--keep", type=Path, default=None, help="crawl into this directory and keep it")
    args = parser.parse_args(argv)

    if not (args.corpus / "evaluate.py").exists():
        print(f"Error: {args.corpus} is not a WCXB corpus (no evaluate.py)", file=sys.stderr)
        return 2
    word_f1 = load_wcxb_metric(args.corpus)
    ids = {i.strip() for i in args.ids.split(",") if i.strip()} if args.ids else None
    pages = load_pages(args.corpus, args.limit, ids)
    if not pages:
        print("Error: no page of the corpus matches --ids", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="realcrawl-") as tmp:
        work = Path(tmp)
        if args.keep:
            work = args.keep
            work.mkdir(parents=True, exist_ok=True)
        manifest, hosts_file = work / "manifest.tsv", work / "hosts.txt"
        manifest.write_text("".join(f"{p['url']}\t{p['file']}\n" for p in pages), encoding="utf-8")
        hosts_file.write_text("\n".join(loopback.host_names(p["url"] for p in pages)) + "\n", encoding="utf-8")
        try:
            server = Server(manifest, args.http_port, args.https_port)
        except SetupError as exc:
            print(str(exc) if str(exc).startswith("Error:") else f"Error: {exc}", file=sys.stderr)
            return 2
        try:
            print(f"crawling {len(pages)} pages of {args.corpus.name} as seeds ...", file=sys.stderr, flush=True)
            result = crawl(pages, work, hosts_file, args.embeds)
        finally:
            counts = server.stop()
        if result["returncode"] != 0 and not (result["archive"] / "archive.db").exists():
            print(f"Error: the crawl failed: {result['stderr'].strip().splitlines()[-1:]}", file=sys.stderr)
            return 2
        print("extracting the same bytes offline ...", file=sys.stderr, flush=True)
        offline = offline_extract(pages, work)
        rows, captures, stats, has_verdict = read_dataset(result["archive"], pages)
        s = score(pages, rows, captures, offline, word_f1, has_verdict)

    elapsed = stats.get("elapsed_time_seconds") or result["wall"]
    fetched = counts.get("pages", 0)
    run = {"elapsed": elapsed, "pages": fetched, "pages_s": fetched / elapsed if elapsed else 0.0,
           "requests": counts.get("requests", 0), "https": counts.get("https", 0),
           "requests_s": counts.get("requests", 0) / elapsed if elapsed else 0.0, "cpu": result["cpu"],
           "verify": result["verify"]["last"], "verify_ok": result["verify"]["returncode"] == 0}
    made_up = sum(p["made_up_url"] for p in pages)
    print(f"\nrealcrawl: {len(pages)} pages of {args.corpus.name} ({made_up} without a URL in the ground "
          f"truth, served at a made-up one), crawl exit status {result['returncode']}, "
          f"{counts.get('not_found', 0)} requests answered 404\n")
    print(format_table(s, run))
    if args.details:
        args.details.parent.mkdir(parents=True, exist_ok=True)
        with args.details.open("w", encoding="utf-8") as fh:
            for d in s["details"]:
                fh.write(json.dumps(d) + "\n")
    failed = [] if args.limit or ids else [n for n, rule in FLOORS.items() if not check(n, s[n], rule)]
    if s["rows_differing"]:
        failed.append("crawl path differs from the offline path")
    if not run["verify_ok"]:
        failed.append("verify")
    if failed:
        print(f"\nbelow the floor: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
