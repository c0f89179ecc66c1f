"""Dates and bylines: ours beside htmldate and trafilatura on wcxb-dev and metadata-dev, in one run.

    .venv/bin/python bench/dates.py [--corpora wcxb-dev,metadata-dev] [--limit N] [--no-cache]

Peers' outputs are cached under ``.bench-cache/dates/`` (one JSON file per corpus, tool and tool
version, keyed by page id), so a re-run recomputes only our own extraction.

Scoring (every choice is here so that numbers from different runs mean the same thing):

* **day** — over pages whose truth has a date: the tool's value, cut to the truth's length (the
  truth is ``YYYY-MM-DD``; two wcxb-dev pages give only ``YYYY-MM``), equals the truth. The tool's
  own local day is compared, as the annotation is.
* **abstain** — over pages annotated "no date" (metadata-dev's ``published: null``): the share
  where the tool gives no date. wcxb-dev marks no page "no date" (its ``publish_date`` is null on
  pages the annotators did not date, listings and products mostly), so its column is the share of
  those undated pages left undated: informative, not a target.
* **late** — dates later than the capture. Neither corpus records its fetch time, so the proxy is
  the corpus's newest annotated date (wcxb-dev 2026-03-13, metadata-dev's newest ``published``): no
  page can have been captured before the newest date any annotator read on it, so a date after it
  is (almost surely) later than that page's own capture. Counted over all pages of the corpus.
* **names** (wcxb-dev) — over pages whose truth credits an author: the share where every name the
  truth credits (split on ",", ";", "/", "&", "and" as ``bench/metadata.py`` does, normalised the
  same way) is among the tool's authors.
* **authors F1** (metadata-dev) — ``bench/metadata.py``'s per-page set F1, averaged.
* **headline** (wcxb-dev) — exact after ``bench/metadata.py``'s normalisation.

Tools: ours (``crawler.extract.extract``), htmldate ``find_date(extensive_search=True)`` in its
default mode (newest date) and with ``original_date=True`` (the publication date, what we are
scored on), trafilatura ``bare_extraction(with_metadata=True)`` (which dates through htmldate).
No tool is given a fetch time: htmldate and trafilatura bound dates by today, ours by nothing
(no clock-based guess), so the "late" column is each tool's own discipline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from importlib import metadata as pkg_metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
CACHE = ROOT / ".bench-cache" / "dates"
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import metadata as md  # noqa: E402  (bench/metadata.py: the shared normalisation and corpus loader)

CORPORA = ("wcxb-dev", "metadata-dev")


def load_wcxb(corpus: Path, limit: int | None = None) -> list[dict]:
    """Every wcxb-dev page as {id, url, html, published, authors, headline} (truth fields may be None)."""
    pages = []
    for gt_path in sorted((corpus / "dev" / "ground-truth").glob("*.json")):
        rec = json.loads(gt_path.read_text(encoding="utf-8"))
        gt = rec["ground_truth"]
        page_id = gt_path.stem
        with gzip.open(corpus / "dev" / "html" / f"{page_id}.html.gz", "rb") as fh:
            html = fh.read()
        pages.append({"id": page_id, "url": rec.get("url"), "html": html,
                      "published": gt.get("publish_date") or None,
                      "authors": [gt["author"]] if gt.get("author") else None,
                      "headline": gt.get("title") or None, "no_date": False})
        if limit and len(pages) >= limit:
            break
    return pages


def load_metadata(corpus: Path, limit: int | None = None) -> list[dict]:
    pages = []
    for rec in md.load_corpus(corpus, limit):
        exp = rec["expected"]
        pages.append({"id": rec["id"], "url": rec.get("url"), "html": rec["html"],
                      "published": exp.get("published"), "authors": exp.get("authors"),
                      "headline": exp.get("headline"),
                      "no_date": "published" in exp and exp["published"] is None})
    return pages


LOADERS = {"wcxb-dev": load_wcxb, "metadata-dev": load_metadata}


# --- tools: (html bytes, url) -> {published, authors, headline} (None = not produced) ----------

def tool_ours(html: bytes, url: str) -> dict:
    from crawler.extract import extract
    art = extract(html, url)
    return {"published": art.published, "authors": list(art.authors), "headline": art.headline}


def _htmldate(html: bytes, url: str, original: bool) -> dict:
    from htmldate import find_date
    return {"published": find_date(html, url=url, extensive_search=True, original_date=original),
            "authors": None, "headline": None}


def tool_htmldate(html, url):
    return _htmldate(html, url, original=False)


def tool_htmldate_original(html, url):
    return _htmldate(html, url, original=True)


def tool_trafilatura(html: bytes, url: str) -> dict:
    out = md.tool_trafilatura(html, url)
    return {"published": out["published"], "authors": out["authors"], "headline": out["headline"]}


# name -> (function, package whose version keys the cache; None = ours, never cached)
TOOLS = {
    "ours": (tool_ours, None),
    "htmldate": (tool_htmldate, "htmldate"),
    "htmldate-original": (tool_htmldate_original, "htmldate"),
    "trafilatura": (tool_trafilatura, "trafilatura"),
}


def outputs(tool: str, corpus_name: str, pages: list[dict], use_cache: bool = True) -> tuple[dict, float, int]:
    """({page id: output}, CPU seconds spent computing, pages computed). Peers come from the cache
    when it has the page for this tool version."""
    fn, package = TOOLS[tool]
    cache_file = None
    cached: dict = {}
    if package:
        version = pkg_metadata.version(package)
        cache_file = CACHE / corpus_name / f"{tool}-{version}.json"
        if use_cache and cache_file.exists():
            cached = json.loads(cache_file.read_text(encoding="utf-8"))
    out, computed, cpu = {}, 0, 0.0
    for page in pages:
        if page["id"] in cached:
            out[page["id"]] = cached[page["id"]]
            continue
        started = time.process_time()
        try:
            result = fn(page["html"], page["url"])
        except Exception:  # a peer crashing on a page scores as no output there
            result = {"published": None, "authors": None, "headline": None}
        cpu += time.process_time() - started
        computed += 1
        out[page["id"]] = cached[page["id"]] = result
    if cache_file and computed:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps(cached, ensure_ascii=False), encoding="utf-8")
    return out, cpu, computed


def late_proxy(pages: list[dict]) -> str | None:
    """The corpus's newest annotated date: the documented stand-in for a fetch time (module doc)."""
    days = [p["published"] for p in pages if p["published"]]
    return max(days) if days else None


