"""What a lookup pays as the archive grows: the index files are merged by size class (a few files,
whatever the number of crawls or WARCs), lookups through them return what one rebuilt file
returns, and an archive whose directories have not changed since its last update is not listed
again (``refresh_index``: ``show``, ``replay``, ``newsarchive index``).

WARCs are written with the project's own writer (no crawl, no server): these tests are cheap."""

from __future__ import annotations

import json
import math
import os
import random
import time
from pathlib import Path

import pytest

from archive import index as I
from archive.warc_records import http_record
from archive.writer import WarcFileWriter
from crawler.commands.archive import get_capture


def write_warc(archive: Path, urls: list[str], prefix: str = "t") -> Path:
    writer = WarcFileWriter(archive / "warcs", prefix=prefix, max_size=1 << 40, host="test")
    for url in urls:
        body = f"<html><body><p>{url}</p></body></html>".encode()
        block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        writer.write([http_record("response", url, block)])
    name = writer.current_name
    writer.close()
    return archive / "warcs" / name


def age(*paths: Path, seconds: float = 60) -> None:
    """Move mtimes into the past, as an archive left alone for a minute has them."""
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


def synthetic_line(key: str, n: int, pad: int) -> bytes:
    return (f'{key} 2026112401{n % 10000:04d} {{"url": "http://x/{key}", "offset": "{n}", "length": "1", '
            f'"filename": "w{n}.warc.gz", "pad": "{"p" * pad}"}}\n').encode()


def test_merging_by_size_class_keeps_few_files_and_every_line(tmp_path):
    """Crawl after crawl (per-WARC files of very different sizes), at most one file per size class
    is left, so a lookup bisects O(log size) files; the merged index holds every line once."""
    archive = tmp_path / "archive"
    (archive / "warcs").mkdir(parents=True)
    directory = Path(I.index_dir(str(archive)))
    directory.mkdir(parents=True)
    rng = random.Random(22)
    everything: set[bytes] = set()
    for crawl in range(60):
        lines = {synthetic_line(f"com,example)/{rng.randint(0, 5000)}", rng.randint(0, 10**6), rng.randint(0, 60))
                 for _ in range(rng.choice([3, 20, 150, 900]))}
        everything |= lines
        (directory / f"w{crawl:03d}.warc.gz.cdxj").write_bytes(b"".join(sorted(lines)))
        I.update_index(str(archive), merge_at=4)
        files = I.list_index_files(str(archive))
        classes = [I.size_class(f.size, 4) for f in files]
        assert len(classes) == len(set(classes)), f"two files of one class after crawl {crawl}"
    total = sum(f.size for f in files)
    assert len(files) <= math.log(total, 4) + 1 and len(files) <= 6
    assert sorted(w for f in files for w in f.covers) == [f"w{c:03d}.warc.gz" for c in range(60)]
    assert b"".join(I.iter_index(str(archive))) == b"".join(sorted(everything))


def test_lookups_across_many_index_files_equal_a_rebuilds(tmp_path):
    """The same captures whether the index is 30 unmerged files, merged by class, or rebuilt."""
    archive = tmp_path / "archive"
    urls = [f"http://news{i % 3}.example/story-{i:04d}.html" for i in range(40)]
    rng = random.Random(5)
    for n in range(30):  # each URL captured in several WARCs: its lines spread over many files
        write_warc(archive, rng.sample(urls, 8), prefix=f"c{n:02d}")
    I.update_index(str(archive), merge_at=0)
    assert len(I.index_paths(str(archive))) == 30
    many = {url: I.captures(str(archive), url) for url in urls}
    assert sum(len(v) for v in many.values()) == 240 and all(
        [e["timestamp"] for e in v] == sorted(e["timestamp"] for e in v) for v in many.values())
    I.update_index(str(archive), merge_at=4)
    assert len(I.index_paths(str(archive))) < 6
    assert {url: I.captures(str(archive), url) for url in urls} == many
    I.rebuild_index(str(archive))
    assert {url: I.captures(str(archive), url) for url in urls} == many


