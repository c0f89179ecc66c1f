"""Did a speed change alter what extraction outputs? Every field of every page of the three corpora.

A change meant to make extraction cheaper must leave every record as it was. Dump the records of a
known-good checkout once, then compare after each change:

    .venv/bin/python bench/same_output.py --dump /tmp/before.json.gz     # on main
    .venv/bin/python bench/same_output.py --compare /tmp/before.json.gz  # on the branch

Pages: wcxb-dev (1,497), extraction-dev (114) and metadata-dev (1,033), each with its URL, through
``crawler.extract.extract`` (what ``newsarchive extract`` and the crawl call). The whole
``Article.to_dict()`` is compared (body, headline, dates, authors, captions, verdict, warnings...);
only ``extractor_version`` is left out, since a release may bump it without changing a field. The
last line is ``identical: N pages`` or ``DIFFERENT: k of N pages`` (exit status 1), with the first
differing fields of each page above it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))


def pages(shared: Path = SHARED):
    """(corpus/page id, url, html bytes) of the three corpora, in a fixed order."""
    wcxb = shared / "wcxb-dev" / "dev"
    for path in sorted((wcxb / "ground-truth").glob("*.json")):
        url = json.loads(path.read_text(encoding="utf-8")).get("url") or None
        yield f"wcxb-dev/{path.stem}", url, gzip.decompress((wcxb / "html" / f"{path.stem}.html.gz").read_bytes())
    extraction = shared / "extraction-dev"
    truth = json.loads((extraction / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        html = gzip.decompress((extraction / "html" / f"{key}.html.gz").read_bytes())
        yield f"extraction-dev/{key}", truth[key].get("url"), html
    metadata = shared / "metadata-dev"
    for line in (metadata / "expected.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        yield f"metadata-dev/{record['id']}", record.get("url"), gzip.decompress((metadata / record["html_file"]).read_bytes())


def records(shared: Path = SHARED) -> dict[str, dict]:
    from crawler.extract import extract

    out = {}
    for key, url, html in pages(shared):
        record = extract(html, url).to_dict()
        record.pop("extractor_version", None)
        out[key] = record
    return out


def compare(before: dict, after: dict, show: int = 20) -> list[str]:
    """One line per differing page (its first differing fields), then the verdict line."""
    lines, different = [], 0
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        different += 1
        if different <= show:
            if old is None or new is None:
                lines.append(f"{key}: {'missing before' if old is None else 'missing after'}")
            else:
                fields = [name for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
                detail = "; ".join(f"{name}: {str(old.get(name))[:80]!r} -> {str(new.get(name))[:80]!r}"
                                   for name in fields[:3])
                lines.append(f"{key}: {detail}")
    total = len(set(before) | set(after))
    lines.append(f"DIFFERENT: {different} of {total} pages" if different else f"identical: {total} pages")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--dump", type=Path, help="write every record here (gzipped JSON)")
    group.add_argument("--compare", type=Path, help="compare every record with this dump")
    ap.add_argument("--shared", type=Path, default=SHARED, help="folder holding the three corpora")
    args = ap.parse_args(argv)
    now = records(args.shared)
    if args.dump:
        args.dump.write_bytes(gzip.compress(json.dumps(now, ensure_ascii=False, sort_keys=True).encode("utf-8")))
        print(f"dumped {len(now)} pages to {args.dump}")
        return 0
    lines = compare(json.loads(gzip.decompress(args.compare.read_bytes())), json.loads(json.dumps(now)))
    print("\n".join(lines))
    return 1 if lines[-1].startswith("DIFFERENT") else 0


if __name__ == "__main__":
    sys.exit(main())