def score(tool: str, pages: list[dict], outs: dict, proxy: str | None) -> dict:
    day = [0, 0]
    abstain = [0, 0]
    names = [0, 0]
    f1 = [0.0, 0]
    head = [0, 0]
    late = 0
    produces_authors = produces_headline = False
    for page in pages:
        out = outs[page["id"]]
        pub = out.get("published")
        pub = str(pub) if pub else None
        if pub and proxy and pub[:10] > proxy:
            late += 1
        if page["published"]:
            day[1] += 1
            day[0] += bool(pub) and pub[:len(page["published"])] == page["published"]
        elif page["no_date"] or page.get("undated_informative"):
            abstain[1] += 1
            abstain[0] += not pub
        if out.get("authors") is not None:
            produces_authors = True
            if page["authors"]:
                pred = md.name_set(out["authors"])
                gold = md.name_set(page["authors"])
                names[1] += 1
                names[0] += gold <= pred
                f1[1] += 1
                f1[0] += md._set_f1(pred, gold)
        if out.get("headline") is not None or tool == "ours" or tool == "trafilatura":
            produces_headline = True
            if page["headline"]:
                head[1] += 1
                head[0] += md.norm_text(out.get("headline")) == md.norm_text(page["headline"])

    def ratio(pair):
        return pair[0] / pair[1] if pair[1] else None

    return {"tool": tool, "day": ratio(day), "dated": day[1], "abstain": ratio(abstain), "undated": abstain[1],
            "late": late, "names": ratio(names) if produces_authors else None,
            "authors_f1": ratio(f1) if produces_authors else None,
            "headline": ratio(head) if produces_headline else None}


def run(corpus_name: str, corpus_dir: Path | None = None, tools=tuple(TOOLS), limit: int | None = None,
        use_cache: bool = True, pages: list[dict] | None = None) -> list[dict]:
    corpus_dir = corpus_dir or SHARED / corpus_name
    if pages is None:
        pages = LOADERS[corpus_name](corpus_dir, limit)
    if corpus_name == "wcxb-dev":
        for page in pages:
            page["undated_informative"] = not page["published"]
    proxy = late_proxy(pages)
    rows = []
    for tool in tools:
        outs, cpu, computed = outputs(tool, corpus_name, pages, use_cache)
        row = score(tool, pages, outs, proxy)
        row.update(corpus=corpus_name, pages=len(pages), proxy=proxy,
                   ms_cpu=1000 * cpu / computed if computed else None)
        rows.append(row)
    return rows


def format_table(rows: list[dict]) -> str:
    cols = (("day", "day acc"), ("abstain", "abstain"), ("late", "late"), ("names", "all names"),
            ("authors_f1", "authors F1"), ("headline", "headline"), ("ms_cpu", "cpu ms/page"))
    head = f"{'corpus':<14}{'tool':<19}" + "".join(f"{label:>12}" for _, label in cols)
    lines = [head, "-" * len(head)]
    for row in rows:
        cells = []
        for key, _ in cols:
            v = row.get(key)
            if key == "names" and row["corpus"] != "wcxb-dev" or key == "authors_f1" and row["corpus"] == "wcxb-dev":
                v = None
            if key == "headline" and row["corpus"] != "wcxb-dev":
                v = None
            if v is None:
                cells.append(f"{'-':>12}")
            elif key == "late":
                cells.append(f"{v:>12d}")
            elif key == "ms_cpu":
                cells.append(f"{v:>12.1f}")
            else:
                cells.append(f"{v:>12.3f}")
        lines.append(f"{row['corpus']:<14}{row['tool']:<19}" + "".join(cells))
    notes = sorted({(r["corpus"], r["dated"], r["undated"], r["proxy"]) for r in rows})
    for corpus, dated, undated, proxy in notes:
        lines.append(f"  {corpus}: {dated} dated pages, {undated} undated; 'late' = after {proxy} (proxy fetch time)")
    lines.append("  cpu ms/page: '-' when every output came from .bench-cache/")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=",".join(CORPORA))
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--no-cache", action="store_true", help="recompute the peers (and rewrite their cache)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    bad = [t for t in tools if t not in TOOLS] + [c for c in corpora if c not in LOADERS]
    if bad:
        ap.error(f"unknown tool or corpus: {', '.join(bad)}")
    rows = []
    for corpus in corpora:
        rows += run(corpus, tools=tools, limit=args.limit, use_cache=not args.no_cache)
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
