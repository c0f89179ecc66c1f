"""Text repair and the extraction verdict, measured on the dev corpora in one run.

    .venv/bin/python bench/verdict.py                     # wcxb-dev, extraction-dev, metadata-dev
    .venv/bin/python bench/verdict.py --limit 200 --corpora wcxb-dev

Text repair (``crawler/extract/repair.py``): every page is extracted with repair on, and with
repair off when it shows a symptom repair reacts to (the others cannot differ).
Garbled outputs are counted by an independent detector (``bench/mojibake.py``: the classic
double-encoding sequences, C1 controls, entities left escaped); "clean text changed" counts text
fields that repair altered although the detector saw nothing wrong in them (it should be 0:
text that was already right stays byte-identical). Cost: CPU seconds of ``repair_article`` per
page, in the parsed page and in the fields (all pages; and on the pages where ftfy actually ran).

Verdict (``crawler/extract/verdict.py``): share of pages flagged ``suspect``, by reason; on
pages with a ground-truth body (wcxb-dev: the benchmark's own word F1 from its ``evaluate.py``;
extraction-dev: ``bench/body_metric.py``), how well ``suspect`` predicts a bad body (F1 < 0.3):
recall (bad bodies flagged; a bad body marked ``ok`` is a silent failure) and precision.
Per-page records go to ``.bench-cache/verdict/records.jsonl`` for threshold calibration.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import html as htmllib
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from body_metric import page_scores  # noqa: E402
from mojibake import article_texts, entities, garbled  # noqa: E402

from crawler.extract import encoding, extract, repair, verdict  # noqa: E402
from crawler.extract.pipeline import parse  # noqa: E402
from crawler.extract.relevance import topic_overlap  # noqa: E402

BAD_F1 = 0.3
CACHE = ROOT / ".bench-cache" / "verdict"


def _wcxb_metric(corpus: Path):
    spec = importlib.util.spec_from_file_location("wcxb_evaluate", corpus / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.word_f1, module.get_page_type


def load_wcxb(corpus: Path, limit=None):
    word_f1, get_page_type = _wcxb_metric(corpus)
    for path in sorted((corpus / "dev" / "html").glob("*.html.gz"))[:limit]:
        key = path.name.removesuffix(".html.gz")
        gt = json.loads((corpus / "dev" / "ground-truth" / f"{key}.json").read_text(encoding="utf-8"))
        truth = gt["ground_truth"].get("main_content")  # a few pages have none: not scored
        yield key, gt.get("url"), gzip.open(path).read(), get_page_type(gt), truth, \
            (lambda pred, truth=truth: word_f1(pred, truth)[2]) if truth else None


def load_extraction_dev(corpus: Path, limit=None):
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth)[:limit]:
        body = truth[key]["articleBody"]

        def f1(pred, body=body):
            p, r = page_scores(body, pred)
            return 2 * p * r / (p + r) if p + r else 0.0
        yield key, truth[key]["url"], gzip.open(corpus / "html" / f"{key}.html.gz").read(), "article", body, f1


def load_metadata_dev(corpus: Path, limit=None):
    lines = (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()[:limit]
    for line in lines:
        rec = json.loads(line)
        yield rec["id"], rec.get("url"), gzip.open(corpus / rec["html_file"]).read(), "article", None, None


LOADERS = {"wcxb-dev": load_wcxb, "extraction-dev": load_extraction_dev, "metadata-dev": load_metadata_dev}


def measure_page(key, url, html, page_type, truth, f1) -> dict:
    text, _ = encoding.decode_html(html, None)
    doc, _ = parse(html, repair_text=False)
    cpu = time.process_time()
    tree_repaired = doc is not None and repair.repair_tree(doc, text)
    tree_cpu = time.process_time() - cpu
    signals = verdict.page_signals(doc) if doc is not None else verdict.PageSignals()
    final = extract(html, url)
    # Repair only reacts to a symptom: a page showing none anywhere comes out the same without it.
    could = tree_repaired or repair.needs_repair(htmllib.unescape(text))
    raw = extract(html, url, repair_text=False) if could else final
    fixed = copy.deepcopy(raw)
    cpu = time.process_time()
    repair.repair_article(fixed)
    repair_cpu = tree_cpu + time.process_time() - cpu
    before, after = article_texts(raw.to_dict()), article_texts(final.to_dict())
    changed = [k for k in before if k in after and before[k] != after[k]]
    collateral = [k for k in changed if not garbled(before[k]) and not entities(before[k])
                  and not _LEAD.search(before[k])]
    return {
        "id": key, "type": page_type, "url": url,
        "garbled_before": sorted({k for k, v in before.items() if garbled(v)}),
        "garbled_after": sorted({k for k, v in after.items() if garbled(v)}),
        "garbled_after_samples": [s for v in after.values() for s in garbled(v)][:5],
        "truth_garbled": bool(truth and garbled(truth)),
        "entities_before": sum(len(entities(v)) for v in before.values()),
        "entities_after": sum(len(entities(v)) for v in after.values()),
        "changed": changed, "collateral": collateral, "repair_cpu": repair_cpu,
        "ran_ftfy": tree_repaired or any(repair.needs_repair(t) for t in before.values()),
        "f1": f1(final.body) if f1 else None, "words": final.word_count, "chars": len(final.body.strip()),
        "headline": final.headline, "description": final.description,
        "overlap": topic_overlap(final.headline, final.description, final.body),
        "page_words": signals.page_words, "article_body_words": signals.article_body_words,
        "not_free": signals.not_free, "paywall_marker": signals.paywall_marker,
        "verdict": final.verdict, "reasons": final.verdict_reasons,
    }


# A lead character of double-encoded text whose partner (an invisible character) cleaning dropped.
_LEAD = re.compile("[ÂÃâðÅÄ]")


def repair_row(corpus: str, recs: list[dict]) -> dict:
    ftfy_runs = [r["repair_cpu"] for r in recs if r["ran_ftfy"]]
    return {
        "corpus": corpus, "pages": len(recs),
        "garbled_before": sum(bool(r["garbled_before"]) for r in recs),
        "garbled_after": sum(bool(r["garbled_after"]) for r in recs),
        "pages_repaired": sum(bool(r["changed"]) for r in recs),
        "clean_changed": sum(len(r["collateral"]) for r in recs),
        "truth_garbled": sum(r["truth_garbled"] for r in recs),
        "entities": (sum(r.get("entities_before", 0) for r in recs), sum(r.get("entities_after", 0) for r in recs)),
        "median_us": 1e6 * statistics.median(r["repair_cpu"] for r in recs),
        "ftfy_pages": len(ftfy_runs),
        "ftfy_median_us": 1e6 * statistics.median(ftfy_runs) if ftfy_runs else 0.0,
        "total_ms": 1e3 * sum(r["repair_cpu"] for r in recs),
    }


def verdict_row(corpus: str, recs: list[dict]) -> dict:
    flagged = [r for r in recs if r["verdict"] != verdict.OK]
    row = {"corpus": corpus, "pages": len(recs), "suspect": len(flagged),
           "share": len(flagged) / len(recs) if recs else 0.0,
           "reasons": Counter(reason for r in flagged for reason in r["reasons"])}
    scored = [r for r in recs if r["f1"] is not None]
    if scored:
        bad = [r for r in scored if r["f1"] < BAD_F1]
        good_flagged = [r for r in flagged if r["f1"] is not None and r["f1"] >= BAD_F1]
        bad_flagged = [r for r in bad if r["verdict"] != verdict.OK]
        row.update(bad=len(bad), bad_flagged=len(bad_flagged), good_flagged=len(good_flagged),
                   recall=len(bad_flagged) / len(bad) if bad else 1.0,
                   precision=len(bad_flagged) / len(flagged) if flagged else 1.0,
                   good_share=len(good_flagged) / (len(scored) - len(bad)) if len(scored) > len(bad) else 0.0)
    return row


def format_tables(repair_rows, verdict_rows) -> str:
    out = ["Text repair (detector: bench/mojibake.py; CPU of repair_article per page)", "",
           "| corpus | pages | outputs with mojibake, repair off | repair on | pages repaired | clean fields changed"
           " | ground truth with mojibake | entities left, off -> on | median µs/page | pages through ftfy"
           " | median µs on those | total ms |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in repair_rows:
        out.append(f"| {r['corpus']} | {r['pages']} | {r['garbled_before']} | {r['garbled_after']} | "
                   f"{r['pages_repaired']} | {r['clean_changed']} | {r['truth_garbled']} | "
                   f"{r['entities'][0]} -> {r['entities'][1]} | {r['median_us']:.1f} | "
                   f"{r['ftfy_pages']} | {r['ftfy_median_us']:.0f} | {r['total_ms']:.0f} |")
    out += ["", f"Verdict (bad body: F1 < {BAD_F1})", "",
            "| pages | n | suspect | share | bad bodies | bad flagged (recall) | precision | good flagged |"
            " reasons |", "|---|---|---|---|---|---|---|---|---|"]
    for r in verdict_rows:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(r["reasons"].items(), key=lambda kv: -kv[1]))
        if "bad" in r:
            out.append(f"| {r['corpus']} | {r['pages']} | {r['suspect']} | {r['share']:.3f} | {r['bad']} | "
                       f"{r['bad_flagged']} ({r['recall']:.2f}) | {r['precision']:.2f} | "
                       f"{r['good_flagged']} ({r['good_share']:.3f}) | {reasons} |")
        else:
            out.append(f"| {r['corpus']} | {r['pages']} | {r['suspect']} | {r['share']:.3f} | - | - | - | - | "
                       f"{reasons} |")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default="wcxb-dev,extraction-dev,metadata-dev")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--from-cache", action="store_true", help="tables from the last run's records")
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    records_path = CACHE / "records.jsonl"
    names = args.corpora.split(",")
    records: dict[str, list[dict]] = {}
    if args.from_cache:  # judged again from the recorded signals: for calibrating thresholds
        for line in records_path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            signals = verdict.PageSignals(rec["page_words"], rec["article_body_words"], rec["not_free"],
                                          rec["paywall_marker"])
            rec["verdict"], rec["reasons"] = verdict.decide(rec["words"], rec["overlap"], signals, rec.get("chars"))
            records.setdefault(rec["corpus"], []).append(rec)
    else:
        with records_path.open("w", encoding="utf-8") as out:
            for name in names:
                recs = records[name] = []
                for page in LOADERS[name](args.shared / name, args.limit):
                    rec = {"corpus": name, **measure_page(*page)}
                    recs.append(rec)
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    repair_rows = [repair_row(n, records[n]) for n in names if n in records]
    verdict_rows = []
    for name in names:
        recs = records.get(name, [])
        if name == "wcxb-dev":
            verdict_rows.append(verdict_row("wcxb-dev articles", [r for r in recs if r["type"] == "article"]))
            verdict_rows.append(verdict_row("wcxb-dev others", [r for r in recs if r["type"] != "article"]))
        elif recs:
            verdict_rows.append(verdict_row(name, recs))
    print(format_tables(repair_rows, verdict_rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
