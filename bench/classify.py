"""Page classification benchmark: is each page called "article" exactly as the crawl would call it?

    .venv/bin/python bench/classify.py [--wcxb DIR] [--limit N] [--misses]

Every page goes through ``crawler.analysis.page.analyse`` (the crawl's own entry point: one parse, then
``crawler.analysis.classify.classify``) with its raw bytes, its URL and ``Content-Type: text/html``; links,
embeds and extraction are switched off, so the CPU figure is parse + classification.

Figures, on ``wcxb-dev`` (the page type is ``_internal.page_type.primary`` of each ground truth):

* **article recall**: share of the article pages labelled ``article`` (target >= 0.97);
* **non-article as article**: share of the other pages (forum, product, collection, listing,
  service, documentation) labelled ``article`` (target <= 0.20);
* the confusion of ground-truth type by our label, and the misses (articles not labelled article,
  and non-articles labelled article) by classification reason;
* on ``extraction-dev`` and ``metadata-dev`` (every page an article): the share labelled article.

``bench/extraction.py`` prints the same table (:func:`run` and :func:`format_table`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT_WCXB = SHARED / "wcxb-dev"
DEFAULT_EXTRACTION = SHARED / "extraction-dev"
DEFAULT_METADATA = SHARED / "metadata-dev"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADERS = {"content-type": "text/html"}
LABELS = ("article", "listing", "other")


def label_page(html: bytes, url: str) -> tuple[str, str]:
    """(label, reason) as the crawl gets them."""
    from crawler.analysis.page import analyse

    result = analyse(html, url, HEADERS, links=False)
    return result["label"], result["reason"]


def load_wcxb(corpus: Path, limit: int | None = None):
    """(id, url, page type, html bytes) for every page of the dev split."""
    pages = []
    for gt_path in sorted((corpus / "dev" / "ground-truth").glob("*.json"))[:limit]:
        gt = json.loads(gt_path.read_text(encoding="utf-8"))
        page_id = gt_path.stem
        html = gzip.decompress((corpus / "dev" / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, gt.get("url") or "", gt["_internal"]["page_type"]["primary"], html))
    return pages


def load_extraction(corpus: Path, limit: int | None = None):
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        path = corpus / "html" / f"{key}.html.gz"
        if path.exists():
            pages.append((key, truth[key].get("url") or "", "article", gzip.decompress(path.read_bytes())))
    return pages


def load_metadata(corpus: Path, limit: int | None = None):
    pages = []
    with open(corpus / "expected.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            pages.append((rec["id"], rec.get("url") or "", "article",
                          gzip.decompress((corpus / rec["html_file"]).read_bytes())))
    return pages[:limit]


def classify_pages(pages) -> dict:
    """Labels of *pages* and the CPU they took (process time, parse included)."""
    rows = []
    cpu = 0.0
    for page_id, url, ptype, html in pages:
        start = time.process_time()
        label, reason = label_page(html, url)
        cpu += time.process_time() - start
        rows.append({"id": page_id, "url": url, "type": ptype, "label": label, "reason": reason})
    return {"rows": rows, "cpu_ms_per_page": 1000 * cpu / max(len(rows), 1)}


def summarise(result: dict) -> dict:
    rows = result["rows"]
    articles = [r for r in rows if r["type"] == "article"]
    others = [r for r in rows if r["type"] != "article"]
    confusion: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        confusion[r["type"]][r["label"]] += 1
    return {
        "pages": len(rows),
        "articles": len(articles),
        "article_recall": sum(r["label"] == "article" for r in articles) / max(len(articles), 1),
        "others": len(others),
        "other_as_article": sum(r["label"] == "article" for r in others) / max(len(others), 1),
        "confusion": {t: dict(c) for t, c in sorted(confusion.items(), key=lambda kv: -sum(kv[1].values()))},
        "missed_by_reason": Counter(r["reason"] for r in articles if r["label"] != "article").most_common(),
        "false_by_reason": Counter(r["reason"] for r in others if r["label"] == "article").most_common(),
        "cpu_ms_per_page": result["cpu_ms_per_page"],
    }


def run(wcxb: Path = DEFAULT_WCXB, extraction: Path | None = DEFAULT_EXTRACTION,
        metadata: Path | None = DEFAULT_METADATA, limit: int | None = None) -> dict:
    """Summaries for wcxb-dev and, when given and present, extraction-dev and metadata-dev."""
    out = {"wcxb-dev": summarise(classify_pages(load_wcxb(wcxb, limit)))}
    for name, corpus, loader in (("extraction-dev", extraction, load_extraction),
                                 ("metadata-dev", metadata, load_metadata)):
        if corpus is not None and Path(corpus).exists():
            out[name] = summarise(classify_pages(loader(Path(corpus), limit)))
    return out


def format_table(summaries: dict) -> str:
    w = summaries["wcxb-dev"]
    lines = [
        "| corpus | pages | articles labelled article | non-articles labelled article | CPU ms/page |",
        "|---|---|---|---|---|",
    ]
    for name, s in summaries.items():
        others = (f"{s['other_as_article']:.3f} ({round(s['other_as_article'] * s['others'])}/{s['others']})"
                  if s["others"] else "-")
        lines.append(f"| {name} | {s['pages']} | {s['article_recall']:.3f} "
                     f"({round(s['article_recall'] * s['articles'])}/{s['articles']}) | {others} "
                     f"| {s['cpu_ms_per_page']:.1f} |")
    lines += ["", "wcxb-dev, page type by our label:", "",
              "| type | pages | " + " | ".join(LABELS) + " |", "|---|---|" + "---|" * len(LABELS)]
    for ptype, counts in w["confusion"].items():
        lines.append(f"| {ptype} | {sum(counts.values())} | "
                     + " | ".join(str(counts.get(label, 0)) for label in LABELS) + " |")
    lines += ["", "wcxb-dev articles not labelled article, by reason: "
              + (", ".join(f"{r} {n}" for r, n in w["missed_by_reason"]) or "none"),
              "wcxb-dev non-articles labelled article, by reason: "
              + (", ".join(f"{r} {n}" for r, n in w["false_by_reason"]) or "none")]
    for name in ("extraction-dev", "metadata-dev"):
        s = summaries.get(name)
        if s and s["missed_by_reason"]:
            lines.append(f"{name} pages not labelled article, by reason: "
                         + ", ".join(f"{r} {n}" for r, n in s["missed_by_reason"]))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB)
    ap.add_argument("--extraction-corpus", type=Path, default=DEFAULT_EXTRACTION)
    ap.add_argument("--metadata-corpus", type=Path, default=DEFAULT_METADATA)
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages of each corpus")
    ap.add_argument("--misses", action="store_true",
                    help="also list every wcxb-dev miss: id, type, label, reason, URL")
    ap.add_argument("--json", action="store_true", help="the summaries as JSON")
    args = ap.parse_args(argv)
    if args.misses:
        result = classify_pages(load_wcxb(args.wcxb, args.limit))
        for r in result["rows"]:
            if (r["type"] == "article") != (r["label"] == "article"):
                print(f"{r['id']}\t{r['type']}\t{r['label']}\t{r['reason']}\t{r['url']}")
        return 0
    summaries = run(args.wcxb, args.extraction_corpus, args.metadata_corpus, args.limit)
    print(json.dumps(summaries, indent=1) if args.json else format_table(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
