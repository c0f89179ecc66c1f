"""Metadata benchmark: ours vs peers on ``shared/corpus/metadata-dev``.

Run alone: ``.venv/bin/python bench/metadata.py [--tools ours,trafilatura,...] [--limit N]``;
``bench/extraction.py`` calls :func:`run` and prints the rows with its own table.

Scoring (every choice is here so numbers from different runs mean the same thing):

* **headline** — exact match after normalisation (NFKC, soft hyphens and zero-width characters removed,
  casefold, curly quotes/guillemets -> ``"``/``'``, every dash -> ``-``, whitespace collapsed, outer
  whitespace stripped); averaged over pages whose
  ``expected.headline`` is present. No output counts as a miss.
* **authors F1** — per page, set F1 between normalised predicted and expected names (same text
  normalisation, plus dots removed, so "J. Smith" == "J Smith"); an entry that lists several people
  ("A und B", "A, B", "A / B", as some annotations and some tools write them) is split on commas,
  semicolons, slashes, "&" and the word "and" in common languages (also after a serial comma: "A, B, and
  C"), on both sides alike; averaged over
  pages whose expected ``authors`` is non-empty. Empty output on such a page scores 0.
* **authors abstention** — over pages annotated ``authors == []`` (annotator said "no author"): the
  fraction where the tool outputs no author at all.
* **published day** — over pages with a non-null expected ``published``: the first 10 characters of
  the tool's value (its own local day, as the annotation is) equal the expected ``YYYY-MM-DD``.
* **date abstention** — over pages annotated ``published == null``: fraction with no date output.
* **captions F1 / credit accuracy** — only on pages whose record has ``captions`` (fundus pages).
  Captions are matched one-to-one, greedily by best similarity, between normalised caption texts
  (difflib ratio >= 0.8, or one text containing the other when the shorter has >= 20 characters,
  which tolerates a credit left glued to the text). Micro-averaged over all caption pages: precision
  = matched / predicted, recall = matched / expected. Credit accuracy = fraction of matched pairs
  whose normalised credits are equal (outer punctuation and a leading "Photo:"/"Foto:"/"©" style
  label ignored, "|" and ";" between several credits unified; both empty counts as equal).
* **ms/page** — wall time of the tool's call per page (HTML already in memory), same process.

Peers: trafilatura (``bare_extraction(with_metadata=True)``), newspaper4k, readability-lxml (title
only) and ``figcaption`` (the plain ``//figure/figcaption`` baseline, captions only). A peer that
does not produce a field gets no score for it ("-").
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import re
import sys
import time
import unicodedata
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "metadata-dev"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIELDS = ("headline", "authors_f1", "authors_abstain", "published_day", "date_abstain",
          "captions_f1", "credit_acc")

_QUOTES = str.maketrans({c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e"}
                        | {c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u00b4`"}
                        | {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_WS = re.compile(r"\s+")
_CREDIT_LABEL = re.compile(r"^(?:photo(?:graph)?s?|foto(?:s)?|bild|image|credit|quelle|source|©|\(c\))\s*[:|]?\s*",
                           re.I)


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def norm_text(value) -> str:
    if not value:
        return ""
    value = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE).translate(_QUOTES).casefold()
    return _WS.sub(" ", value).strip()


def norm_name(value) -> str:
    return _WS.sub(" ", norm_text(value).replace(".", " ")).strip()


_JOINER = r"(?:and|und|et|y|e|en|og|och)"
# "A, B, and C": the joiner after a serial comma belongs to the separator, not to the next name
_NAME_SPLIT = re.compile(r"\s*(?:[,;/&]\s*(?:" + _JOINER + r"\s)?|\s" + _JOINER + r"\s)\s*", re.I)


def name_set(values) -> set[str]:
    """Normalised names; an entry naming several people ("A und B", "A, B") counts as each of them."""
    out = set()
    for value in values or []:
        for part in _NAME_SPLIT.split(str(value)):
            if (n := norm_name(part)):
                out.add(n)
    return out


def norm_credit(value) -> str:
    text = re.sub(r"\s*[|;]\s*", "; ", norm_text(value)).strip(" ()[]-–,;:.|/")
    text = _CREDIT_LABEL.sub("", text)
    return text.strip(" ()[]-,;:.|/")


def load_corpus(corpus_dir: Path | str = DEFAULT_CORPUS, limit: int | None = None) -> list[dict]:
    corpus_dir = Path(corpus_dir)
    pages = []
    with open(corpus_dir / "expected.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            raw = (corpus_dir / rec["html_file"]).read_bytes()
            if rec["html_file"].endswith(".gz"):
                raw = gzip.decompress(raw)
            rec["html"] = raw
            pages.append(rec)
            if limit and len(pages) >= limit:
                break
    return pages


# --- tools: each returns {headline, authors, published, captions} (None = field not produced) ----

def tool_ours(html: bytes, url: str) -> dict:
    from crawler.extract import extract
    art = extract(html, url)
    return {"headline": art.headline, "authors": list(art.authors), "published": art.published,
            "captions": [{"caption": c.caption, "credit": c.credit} for c in art.captions]}


def tool_trafilatura(html: bytes, url: str) -> dict:
    import trafilatura
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return {"headline": "", "authors": [], "published": None, "captions": None}
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    authors = [a.strip() for a in (d.get("author") or "").split(";") if a.strip()]
    return {"headline": d.get("title"), "authors": authors, "published": d.get("date"), "captions": None}


def newspaper_article(html: bytes, url: str):
    """A parsed newspaper4k Article from bytes we already have (both benchmarks use it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import newspaper
    art = newspaper.Article(url or "http://example.invalid/", fetch_images=False)
    art.download(input_html=html.decode("utf-8", errors="replace"))
    art.parse()
    return art


def tool_newspaper4k(html: bytes, url: str) -> dict:
    art = newspaper_article(html, url)
    pub = art.publish_date.isoformat() if art.publish_date else None
    return {"headline": art.title, "authors": list(art.authors), "published": pub, "captions": None}


def tool_readability(html: bytes, url: str) -> dict:
    from readability import Document
    return {"headline": Document(html).short_title(), "authors": None, "published": None, "captions": None}


def tool_figcaption(html: bytes, url: str) -> dict:
    import lxml.html
    doc = lxml.html.document_fromstring(html)
    caps = [{"caption": _WS.sub(" ", f.xpath("string(.)")).strip(), "credit": None}
            for f in doc.xpath("//figure/figcaption")]
    return {"headline": None, "authors": None, "published": None, "captions": [c for c in caps if c["caption"]]}


# name -> (function, fields it produces); a field a tool does not produce is not scored for it.
TOOLS = {
    "ours": (tool_ours, {"headline", "authors", "published", "captions"}),
    "trafilatura": (tool_trafilatura, {"headline", "authors", "published"}),
    "newspaper4k": (tool_newspaper4k, {"headline", "authors", "published"}),
    "readability": (tool_readability, {"headline"}),
    "figcaption": (tool_figcaption, {"captions"}),
}


# --- scoring -----------------------------------------------------------------------------------

def _set_f1(pred: set, gold: set) -> float:
    tp = len(pred & gold)
    if not tp:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 20 and short in long_:
        return 0.95
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < 0.8 or sm.quick_ratio() < 0.8:
        return 0.0
    return sm.ratio()


def match_captions(pred: list[dict], gold: list[dict], threshold: float = 0.8) -> list[tuple[dict, dict]]:
    """One-to-one greedy matching by best similarity of normalised caption text."""
    pn = [norm_text(p.get("caption")) for p in pred]
    gn = [norm_text(g.get("caption")) for g in gold]
    pairs = [(s, i, j) for i, a in enumerate(pn) for j, b in enumerate(gn)
             if (s := _similar(a, b)) >= threshold]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p, used_g, out = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((pred[i], gold[j]))
    return out


class Scores:
    """Accumulates one tool's scores over the corpus."""

    def __init__(self, produces: set):
        self.produces = produces
        self.sums = {f: 0.0 for f in FIELDS}
        self.counts = {f: 0 for f in FIELDS}
        self.cap = {"pred": 0, "gold": 0, "matched": 0, "credit_ok": 0}
        self.seconds = 0.0
        self.pages = 0
        self.errors = 0

    def _add(self, field: str, value: float):
        self.sums[field] += value
        self.counts[field] += 1

    def score_page(self, out: dict, exp: dict):
        if "headline" in self.produces and exp.get("headline"):
            self._add("headline", float(norm_text(out.get("headline")) == norm_text(exp["headline"])))
        if "authors" in self.produces and "authors" in exp:
            pred = name_set(out.get("authors"))
            if exp["authors"]:
                self._add("authors_f1", _set_f1(pred, name_set(exp["authors"])))
            else:
                self._add("authors_abstain", float(not pred))
        if "published" in self.produces and "published" in exp:
            pub = out.get("published")
            if exp["published"]:
                self._add("published_day", float(bool(pub) and str(pub)[:10] == exp["published"]))
            else:
                self._add("date_abstain", float(not pub))
        if "captions" in self.produces and exp.get("captions") is not None:
            pred = out.get("captions") or []
            pairs = match_captions(pred, exp["captions"])
            self.cap["pred"] += len(pred)
            self.cap["gold"] += len(exp["captions"])
            self.cap["matched"] += len(pairs)
            self.cap["credit_ok"] += sum(norm_credit(p.get("credit")) == norm_credit(g.get("credit"))
                                         for p, g in pairs)

    def row(self, tool: str) -> dict:
        row = {"tool": tool}
        for f in FIELDS[:5]:
            row[f] = self.sums[f] / self.counts[f] if self.counts[f] else None
        c = self.cap
        row["captions_f1"] = row["credit_acc"] = None
        if "captions" in self.produces and c["gold"]:
            p = c["matched"] / c["pred"] if c["pred"] else 0.0
            r = c["matched"] / c["gold"]
            row["captions_f1"] = 2 * p * r / (p + r) if p + r else 0.0
            row["credit_acc"] = c["credit_ok"] / c["matched"] if c["matched"] else 0.0
        row["ms_per_page"] = 1000 * self.seconds / self.pages if self.pages else None
        row["pages"] = self.pages
        row["errors"] = self.errors
        return row


def run(corpus_dir: Path | str = DEFAULT_CORPUS, tools=tuple(TOOLS), limit: int | None = None,
        pages: list[dict] | None = None, details: dict | None = None) -> list[dict]:
    """Score each tool on the corpus: one row per tool (field -> score, None when not produced).

    ``tools`` are names from ``TOOLS`` or ``(label, function, fields)`` tuples. ``details``, when given, receives per tool name a list of
    (record, output) for error analysis.
    """
    pages = pages if pages is not None else load_corpus(corpus_dir, limit)
    rows = []
    for name in tools:
        if isinstance(name, tuple):  # (label, function, fields produced): a caller's own adapter
            name, fn, produces = name
        else:
            fn, produces = TOOLS[name]
        sc = Scores(produces)
        for rec in pages:
            t0 = time.perf_counter()
            try:
                out = fn(rec["html"], rec.get("url"))
            except Exception:  # a peer crashing on a page scores as empty output on it
                out = {}
                sc.errors += 1
            sc.seconds += time.perf_counter() - t0
            sc.pages += 1
            sc.score_page(out, rec["expected"])
            if details is not None:
                details.setdefault(name, []).append((rec, out))
        rows.append(sc.row(name))
    return rows


def format_table(rows: list[dict]) -> str:
    cols = list(FIELDS) + ["ms_per_page"]
    head = f"{'tool':<13}" + "".join(f"{c:>16}" for c in cols)
    lines = [head, "-" * len(head)]
    for row in rows:
        cells = []
        for c in cols:
            v = row.get(c)
            cells.append(f"{'-':>16}" if v is None else (f"{v:>16.1f}" if c == "ms_per_page" else f"{v:>16.3f}"))
        lines.append(f"{row['tool']:<13}" + "".join(cells))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--tools", default="ours,trafilatura,newspaper4k,readability,figcaption")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", action="store_true", help="print rows as JSON lines instead of a table")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")  # peers warn per page (dateutil time zones, nltk); the table is the output
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        ap.error(f"unknown tool(s): {', '.join(unknown)}; choose from {', '.join(TOOLS)}")
    if not (Path(args.corpus) / "expected.jsonl").exists():
        ap.error(f"no expected.jsonl in {args.corpus}")
    rows = run(args.corpus, tools, limit=args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print(format_table(rows))


if __name__ == "__main__":
    main()
