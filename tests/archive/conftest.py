"""Fixtures of the WARC toolkit tests: the test origin and real crawls of it (run once per session)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from warc_site import Site, run_crawl  # noqa: E402


@pytest.fixture(scope="session")
def warc_site():
    site = Site().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def first_crawl(warc_site, tmp_path_factory):
    """One crawl of the origin into a fresh archive, shared by read-only tests.

    It runs in "rebuilt" capture mode on purpose: these tests pin what the fallback mode stores
    (de-chunked bodies with a correct Content-Length); wire mode is tested in test_wire.py.
    """
    archive = tmp_path_factory.mktemp("warc") / "archive"
    hits_before = dict(warc_site.hits)
    result = run_crawl(archive, warc_site.url + "/", WARC_CAPTURE="rebuilt")
    hits = {k: warc_site.hits.get(k, 0) - hits_before.get(k, 0) for k in warc_site.hits}
    bodies = dict(warc_site.bodies)
    return {"archive": archive, "result": result, "hits": hits, "bodies": bodies, "url": warc_site.url}


@pytest.fixture(scope="session")
def second_crawl(first_crawl, warc_site, tmp_path_factory):
    """The same site crawled again into (a copy of) the same archive: unchanged pages become revisits."""
    archive = tmp_path_factory.mktemp("warc2") / "archive"
    shutil.copytree(first_crawl["archive"], archive)
    before = {p.name for p in (archive / "warcs").iterdir()}
    result = run_crawl(archive, warc_site.url + "/", WARC_CAPTURE="rebuilt")
    new_files = sorted(p for p in (archive / "warcs").iterdir() if p.name not in before)
    return {"archive": archive, "result": result, "new_files": new_files, "url": warc_site.url,
            "bodies": dict(warc_site.bodies)}