def test_bisection_handles_lines_longer_than_a_read(tmp_path):
    rng = random.Random(3)
    lines = sorted({synthetic_line(f"com,example)/{rng.randint(0, 400)}", i, rng.choice([0, 10, 5000, 20000]))
                    for i in range(600)})
    path = tmp_path / "long.cdxj"
    path.write_bytes(b"".join(lines))
    for key in [f"com,example)/{k}" for k in range(0, 401, 7)] + ["a", "zzz"]:
        prefix = (key + " ").encode()
        assert I.lines_with_prefix(str(path), prefix) == [line for line in lines if line.startswith(prefix)]


def test_an_unchanged_archive_is_not_listed_again(tmp_path, monkeypatch):
    """After an update, ``show`` and ``index`` look at two directory mtimes, not at every WARC; a
    new WARC, an open one, a repair or a just-changed directory make them look again."""
    archive = tmp_path / "archive"
    first = write_warc(archive, ["http://a.example/1", "http://a.example/2"])
    I.update_index(str(archive))
    assert not I.index_is_current(str(archive))  # changed within the last seconds: no stamp yet
    age(first, archive / "warcs", Path(I.index_dir(str(archive))), *Path(I.index_dir(str(archive))).iterdir())
    assert I.refresh_index(str(archive)) is not None and I.index_is_current(str(archive))

    def no_listing(*_args, **_kwargs):
        raise AssertionError("the WARCs were listed")

    with monkeypatch.context() as m:
        m.setattr(I, "_warc_state", no_listing)
        m.setattr("archive.reader.warc_files", no_listing)
        assert I.refresh_index(str(archive)) is None
        entry, record, _payload = get_capture(str(archive), "http://a.example/2")
        assert record.url == "http://a.example/2" and entry["filename"] == first.name

    second = write_warc(archive, ["http://b.example/1"])  # a new WARC (not indexed: a crash before)
    assert not I.index_is_current(str(archive))
    assert get_capture(str(archive), "http://b.example/1")[1].url == "http://b.example/1"

    os.rename(second, str(second) + ".open")  # a WARC being written grows without touching its directory
    age(archive / "warcs", Path(I.index_dir(str(archive))))
    I.update_index(str(archive))
    assert not I.index_is_current(str(archive))
    os.rename(str(second) + ".open", second)

    age(archive / "warcs", Path(I.index_dir(str(archive))), second, *Path(I.index_dir(str(archive))).iterdir())
    I.update_index(str(archive))
    assert I.index_is_current(str(archive))
    from archive.verify import verify_archive

    with open(second, "ab") as fh:  # a torn record at the end, cut by --repair
        fh.write(b"\x1f\x8b\x08\x00garbage")
    age(archive / "warcs")
    report = verify_archive(str(archive), repair=True)
    assert any(f.repaired for f in report.files)
    assert not I.index_is_current(str(archive))  # the WARC changed in place: look again
    stamp = Path(I._stamp_path(str(archive)))
    assert not stamp.exists()
    I.update_index(str(archive))
    assert I.unindexed_warcs(str(archive)) == []


def test_the_stamp_records_both_directories(tmp_path):
    archive = tmp_path / "archive"
    write_warc(archive, ["http://a.example/1"])
    I.update_index(str(archive))
    age(archive / "warcs", Path(I.index_dir(str(archive))))
    I.update_index(str(archive))
    state = json.loads(Path(I._stamp_path(str(archive))).read_text())
    assert state == {"warcs": (archive / "warcs").stat().st_mtime_ns,
                     "index": Path(I.index_dir(str(archive))).stat().st_mtime_ns}
    (Path(I.index_dir(str(archive))) / "extra.warc.gz.cdxj").write_bytes(b"")  # the index changed
    assert not I.index_is_current(str(archive))


@pytest.mark.parametrize("ratio,size,expected", [(16, 0, 0), (16, 15, 0), (16, 16, 1), (16, 255, 1),
                                                 (16, 256, 2), (4, 1 << 20, 10)])
def test_size_class(ratio, size, expected):
    assert I.size_class(size, ratio) == expected
