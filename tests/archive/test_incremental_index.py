"""The incremental CDXJ index: per-WARC files merged in tiers, equal to a rebuild byte for byte,
read by bisection, and never paid for again by later crawls.

The crawls are real Scrapy crawls of the test origin (in subprocesses), one of them killed with
SIGKILL; the spy on file opens runs inside the crawl process itself (a ``sitecustomize`` on its
``PYTHONPATH``), so it sees every WARC the crawl and its post-crawl checks open.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import index as I
from archive.verify import verify_archive
from cli_helpers import run_cli
from warc_site import HERE, ROOT, run_crawl

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

POST_CHECKS = {"crawler.extensions.PostCrawlChecks": 900}

SPY = '''
import builtins, io, os
_log = os.environ["INDEX_SPY_LOG"]
_open = builtins.open
def _spy(file, mode="r", *args, **kwargs):
    path = os.fspath(file) if isinstance(file, (str, bytes, os.PathLike)) else None
    if isinstance(path, str) and "/warcs/" in path and ".warc" in path:
        with _open(_log, "a") as fh:
            fh.write(f"{mode}\\t{os.path.basename(path)}\\n")
    return _open(file, mode, *args, **kwargs)
builtins.open = _spy
io.open = _spy
'''


def index_bytes(archive) -> bytes:
    return b"".join(I.iter_index(str(archive)))


def crawl(archive, site, **settings):
    return run_crawl(archive, site.url + "/", EXTENSIONS=POST_CHECKS, **settings)


def killed_crawl(archive: Path, site, min_bytes: int = 3000) -> None:
    """A crawl SIGKILLed mid-way, leaving its file ``.open`` (and maybe a cut record)."""
    out = archive.parent / "killed.json"
    settings = {"DOWNLOAD_DELAY": 1.0, "CONCURRENT_REQUESTS": 1, "WARC_DEDUP": False, "EXTENSIONS": POST_CHECKS}
    proc = subprocess.Popen([sys.executable, str(HERE / "crawl_helper.py"), str(archive), site.url + "/",
                             str(out), json.dumps(settings)], cwd=str(ROOT),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            opened = list((archive / "warcs").glob("*.open"))
            if opened and opened[0].stat().st_size >= min_bytes:
                break
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert list((archive / "warcs").glob("*.open")), "the kill left no open file"


@pytest.fixture(scope="module")
def grown(warc_site, tmp_path_factory):
    """An archive grown crawl by crawl with tiny merge tiers: rotation, revisits, a killed crawl."""
    archive = tmp_path_factory.mktemp("grown") / "archive"
    crawl(archive, warc_site, WARC_MAX_SIZE=3000, NEWSARCHIVE_INDEX_MERGE_AT=3)       # rotation: many files
    first_covered = I.unindexed_warcs(str(archive)) == []
    crawl(archive, warc_site, NEWSARCHIVE_INDEX_MERGE_AT=3)                           # revisits
    killed_crawl(archive, warc_site)
    crawl(archive, warc_site, NEWSARCHIVE_INDEX_MERGE_AT=3)                           # indexes the killed file
    run_cli("verify", "--archive", archive, "--repair")                               # closes it, maybe cuts it
    crawl(archive, warc_site, WARC_MAX_SIZE=5000, NEWSARCHIVE_INDEX_MERGE_AT=3)
    return {"archive": archive, "first_covered": first_covered}


def test_incremental_index_is_byte_identical_to_a_rebuild(grown, tmp_path):
    archive = grown["archive"]
    assert grown["first_covered"], "the rotated crawl's files were not all indexed"
    run_cli("index", "--archive", archive, check=True)  # the repaired file is indexed again
    files = I.list_index_files(str(archive))
    assert any(f.merged for f in files) and len(files) < len(list((archive / "warcs").glob("*.warc.gz")))
    assert I.unindexed_warcs(str(archive)) == []
    incremental = index_bytes(archive)
    rebuilt_archive = tmp_path / "rebuilt"
    shutil.copytree(archive / "warcs", rebuilt_archive / "warcs")
    proc = run_cli("index", "--rebuild", "--archive", rebuilt_archive, check=True)
    rebuilt = index_bytes(rebuilt_archive)
    assert incremental == rebuilt
    lines = incremental.splitlines()
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    assert f"Indexed {len(lines)} captures" in proc.stdout
    assert any(b'"mime": "warc/revisit"' in line for line in lines)
    urls = {json.loads(line.split(b" ", 2)[2])["url"] for line in lines}
    for url in urls:
        assert I.captures(str(archive), url) == I.captures(str(rebuilt_archive), url)
    assert verify_archive(str(archive)).ok
    compacted = run_cli("index", "--compact", "--archive", archive, check=True)
    assert len(I.list_index_files(str(archive))) == 1 and index_bytes(archive) == rebuilt
    assert f"Indexed {len(lines)} captures" in compacted.stdout


def test_a_crawl_does_not_open_the_warcs_indexed_before(grown, warc_site, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(grown["archive"], archive)
    earlier = {p.name for p in (archive / "warcs").iterdir()}
    log = tmp_path / "opens.log"
    spy_dir = tmp_path / "spy"
    spy_dir.mkdir()
    (spy_dir / "sitecustomize.py").write_text(SPY)
    env = {"PYTHONPATH": str(spy_dir), "INDEX_SPY_LOG": str(log)}
    old_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = crawl(archive, warc_site, NEWSARCHIVE_INDEX_MERGE_AT=100)
    finally:
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    opened = [line.split("\t") for line in log.read_text().splitlines()]
    new = {p.name for p in (archive / "warcs").iterdir()} - earlier
    assert new and result["stats"]["archive/verified_files"] == len(new)
    names = {name.removesuffix(".open") for _mode, name in opened}
    assert names & {n.removesuffix(".open") for n in new}, "the spy saw nothing"  # it works
    assert names.isdisjoint(earlier), f"opened earlier WARCs: {sorted(names & earlier)}"
    assert I.unindexed_warcs(str(archive)) == []


def test_bisection_finds_exactly_the_lines_of_a_key(tmp_path):
    rng = random.Random(7)
    keys = sorted({f"com,example)/{rng.choice('abc')}{rng.randint(0, 300)}" for _ in range(900)})
    lines = sorted(f'{k} 2026{rng.randint(10**9, 10**10 - 1)} {{"url": "x", "n": {i}}}\n'.encode()
                   for i, k in enumerate(keys * 3))
    path = tmp_path / "sorted.cdxj"
    path.write_bytes(b"".join(lines))
    for key in keys[:50] + ["com,example)/a", "com,example)/zzz", "a", "com,example)/b1"]:
        prefix = (key + " ").encode()
        assert I.lines_with_prefix(str(path), prefix) == [line for line in lines if line.startswith(prefix)]
    with open(path, "rb") as fh:
        assert I.bisect_file(fh.fileno(), path.stat().st_size, b"\xff") == path.stat().st_size


def test_an_interrupted_merge_leaves_no_duplicates(grown, tmp_path):
    """Inputs left beside their merged file (a kill before they were removed) are read once and
    removed by the next update; a merged file without its list of WARCs does not count."""
    archive = tmp_path / "archive"
    shutil.copytree(grown["archive"], archive)
    before = index_bytes(archive)
    directory = Path(I.index_dir(str(archive)))
    merged = next(p for p in directory.glob("merged-*.cdxj"))
    covered = (directory / (merged.name + ".warcs")).read_text().split()
    for name in covered[:2]:
        (directory / (name + ".cdxj")).write_bytes(b"".join(I.warc_index_lines(str(archive / "warcs" / name))))
    (directory / "merged-L9-0-deadbeef.cdxj").write_bytes(merged.read_bytes())  # no .warcs: incomplete
    assert index_bytes(archive) == before
    assert I.lookup(str(archive), json.loads(before.splitlines()[0].split(b" ", 2)[2])["url"])
    I.update_index(str(archive), merge_at=100)
    assert not (directory / "merged-L9-0-deadbeef.cdxj").exists()
    assert not any((directory / (name + ".cdxj")).exists() for name in covered[:2])
    assert index_bytes(archive) == before


def test_a_changed_warc_is_indexed_again_and_its_merged_file_dissolved(grown, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(grown["archive"], archive)
    I.compact_index(str(archive))
    before = index_bytes(archive)
    victim = sorted((archive / "warcs").glob("*.warc.gz"))[0]
    now = time.time()
    for path in (archive / "warcs").iterdir():  # written long ago ...
        os.utime(path, (now - 1000, now - 1000))
    for path in Path(I.index_dir(str(archive))).iterdir():  # ... indexed a while ago ...
        os.utime(path, (now - 500, now - 500))
    os.utime(victim, (now - 100, now - 100))  # ... and one changed since, as `verify --repair` cutting its tail does
    assert I.unindexed_warcs(str(archive)) == [victim.name]
    result = I.update_index(str(archive), merge_at=100)
    assert result.dissolved == 1 and victim.name in result.indexed
    assert index_bytes(archive) == before and I.unindexed_warcs(str(archive)) == []


def _bytes_read() -> int:
    with open("/proc/self/io") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("rchar:"))


def test_a_lookup_reads_a_few_blocks_not_the_file(tmp_path):
    """A URL lookup in a 20 MB index reads well under 1 % of it (bisection by seeking)."""
    archive = tmp_path / "archive"
    directory = Path(I.index_dir(str(archive)))
    directory.mkdir(parents=True)
    (archive / "warcs").mkdir()
    filler = "x" * 150
    lines = sorted(f'com,example)/story-{i:07d} 20261124010203 {{"url": "http://example.com/story-{i:07d}", '
                   f'"offset": "{i}", "length": "1", "filename": "a.warc.gz", "pad": "{filler}"}}\n'.encode()
                   for i in range(100000))
    (directory / "a.warc.gz.cdxj").write_bytes(b"".join(lines))
    size = (directory / "a.warc.gz.cdxj").stat().st_size
    assert size > 20_000_000
    before = _bytes_read()
    found = I.captures(str(archive), "http://example.com/story-0054321")
    read = _bytes_read() - before
    assert [e["offset"] for e in found] == [54321]
    assert read < size / 100, f"read {read} of {size} bytes"


def test_a_file_merged_away_while_listed_is_read_from_the_new_listing(grown, monkeypatch):
    """Readers take no lock: a file another process merges away between the listing and the read
    sends them back to the listing, never to a shorter index."""
    archive = str(grown["archive"])
    expected = index_bytes(archive)
    url = json.loads(expected.splitlines()[0].split(b" ", 2)[2])["url"]
    want = I.captures(archive, url)
    real = I.index_paths
    stale = {"calls": 0}

    def listing(archive_dir):
        stale["calls"] += 1
        paths = real(archive_dir)
        return paths + [paths[0] + ".merged-away.cdxj"] if stale["calls"] % 2 else paths

    monkeypatch.setattr(I, "index_paths", listing)
    assert index_bytes(archive) == expected
    assert I.captures(archive, url) == want and stale["calls"] == 4
