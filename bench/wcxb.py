"""wcxb-dev scored with the benchmark's own metric, per page type, ours beside trafilatura.

The metric is upstream's (``../shared/corpus/wcxb-dev/evaluate.py``, imported, not re-written):
per page, word-level precision/recall/F1 over lower-cased ``\\w+`` multisets, the share of the
``with`` snippets found and of the ``without`` snippets leaked; every figure is a mean over pages.
Page types come from the ground truth's ``_internal.page_type.primary`` (``metadata.json`` misses
139 pages).

Peers are slow (trafilatura ~7 pages/s here) and do not change while we iterate, so their
outputs and CPU seconds are cached under ``.bench-cache/wcxb/`` keyed by tool, tool version and
page id; ours is always recomputed. Used by ``bench/extraction.py`` (the table) and by
``tests/extract/test_body_wcxb.py`` (the floor).
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
CACHE_DIR = ROOT / ".bench-cache" / "wcxb"
TYPES = ("article", "forum", "product", "collection", "listing", "service", "documentation")
# A page under this F1 is a failure, whatever the tool.
FAIL_F1 = 0.2
# The misses list: article pages a peer gets right (>= this) and we fail (< FAIL_F1).
PEER_GOOD_F1 = 0.8


@dataclass(slots=True)
class Page:
    id: str
    url: str
    page_type: str
    html: bytes
    truth: str
    with_: list
    without: list
    title: str


def evaluator(corpus: Path = DEFAULT_CORPUS):
    """Upstream's ``evaluate.py`` as a module (its ``word_f1``, ``snippet_check``, ``get_page_type``)."""
    spec = importlib.util.spec_from_file_location("wcxb_evaluate", corpus / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    dont_write = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # the corpus folder is read-only
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = dont_write
    return module


def load_pages(corpus: Path = DEFAULT_CORPUS, types=None, limit: int | None = None) -> list[Page]:
    ev = evaluator(corpus)
    pages = []
    for path in sorted((corpus / "dev" / "ground-truth").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gt = data.get("ground_truth")
        if not isinstance(gt, dict):
            continue
        page_type = ev.get_page_type(data)
        if types and page_type not in types:
            continue
        with gzip.open(corpus / "dev" / "html" / f"{path.stem}.html.gz", "rb") as fh:
            html = fh.read()
        pages.append(Page(path.stem, data.get("url") or "", page_type, html, gt.get("main_content") or "",
                          gt.get("with") or [], gt.get("without") or [], gt.get("title") or ""))
        if limit and len(pages) >= limit:
            break
    return pages


def tool_version(tool: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    package = tool.split("-")[0]
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def run_tool(fn, pages: list[Page]) -> tuple[dict, dict]:
    """({id: text}, {id: CPU seconds}); a crash scores an empty text on that page."""
    fn(pages[0].html, pages[0].url)  # warm-up: imports and lazy set-up are not per page
    texts, cpu = {}, {}
    for page in pages:
        started = time.process_time()
        try:
            texts[page.id] = fn(page.html, page.url) or ""
        except Exception:  # noqa: BLE001 - a peer's crash is its score on that page
            texts[page.id] = ""
        cpu[page.id] = time.process_time() - started
    return texts, cpu


def cached_run(tool: str, fn, pages: list[Page], cache_dir: Path = CACHE_DIR) -> tuple[dict, dict, bool]:
    """``run_tool`` through the on-disk cache (one JSON file per tool and version); the bool says
    whether every page came from the cache."""
    path = cache_dir / f"{tool}-{tool_version(tool)}.json"
    cache = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    missing = [p for p in pages if p.id not in cache]
    if missing:
        texts, cpu = run_tool(fn, missing)
        for key, text in texts.items():
            cache[key] = {"text": text, "cpu": cpu[key]}
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache), encoding="utf-8")
        tmp.replace(path)
    return ({p.id: cache[p.id]["text"] for p in pages}, {p.id: cache[p.id]["cpu"] for p in pages}, not missing)


def score_pages(pages: list[Page], texts: dict, ev=None) -> dict:
    """{id: {"precision", "recall", "f1", "with", "without"}} with upstream's functions."""
    ev = ev or evaluator()
    scores = {}
    for page in pages:
        text = texts.get(page.id, "")
        p, r, f1 = ev.word_f1(text, page.truth)
        scores[page.id] = {"precision": p, "recall": r, "f1": f1, "with": ev.snippet_check(text, page.with_),
                           "without": ev.snippet_check(text, page.without)}
    return scores


def summarise(tool: str, pages: list[Page], scores: dict, cpu: dict | None, page_type: str = "all") -> dict:
    chosen = [p for p in pages if page_type == "all" or p.page_type == page_type]
    n = len(chosen)

    def mean(key):
        return sum(scores[p.id][key] for p in chosen) / n if n else 0.0

    seconds = sum(cpu[p.id] for p in chosen) if cpu else 0.0
    return {"tool": tool, "type": page_type, "pages": n, "f1": mean("f1"), "precision": mean("precision"),
            "recall": mean("recall"), "with": mean("with"), "without": mean("without"),
            "fail": sum(1 for p in chosen if scores[p.id]["f1"] < FAIL_F1),
            "pages_per_cpu_s": n / seconds if seconds else None}


def format_table(rows: list[dict]) -> str:
    head = (f"{'type':<14}{'tool':<24}{'pages':>6}{'F1':>7}{'prec':>7}{'recall':>8}{'with':>7}{'without':>9}"
            f"{'F1<0.2':>8}{'pages/cpu-s':>13}")
    lines = [head, "-" * len(head)]
    for row in rows:
        speed = "-" if row["pages_per_cpu_s"] is None else f"{row['pages_per_cpu_s']:.1f}"
        lines.append(f"{row['type']:<14}{row['tool']:<24}{row['pages']:>6}{row['f1']:>7.3f}{row['precision']:>7.3f}"
                     f"{row['recall']:>8.3f}{row['with']:>7.3f}{row['without']:>9.3f}{row['fail']:>8}{speed:>13}")
    return "\n".join(lines)


def cause(text: str, score: dict) -> str:
    """One word for why a page failed: nothing came out, the wrong block, the story cut short, or the
    story drowned in other text."""
    if not text.strip():
        return "empty"
    if score["recall"] < FAIL_F1 and score["precision"] < 0.5:
        return "wrong-block"
    if score["recall"] < FAIL_F1:
        return "truncated"
    return "noise"


def misses(pages: list[Page], ours: dict, ours_text: dict, peer: dict, page_type: str = "article") -> list[dict]:
    """Pages of ``page_type`` the peer gets right and we fail, with a one-word cause."""
    out = []
    for page in pages:
        if page.page_type != page_type:
            continue
        if peer[page.id]["f1"] >= PEER_GOOD_F1 and ours[page.id]["f1"] < FAIL_F1:
            out.append({"id": page.id, "url": page.url, "ours": ours[page.id]["f1"], "peer": peer[page.id]["f1"],
                        "cause": cause(ours_text.get(page.id, ""), ours[page.id])})
    return out


def format_misses(rows: list[dict], peer: str = "trafilatura") -> str:
    lines = [f"wcxb-dev article pages where {peer} >= {PEER_GOOD_F1} and ours < {FAIL_F1}: {len(rows)}"]
    for row in rows:
        lines.append(f"  {row['id']}  ours {row['ours']:.3f}  {peer} {row['peer']:.3f}  {row['cause']:<12} {row['url']}")
    return "\n".join(lines)


__all__ = ["DEFAULT_CORPUS", "TYPES", "Page", "evaluator", "load_pages", "cached_run", "run_tool", "score_pages",
           "summarise", "format_table", "misses", "format_misses", "cause"]
