"""The CDXJ index of every WARC under ``ARCHIVE/warcs``, in ``ARCHIVE/indexes/index.cdxj``.

Built with cdxj-indexer (the format pywb and WACZ read), sorted by SURT key and timestamp, and
written to a temporary file that replaces the old index atomically, so a reader never sees a
half-written index. Files still ``.open`` are indexed under their final name (readers fall back
to the ``.open`` file), so a capture is findable while the crawl runs.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from bisect import bisect_left

import surt
from cdxj_indexer.main import CDXJIndexer

from archive.reader import closed_name, warc_files

INDEX_NAME = "index.cdxj"


def index_path(archive_dir: str) -> str:
    return os.path.join(archive_dir, "indexes", INDEX_NAME)


def url_key(url: str) -> str:
    try:
        return surt.surt(url)
    except Exception:
        return url


def index_lines(warcs_dir: str) -> list[str]:
    """CDXJ lines (response, revisit and resource records) of all files, unsorted."""
    lines: list[str] = []
    for name in warc_files(warcs_dir, include_open=True):
        out = io.StringIO()
        indexer = CDXJIndexer(output=out, inputs=[os.path.join(warcs_dir, name)], filename=closed_name(name))
        indexer.process_all()
        lines.extend(line + "\n" for line in out.getvalue().splitlines() if line.strip())
    return lines


def build_index(archive_dir: str) -> str:
    """(Re)build the index from the WARCs alone; returns its path."""
    warcs_dir = os.path.join(archive_dir, "warcs")
    lines = sorted(set(index_lines(warcs_dir)))
    path = index_path(archive_dir)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".index-", suffix=".cdxj.tmp", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(lines)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def index_is_stale(archive_dir: str) -> bool:
    path = index_path(archive_dir)
    if not os.path.exists(path):
        return True
    built = os.path.getmtime(path)
    warcs_dir = os.path.join(archive_dir, "warcs")
    return any(os.path.getmtime(os.path.join(warcs_dir, n)) > built for n in warc_files(warcs_dir))


def ensure_index(archive_dir: str) -> str:
    """The index path, rebuilt first when missing or older than a WARC file."""
    if index_is_stale(archive_dir):
        return build_index(archive_dir)
    return index_path(archive_dir)


def parse_line(line: str) -> dict:
    key, ts, data = line.rstrip("\n").split(" ", 2)
    entry = json.loads(data)
    entry["urlkey"] = key
    entry["timestamp"] = ts
    entry["offset"] = int(entry["offset"])
    entry["length"] = int(entry["length"])
    if "status" in entry:
        try:
            entry["status"] = int(entry["status"])
        except (TypeError, ValueError):
            pass
    return entry


def read_index(archive_dir: str) -> list[dict]:
    with open(index_path(archive_dir), encoding="utf-8") as fh:
        return [parse_line(line) for line in fh if line.strip()]


def captures(archive_dir: str, url: str) -> list[dict]:
    """All index entries for a URL (same SURT key), oldest first."""
    key = url_key(url)
    with open(index_path(archive_dir), encoding="utf-8") as fh:
        lines = fh.readlines()
    start = bisect_left(lines, key + " ")
    found = []
    for line in lines[start:]:
        if not line.startswith(key + " "):
            break
        found.append(parse_line(line))
    return found


def _ts_number(ts: str) -> int:
    return int((ts + "00000000000000")[:14])


def lookup(archive_dir: str, url: str, at: str | None = None) -> dict | None:
    """The capture of ``url`` closest to the 14-digit timestamp ``at`` (earlier wins ties), or the latest."""
    found = captures(archive_dir, url)
    if not found:
        return None
    if at is None:
        return found[-1]
    target = _ts_number(at)
    return min(found, key=lambda e: (abs(_ts_number(e["timestamp"]) - target), _ts_number(e["timestamp"])))


def find_original(archive_dir: str, url: str, digest: str) -> dict | None:
    """The full capture a revisit stands for: same URL and payload digest, not itself a revisit."""
    for entry in reversed(captures(archive_dir, url)):
        if entry.get("mime") != "warc/revisit" and entry.get("digest") == digest:
            return entry
    return None
