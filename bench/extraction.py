"""Extraction benchmark: ours against trafilatura, readability-lxml and newspaper4k, in one run.

    .venv/bin/python bench/extraction.py                 # everything (about a minute)
    .venv/bin/python bench/extraction.py --no-metadata --no-cli --tools ours,trafilatura-precision

Body (``--extraction-corpus``, default ``../shared/corpus/extraction-dev``): the upstream
article-extraction-benchmark metric (``bench/body_metric.py``) over every page, plus pages/second
with the HTML already in memory (in-process) and, for ours and trafilatura, as a command-line run
over the whole corpus (process start-up, file reading and output included; one process each, so
the numbers compare per core). wcxb-dev (``--wcxb-corpus``): the benchmark's own word-level metric per
page type for ours, trafilatura and trafilatura favor_precision (``bench/wcxb.py``; peers cached in
``.bench-cache/wcxb/``), both CLIs over the same files, and the article pages trafilatura gets right
and we fail. Metadata (``--metadata-corpus``): the rows of ``bench/metadata.py``.

Peers are benchmark-only dependencies. Every tool gets the raw page bytes and the page URL and does
its own decoding, as it would in production; a tool crashing on a page scores an empty body there.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT_EXTRACTION = SHARED / "extraction-dev"
DEFAULT_METADATA = SHARED / "metadata-dev"
DEFAULT_WCXB = SHARED / "wcxb-dev"
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from body_metric import score  # noqa: E402

VENV_BIN = Path(sys.executable).parent


# --- body tools: (html bytes, url) -> plain text -------------------------------------------------

def body_ours(html: bytes, url: str) -> str:
    from crawler.extract import extract
    return extract(html, url).body


def body_trafilatura(html: bytes, url: str) -> str:
    import trafilatura
    return trafilatura.extract(html, url=url) or ""


def body_trafilatura_precision(html: bytes, url: str) -> str:
    import trafilatura
    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def body_readability(html: bytes, url: str) -> str:
    import lxml.html
    from readability import Document
    summary = Document(html, url=url).summary(html_partial=True)
    return lxml.html.fragment_fromstring(summary, create_parent="div").text_content() if summary else ""


def body_newspaper4k(html: bytes, url: str) -> str:
    from metadata import newspaper_article

    return newspaper_article(html, url).text or ""


BODY_TOOLS = {
    "ours": body_ours,
    "trafilatura": body_trafilatura,
    "trafilatura-precision": body_trafilatura_precision,
    "readability": body_readability,
    "newspaper4k": body_newspaper4k,
}


def load_extraction_corpus(corpus: Path, limit: int | None = None) -> list[tuple[str, str, bytes, str]]:
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        with gzip.open(corpus / "html" / f"{key}.html.gz", "rb") as fh:
            pages.append((key, truth[key]["url"], fh.read(), truth[key]["articleBody"]))
    return pages


def run_in_process(name: str, pages) -> dict:
    fn = BODY_TOOLS[name]
    fn(pages[0][2], pages[0][1])  # warm-up: imports and lazy initialisation are not per page
    predictions, errors = [], 0
    started, cpu = time.perf_counter(), time.process_time()
    for _key, url, html, _truth in pages:
        try:
            predictions.append(fn(html, url))
        except Exception:  # a peer's crash is its score on that page, not the end of the run
            predictions.append("")
            errors += 1
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = score((truth, pred) for (_k, _u, _h, truth), pred in zip(pages, predictions))
    result.update(tool=name, errors=errors, pages_per_s=len(pages) / seconds,
                  pages_per_cpu_s=len(pages) / cpu)
    return result


def _write_plain_pages(pages, directory: Path) -> Path:
    """The corpus as plain ``<id>.html`` files: what both command-line tools read."""
    for key, _url, html, _truth in pages:
        (directory / f"{key}.html").write_bytes(html)
    tsv = directory.parent / "urls.tsv"
    tsv.write_text("".join(f"{directory / key}.html\t{url}\n" for key, url, _h, _t in pages), encoding="utf-8")
    return tsv


def cli_ours(pages, workdir: Path) -> tuple[dict, dict]:
    """``newsarchive extract`` over ``workdir/pages``: ({id: body}, timing row without scores)."""
    pages_dir = workdir / "pages"
    tsv = workdir / "urls.tsv"
    files = [str(pages_dir / f"{key}.html") for key, *_ in pages]
    started, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run([str(VENV_BIN / "newsarchive"), "extract", *files, "--urls-file", str(tsv)],
                          capture_output=True)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    bodies = {}
    for line in proc.stdout.decode("utf-8").splitlines():
        record = json.loads(line)
        bodies[Path(record["path"]).stem] = record["body"]
    return bodies, {"tool": "ours (CLI)", "errors": proc.returncode, "pages_per_s": len(pages) / seconds,
                    "pages_per_cpu_s": len(pages) / cpu}


def run_cli_ours(pages, workdir: Path) -> dict:
    bodies, row = cli_ours(pages, workdir)
    row.update(score((truth, bodies.get(key, "")) for key, _u, _h, truth in pages))
    return row


def run_cli_trafilatura(pages, workdir: Path, precision: bool) -> dict | None:
    """Speed only: trafilatura's CLI names its outputs by content hash, so they cannot be scored per page
    (its in-process row scores the same extraction)."""
    exe = shutil.which("trafilatura", path=str(VENV_BIN)) or shutil.which("trafilatura")
    if not exe:
        return None
    out = workdir / ("traf-out-precision" if precision else "traf-out")
    args = [exe, "--input-dir", str(workdir / "pages"), "-o", str(out), "--parallel", "1"]
    if precision:
        args.append("--precision")
    started, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.run(args, capture_output=True, cwd=workdir)
    seconds, cpu = time.perf_counter() - started, _children_cpu() - cpu
    produced = sum(1 for path in out.rglob("*") if path.is_file()) if out.exists() else 0
    name = "trafilatura-precision (CLI)" if precision else "trafilatura (CLI)"
    return {"tool": name, "f1": None, "precision": None, "recall": None, "outputs": produced,
            "errors": proc.returncode, "pages_per_s": len(pages) / seconds, "pages_per_cpu_s": len(pages) / cpu}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def format_body_table(rows: list[dict]) -> str:
    """pages/s by wall clock and by CPU time: on a shared machine the CPU figure is the stable one."""
    head = f"{'tool':<30}{'F1':>8}{'precision':>11}{'recall':>9}{'pages/s':>10}{'pages/cpu-s':>13}{'errors':>8}"
    lines = [head, "-" * len(head)]

    def cell(value, width):
        return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"

    for row in rows:
        lines.append(f"{row['tool']:<30}{cell(row['f1'], 8)}{cell(row['precision'], 11)}{cell(row['recall'], 9)}"
                     f"{row['pages_per_s']:>10.1f}{row['pages_per_cpu_s']:>13.1f}{row['errors']:>8}")
    return "\n".join(lines)


def run_metadata(corpus: Path, limit: int | None) -> str | None:
    """Hook into ``bench/metadata.py`` (the metadata engineer's scorer): None when it is absent."""
    try:
        import metadata
    except ImportError:
        return None
    if not hasattr(metadata, "run"):
        return None
    rows = metadata.run(corpus, limit=limit)
    return metadata.format_table(rows) if hasattr(metadata, "format_table") else json.dumps(rows, indent=1)


WCXB_TOOLS = ("ours", "trafilatura", "trafilatura-precision")


def run_wcxb(corpus: Path, tools: list[str], types, limit: int | None, cli: bool, dump: Path | None) -> str:
    """The wcxb-dev table (per page type, ours beside trafilatura), the CLI speed rows and the misses.

    Peers' outputs come from ``.bench-cache/wcxb/`` when present (their pages/cpu-s then is the CPU
    measured when they were cached); ours is extracted afresh. The CLI rows run both tools over the
    same files in this run: that is the speed comparison.
    """
    import wcxb

    pages = wcxb.load_pages(corpus, types, limit)
    ev = wcxb.evaluator(corpus)
    texts, scores, cpus, cached = {}, {}, {}, []
    for name in (t for t in WCXB_TOOLS if t in tools):
        try:
            if name == "ours":
                texts[name], cpus[name] = wcxb.run_tool(BODY_TOOLS[name], pages)
            else:
                texts[name], cpus[name], hit = wcxb.cached_run(name, BODY_TOOLS[name], pages)
                if hit:
                    cached.append(name)
        except ImportError as exc:
            print(f"skipping {name} on wcxb-dev: {exc}", file=sys.stderr)
            continue
        scores[name] = wcxb.score_pages(pages, texts[name], ev)
    present = sorted({p.page_type for p in pages}, key=lambda t: wcxb.TYPES.index(t) if t in wcxb.TYPES else 99)
    rows = [wcxb.summarise(name, pages, scores[name], cpus[name], page_type)
            for page_type in [*present, *(["all"] if len(present) > 1 else [])] for name in scores]
    out = [f"wcxb-dev: {corpus} ({len(pages)} pages; the benchmark's word-level metric, means over pages)",
           wcxb.format_table(rows)]
    if cached:
        out.append(f"(from .bench-cache: {', '.join(cached)}; their pages/cpu-s is from the run that cached them)")
    if cli:
        with tempfile.TemporaryDirectory(prefix="bench-wcxb-") as tmp:
            workdir = Path(tmp)
            (workdir / "pages").mkdir()
            plain = [(p.id, p.url, p.html, p.truth) for p in pages]
            _write_plain_pages(plain, workdir / "pages")
            cli_rows = []
            if "ours" in tools:
                bodies, row = cli_ours(plain, workdir)
                row.update(f1=wcxb.summarise("", pages, wcxb.score_pages(pages, bodies, ev), None)["f1"],
                           precision=None, recall=None)
                cli_rows.append(row)
            if "trafilatura" in tools:
                row = run_cli_trafilatura(plain, workdir, precision=False)
                if row:
                    cli_rows.append(row)
            out.append("\nwcxb-dev as command-line runs over the same files (F1 over all pages, from the CLI's output)")
            out.append(format_body_table(cli_rows))
            if len(cli_rows) == 2:
                out.append(f"ours / trafilatura pages/s: {cli_rows[0]['pages_per_s'] / cli_rows[1]['pages_per_s']:.2f}x"
                           f" (CPU: {cli_rows[0]['pages_per_cpu_s'] / cli_rows[1]['pages_per_cpu_s']:.2f}x)")
    if "ours" in scores and "trafilatura" in scores:
        out.append("\n" + wcxb.format_misses(wcxb.misses(pages, scores["ours"], texts["ours"], scores["trafilatura"])))
    if dump:
        dump.write_text(json.dumps({name: {p.id: {**scores[name][p.id], "type": p.page_type} for p in pages}
                                    for name in scores}, indent=0), encoding="utf-8")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--extraction-corpus", type=Path, default=DEFAULT_EXTRACTION)
    ap.add_argument("--metadata-corpus", type=Path, default=DEFAULT_METADATA)
    ap.add_argument("--tools", default=",".join(BODY_TOOLS), help=f"body tools: {', '.join(BODY_TOOLS)}")
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of each corpus")
    ap.add_argument("--no-cli", action="store_true", help="skip the command-line speed runs")
    ap.add_argument("--no-metadata", action="store_true", help="skip the metadata-dev scoring")
    ap.add_argument("--json", action="store_true", help="body rows as JSON lines instead of a table")
    ap.add_argument("--wcxb-corpus", type=Path, default=DEFAULT_WCXB)
    ap.add_argument("--no-wcxb", action="store_true", help="skip the wcxb-dev table")
    ap.add_argument("--wcxb-only", action="store_true", help="only the wcxb-dev table (a fast loop with --tools ours)")
    ap.add_argument("--wcxb-types", default="", help="only these wcxb-dev page types, e.g. article")
    ap.add_argument("--wcxb-dump", type=Path, default=None, help="write per-page wcxb-dev scores to this JSON file")
    ap.add_argument("--no-classify", action="store_true", help="skip the page classification table")
    args = ap.parse_args(argv)

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in BODY_TOOLS]
    if unknown:
        ap.error(f"unknown tool(s) {', '.join(unknown)}; choose from {', '.join(BODY_TOOLS)}")
    if not (args.extraction_corpus / "ground-truth.json").exists():
        ap.error(f"no ground-truth.json in {args.extraction_corpus}")

    if args.wcxb_only:
        types = [t.strip() for t in args.wcxb_types.split(",") if t.strip()]
        print(run_wcxb(args.wcxb_corpus, tools, types, args.limit, not args.no_cli, args.wcxb_dump))
        return 0
    pages = load_extraction_corpus(args.extraction_corpus, args.limit)
    rows = []
    for name in tools:
        try:
            rows.append(run_in_process(name, pages))
        except ImportError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    if not args.no_cli:
        with tempfile.TemporaryDirectory(prefix="bench-extraction-") as tmp:
            workdir = Path(tmp)
            (workdir / "pages").mkdir()
            _write_plain_pages(pages, workdir / "pages")
            if "ours" in tools:
                rows.append(run_cli_ours(pages, workdir))
            for precision, name in ((False, "trafilatura"), (True, "trafilatura-precision")):
                if name in tools:
                    row = run_cli_trafilatura(pages, workdir, precision)
                    if row:
                        rows.append(row)

    print(f"Body: {args.extraction_corpus} ({len(pages)} pages; article-extraction-benchmark metric)")
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(format_body_table(rows))

    if not args.no_wcxb:
        types = [t.strip() for t in args.wcxb_types.split(",") if t.strip()]
        print("\n" + run_wcxb(args.wcxb_corpus, tools, types, args.limit, not args.no_cli, args.wcxb_dump))

    if not args.no_metadata:
        print(f"\nMetadata: {args.metadata_corpus}")
        table = run_metadata(args.metadata_corpus, args.limit)
        print(table if table is not None else "(bench/metadata.py has no run(); nothing scored)")
        import dates  # bench/dates.py: dates and bylines on wcxb-dev and metadata-dev, peers cached
        print("\nDates and bylines (bench/dates.py):")
        print(dates.format_table([row for corpus in dates.CORPORA for row in dates.run(corpus, limit=args.limit)]))
    if not args.no_classify:
        import classify  # bench/classify.py: the crawl's article/listing/other labels

        print("\nClassification (crawler.analysis.page.analyse, as the crawl):")
        print(classify.format_table(classify.run(args.wcxb_corpus, args.extraction_corpus,
                                                 args.metadata_corpus, args.limit)))
    return 0


if __name__ == "__main__":
    warnings.simplefilter("ignore")  # peers and dateutil warn per page; the table is the output
    sys.exit(main())
