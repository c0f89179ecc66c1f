"""CPU cost of writing crawled articles into archive.db, as the crawler's reactor thread pays it.

The articles are the throughput benchmark's generated pages (``bench/sitegen.py``) run through
the real extractor, with capture dicts shaped as the WARC middleware sends them. Each is fed
to ``DatasetWriter`` exactly as ``DatasetPipeline`` does: ``add_capture`` (the WARC signal), then
``add_article`` with the same capture, the writer flushing every 500 entries. Four passes over
one fresh archive.db: *new* (first crawl), *unchanged* (a re-crawl finding the same content),
*version* (a re-crawl finding every body edited) and *modified* (a re-crawl finding only a
new modified date, as sites that stamp every page view give). Timed in CPU seconds (the
machine is shared), median of ``--runs`` runs, printed as ms per article.

    .venv/bin/python bench/dataset_write.py [--pages 2000] [--runs 3] [--batch 500]
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sitegen  # noqa: E402

from archive.capture import Capture  # noqa: E402
from crawler.extract import extract_dict  # noqa: E402
from crawler.dataset.writer import DatasetWriter  # noqa: E402

BASE = "http://127.0.0.1:1"
PASSES = ("new", "unchanged", "version", "modified")


def build_articles(pages: int, seed: int) -> list[dict]:
    out = []
    for i in range(pages):
        html = sitegen.render_article(i, seed, pages).encode()
        out.append(extract_dict(html, BASE + sitegen.article_path(i),
                                {"Content-Type": "text/html; charset=utf-8"}))
    return out


def capture_for(article: dict, day: int, offset: int) -> Capture:
    body = article["body"].encode()
    return Capture(
        url=article["url"], status=200, mime="text/html",
        fetched_at=f"2026-11-{day:02d}T01:{offset // 60 % 60:02d}:{offset % 60:02d}Z",
        filename=f"newsarchive-202611{day:02d}-bench.warc.gz", offset=offset * 21_000,
        length=21_000, record_id=f"<urn:uuid:{uuid.uuid4()}>",
        payload_digest="sha1:" + hashlib.sha1(body).hexdigest().upper(),
        ip="127.0.0.1", request_record_id=f"<urn:uuid:{uuid.uuid4()}>",
    )


def one_pass(writer: DatasetWriter, crawl_id: int, articles: list[dict], day: int) -> float:
    """CPU seconds to add and commit every article, captures built beforehand."""
    captures = [capture_for(a, day, i) for i, a in enumerate(articles)]
    start = time.process_time()
    for article, capture in zip(articles, captures):
        writer.add_capture(capture, crawl_id)
        writer.add_article(article, capture, crawl_id)
    writer.flush()
    return time.process_time() - start


def one_run(articles: list[dict], batch: int) -> dict[str, float]:
    edited = [{**a, "body": a["body"] + "\n\nCorrection: an earlier version misspelt a name."}
              for a in articles]
    touched = [{**a, "modified": "2026-11-30T12:00:00+00:00"} for a in edited]
    with tempfile.TemporaryDirectory() as tmp:
        writer = DatasetWriter(Path(tmp) / "archive.db", batch_size=batch, flush_seconds=3600)
        crawl_id = writer.begin_crawl(job="bench")
        seconds = {"new": one_pass(writer, crawl_id, articles, 1),
                   "unchanged": one_pass(writer, crawl_id, articles, 2),
                   "version": one_pass(writer, crawl_id, edited, 3),
                   "modified": one_pass(writer, crawl_id, touched, 4)}
        counts = dict(writer.counts)
        writer.close()
    n = len(articles)
    expected = {"captures": 4 * n, "articles_new": n, "unchanged": n, "versions": 2 * n,
                "failed": 0}
    if counts != expected:
        raise SystemExit(f"unexpected writer counts {counts}, expected {expected}")
    return {k: 1000 * s / n for k, s in seconds.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    start = time.process_time()
    articles = build_articles(args.pages, args.seed)
    print(f"{len(articles)} articles extracted in {time.process_time() - start:.1f} CPU s",
          file=sys.stderr)
    runs = [one_run(articles, args.batch) for _ in range(args.runs)]
    print(f"CPU ms per article, {args.pages} articles, batch {args.batch}, "
          f"median of {args.runs} runs (each run)")
    for name in PASSES:
        each = " / ".join(f"{r[name]:.3f}" for r in runs)
        print(f"{name:10s} {statistics.median(r[name] for r in runs):.3f}   ({each})")


if __name__ == "__main__":
    main()
