"""The HTML parse under extraction: libxml2 (lxml) against HTML5-conformant tree builders.

libxml2's HTML parser predates HTML5 and builds some trees no browser builds: an end tag it ranks
below an open element is ignored (``</button>`` cannot close a ``<div>`` left open inside it), so
the rest of the page, ``<main>`` and the article with it, ends up inside a header button and is
pruned with the header. An HTML5 parser builds the browser's tree. Our stages read lxml trees, so
each HTML5 parser here is used as a front end: its tree is serialised (well-formed, every element
closed where HTML5 closed it) and that markup parsed by libxml2, which then has nothing to repair.

Modes, each scored on every corpus (extraction-dev, metadata-dev, wcxb-dev):
``libxml2`` (today's ``crawler.extract.encoding.parse_html``); ``lexbor`` (selectolax's Lexbor
HTML5 parser, C); ``html5lib`` (the reference pure-Python HTML5 parser with its lxml treebuilder;
slow, so only with ``--html5lib``); ``fallback`` (libxml2, and lexbor only when libxml2's tree gives
no body: ``crawler.extract.pipeline``'s behaviour). Every mode decodes the same text (not timed)
and runs the same ``extract_parsed``.

Figures: body F1 (extraction-dev: the article-extraction-benchmark shingle F1 of
``bench/body_metric.py``; wcxb-dev: WCXB's word F1 over all pages and over article pages;
metadata-dev has no body truth, so its F1 column is the word F1 against libxml2's body, i.e.
how much a mode changes), empty bodies, parse CPU and whole-extraction CPU in ms per page.

    .venv/bin/python bench/parsers.py [--limit N] [--html5lib]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import body_metric  # noqa: E402
from realcrawl import DEFAULT_CORPUS as WCXB, load_pages, load_wcxb_metric  # noqa: E402

SHARED = HERE.parent.parent / "shared" / "corpus"


def parser_libxml2(text: str):
    from crawler.extract.encoding import parse_html

    return parse_html(text)


def parser_lexbor(text: str):
    from crawler.extract.encoding import parse_html5

    return parse_html5(text)


def parser_html5lib(text: str):
    import html5lib
    from lxml import etree

    from crawler.extract.encoding import parse_html

    tree = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("lxml"), namespaceHTMLElements=False).parse(text)
    return parse_html(etree.tostring(tree, method="html", encoding="unicode"))


PARSERS = {"libxml2": parser_libxml2, "lexbor": parser_lexbor, "html5lib": parser_html5lib}


def load(limit: int | None) -> dict[str, list[dict]]:
    """{corpus: [{id, url, html, truth, kind}]}; truth None where the corpus has no body truth."""
    corpora = {}
    truth = json.loads((SHARED / "extraction-dev" / "ground-truth.json").read_text(encoding="utf-8"))
    corpora["extraction-dev"] = [
        {"id": k, "url": truth[k]["url"], "truth": truth[k]["articleBody"], "kind": "article",
         "html": gzip.decompress((SHARED / "extraction-dev" / "html" / f"{k}.html.gz").read_bytes())}
        for k in sorted(truth)[:limit]]
    pages = []
    with open(SHARED / "metadata-dev" / "expected.jsonl", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit and n >= limit:
                break
            rec = json.loads(line)
            raw = (SHARED / "metadata-dev" / rec["html_file"]).read_bytes()
            pages.append({"id": str(n), "url": rec.get("url"), "truth": None, "kind": "article",
                          "html": gzip.decompress(raw) if rec["html_file"].endswith(".gz") else raw})
    corpora["metadata-dev"] = pages
    corpora["wcxb-dev"] = [{"id": p["id"], "url": p["url"], "truth": p["main"], "kind": p["type"],
                            "html": gzip.decompress(p["file"].read_bytes())} for p in load_pages(WCXB, limit)]
    return corpora


def run_parser(name: str, pages: list[dict]) -> list[dict]:
    from crawler.extract.encoding import decode_html
    from crawler.extract.pipeline import extract_parsed

    parse = PARSERS[name]
    out = []
    for page in pages:
        text, warnings = decode_html(page["html"])
        started = time.process_time()
        doc = parse(text)
        parsed = time.process_time()
        body = extract_parsed(doc, page["url"], warnings).body if doc is not None else ""
        out.append({"body": body, "parse": parsed - started, "total": time.process_time() - started})
    return out


def fallback(first: list[dict], second: list[dict]) -> list[dict]:
    """libxml2, and the HTML5 parse only for pages where libxml2's tree gave no body."""
    return [a if a["body"].strip() else {"body": b["body"], "parse": a["parse"] + b["parse"],
                                         "total": a["total"] + b["total"]}
            for a, b in zip(first, second)]


def figures(corpus: str, pages: list[dict], results: list[dict], baseline: list[dict], word_f1) -> dict:
    n = len(pages)
    row = {"pages": n, "empty": sum(not r["body"].strip() for r in results),
           "parse_ms": 1000 * sum(r["parse"] for r in results) / n,
           "total_ms": 1000 * sum(r["total"] for r in results) / n}
    if corpus == "extraction-dev":
        row["f1"] = body_metric.score((p["truth"], r["body"]) for p, r in zip(pages, results))["f1"]
    elif corpus == "wcxb-dev":
        scores = [word_f1(r["body"], p["truth"])[2] for p, r in zip(pages, results)]
        articles = [s for s, p in zip(scores, pages) if p["kind"] == "article"]
        row["f1"] = sum(scores) / n
        row["f1_articles"] = sum(articles) / len(articles) if articles else 0.0
        row["empty_articles"] = sum(not r["body"].strip() for r, p in zip(results, pages) if p["kind"] == "article")
    else:
        row["f1"] = sum(word_f1(r["body"], b["body"])[2] if (r["body"] or b["body"]) else 1.0
                        for r, b in zip(results, baseline)) / n
    row["changed"] = sum(r["body"] != b["body"] for r, b in zip(results, baseline))
    return row


def format_table(rows: list[tuple[str, str, dict]]) -> str:
    lines = ["| corpus | parser | pages | body F1 | wcxb articles F1 | empty bodies | bodies changed "
             "| parse ms/page (CPU) | extraction ms/page (CPU, parse included) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for corpus, name, r in rows:
        f1 = f"{r['f1']:.4f}" + (" (vs libxml2)" if corpus == "metadata-dev" else "")
        arts = f"{r['f1_articles']:.4f}" if "f1_articles" in r else ""
        empty = f"{r['empty']}" + (f" ({r['empty_articles']} articles)" if "empty_articles" in r else "")
        lines.append(f"| {corpus} | {name} | {r['pages']} | {f1} | {arts} | {empty} | {r['changed']} "
                     f"| {r['parse_ms']:.2f} | {r['total_ms']:.2f} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each corpus")
    parser.add_argument("--html5lib", action="store_true", help="also html5lib (pure Python: slow)")
    args = parser.parse_args(argv)
    word_f1 = load_wcxb_metric(WCXB)
    names = ["libxml2", "lexbor"] + (["html5lib"] if args.html5lib else [])
    rows = []
    for corpus, pages in load(args.limit).items():
        run_parser(names[0], pages[:1])  # warm-up: imports and lazy initialisation
        results = {name: run_parser(name, pages) for name in names}
        results["fallback"] = fallback(results["libxml2"], results["lexbor"])
        for name in [*names, "fallback"]:
            rows.append((corpus, name, figures(corpus, pages, results[name], results["libxml2"], word_f1)))
        print(f"{corpus}: done", file=sys.stderr, flush=True)
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
