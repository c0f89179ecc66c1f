"""Realistic inputs for dataset tests: the demo site's article pages run through the real
extractor, with the ``Capture`` of each as the archive middleware sends it.

No crawl: the writer's contract is article dicts and captures in, rows out, and these are what a
crawl of the demo site produces.
"""

from __future__ import annotations

import base64
import hashlib
import uuid

from archive.capture import Capture

DEMO_HOST = "http://demo.test"
FIRST = "2026-11-24T01:00:00.000000Z"   # capture time of the first crawl
SECOND = "2026-11-25T01:00:00.000000Z"  # and of the re-crawl
TODAY_PATH = "/popculture/story-behind-jim-pam-s-first-kiss-office-so-romantic-t118932"


def get_site(edition: int):
    """The demo site's resource table (its module was renamed from ``site`` to ``routes``)."""
    try:
        from crawler.demo.routes import get_site as _get_site
    except ImportError:
        from crawler.demo.site import get_site as _get_site
    return _get_site(edition)


def capture_for(url: str, body: bytes, fetched_at: str, revisit_of: Capture | None = None,
                filename: str = "newsarchive-20261124-demo.warc.gz", offset: int = 0) -> Capture:
    digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
    return Capture(
        url=url, status=200, mime="text/html", fetched_at=fetched_at,
        filename=filename, offset=offset, length=len(body) // 3 + 200,
        record_id=f"<urn:uuid:{uuid.uuid4()}>", payload_digest=digest,
        revisit=revisit_of is not None,
        refers_to=({"record_id": revisit_of.record_id, "url": url,
                    "date": revisit_of.fetched_at} if revisit_of else None),
        ip="127.0.0.1",
    )


def demo_articles(edition: int = 1, fetched_at: str = "2026-11-24T01:00:00.000000Z"):
    """[(article dict, Capture)] for every article page of the demo edition."""
    from crawler.extract import extract

    out = []
    offset = 0
    for path, res in get_site(edition).items():
        if res.kind != "article" or not res.body:
            continue
        url = DEMO_HOST + path
        article = extract(res.body, url, {"Content-Type": res.content_type}).to_dict()
        out.append((article, capture_for(url, res.body, fetched_at, offset=offset)))
        offset += len(res.body)
    return out


def edited_paths(edition: int = 2) -> set[str]:
    return {DEMO_HOST + p for p, r in get_site(edition).items()
            if r.kind == "article" and r.info.get("edited")}


def write_edition(db_path, edition: int, fetched_at: str, batch_size: int = 500, label="crawl"):
    from crawler.dataset.writer import DatasetWriter

    with DatasetWriter(db_path, batch_size=batch_size) as writer:
        crawl_id = writer.begin_crawl(job=label, args={"edition": edition})
        pairs = demo_articles(edition, fetched_at)
        for article, capture in pairs:
            writer.add_capture(capture, crawl_id)
            writer.add_article(article, capture, crawl_id)
        writer.end_crawl(crawl_id, "finished", {"articles": len(pairs)})
        return writer.counts, pairs
