"""The CDXJ index of an archive: one sorted file per WARC, merged by size class, read by bisection.

An archive that grows for years must not pay for its past at every crawl, so nothing here reads
a WARC that is already indexed:

* each WARC gets its own sorted CDXJ, ``ARCHIVE/indexes/cdxj/NAME.warc.gz.cdxj``, written by
  cdxj-indexer (the format pywb and WACZ read) when the file closes, atomically (temporary file,
  then rename);
* files of one size class (sizes within a factor of ``merge_at``) are merged by a streaming
  k-way merge (``heapq.merge`` over the open files) into one file,
  ``merged-L<generation>-<stamp>-<id>.cdxj``, beside a ``.warcs`` list of the WARCs it covers;
  so the directory holds at most one closed file per class, O(log n) files of very different
  sizes (two or three in practice), and a lookup costs a few bisections whatever the archive's
  size, while a crawl's merges cost a small multiple of what it added (amortised);
* the archive's index is the set of those files; pywb reads the directory as it is, a lookup
  lists it once and bisects each file by seeking (no file is read whole, no WARC listed), and
  ``iter_index`` streams the merge of all of them when one sorted sequence is wanted
  (``verify``, ``index --compact``).

A WARC with no index file (a crash between its close and its indexing, an archive from before
this layout) is indexed when the index is next brought up to date (``update_index`` after every
crawl; ``refresh_index`` in ``newsarchive index``, ``show`` and ``replay``); a WARC changed after
it was indexed (``verify --repair`` cut its tail) is indexed again, and a merged file covering it
is dissolved into per-WARC files first. ``refresh_index`` skips even the listing of ``warcs/``
when neither directory changed since the last complete update (a stamp in ``indexes/``), so a
lookup never pays for the number of WARCs. A ``.open`` WARC is indexed provisionally under its
final name, so a capture is findable while the crawl runs, and never merged until it is closed.

A crash in the middle of a merge leaves the merged file and its inputs side by side: the same
lines twice, which every reader here drops (equal lines are adjacent in a merge) and the next
update removes. ``rebuild_index`` starts again from the WARCs alone.
"""

from __future__ import annotations

import fcntl
import heapq
import io
import json
import os
import shutil
import tempfile
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Iterator

import surt
from cdxj_indexer.main import CDXJIndexer

from archive.reader import OPEN_SUFFIX, closed_name, warc_files

INDEX_DIR = "cdxj"
SUFFIX = ".cdxj"
MERGED_PREFIX = "merged-L"
COVERS_SUFFIX = ".warcs"
LEGACY_INDEX = "index.cdxj"  # the single rebuilt file of earlier versions
DEFAULT_MERGE_AT = 16  # crawler/settings.py: NEWSARCHIVE_INDEX_MERGE_AT
STAMP = ".state"  # indexes/.state: both directories' mtimes at the last complete update
RACY_SECONDS = 2.0  # a directory changed this recently may change again within its mtime's tick


def index_dir(archive_dir: str) -> str:
    """The directory of CDXJ files: what pywb is pointed at, and what lookups bisect."""
    return os.path.join(str(archive_dir), "indexes", INDEX_DIR)


def warcs_dir_of(archive_dir: str) -> str:
    return os.path.join(str(archive_dir), "warcs")


def url_key(url: str) -> str:
    try:
        return surt.surt(url)
    except Exception:
        return url


# --- one WARC -------------------------------------------------------------------------------

def warc_index_lines(path: str) -> list[bytes]:
    """The sorted CDXJ lines (response, revisit and resource records) of one WARC file.

    The one function every index line comes from, incremental or rebuilt, so both agree byte for
    byte. A ``.open`` file is indexed under its final name (readers fall back to the open name).
    """
    out = io.StringIO()
    CDXJIndexer(output=out, inputs=[path], filename=closed_name(os.path.basename(path))).process_all()
    return sorted({(line + "\n").encode("utf-8") for line in out.getvalue().splitlines() if line.strip()})


def _write_atomic(path: str, lines: Iterable[bytes]) -> int:
    """Write lines to a temporary file in the same directory, fsync, rename; returns the count."""
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=directory)
    count = 0
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            for line in lines:
                fh.write(line)
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return count


def warc_index_name(warc_name: str) -> str:
    return closed_name(warc_name) + SUFFIX


def index_warc(archive_dir: str, warc_path: str) -> int:
    """Index one WARC into its own file under ``indexes/cdxj/`` (replacing an older one); returns
    its number of entries."""
    directory = index_dir(archive_dir)
    os.makedirs(directory, exist_ok=True)
    target = os.path.join(directory, warc_index_name(os.path.basename(warc_path)))
    return _write_atomic(target, warc_index_lines(warc_path))


# --- the set of index files -----------------------------------------------------------------

@dataclass
class IndexFile:
    name: str
    tier: int  # 0 for a WARC's own file, else the merge generation (above every input's)
    covers: list[str]  # WARC names (final names)
    mtime: float
    size: int = 0

    @property
    def merged(self) -> bool:
        return self.tier > 0


def _tier_of(name: str) -> int:
    if not name.startswith(MERGED_PREFIX):
        return 0
    try:
        return int(name[len(MERGED_PREFIX):].split("-", 1)[0])
    except ValueError:
        return 1


def list_index_files(archive_dir: str) -> list[IndexFile]:
    """Every complete index file, with the WARCs it covers (a merged file without its list of
    WARCs is an interrupted merge, and is left out)."""
    directory = index_dir(archive_dir)
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    present = set(names)
    files = []
    for name in sorted(names):
        if not name.endswith(SUFFIX) or name.startswith("."):
            continue
        path = os.path.join(directory, name)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            continue
        tier = _tier_of(name)
        if tier == 0:
            covers = [name[: -len(SUFFIX)]]
        else:
            if name + COVERS_SUFFIX not in present:
                continue
            try:
                with open(path + COVERS_SUFFIX, encoding="utf-8") as fh:
                    covers = [line.strip() for line in fh if line.strip()]
            except FileNotFoundError:
                continue
        files.append(IndexFile(name, tier, covers, st.st_mtime, st.st_size))
    return files


def index_paths(archive_dir: str) -> list[str]:
    """The complete index files, from one listing of the directory: no stat, no file read (what
    a lookup pays, whatever the archive's size). A merged file counts once its ``.warcs`` list
    exists (written last), as in ``list_index_files``."""
    directory = index_dir(archive_dir)
    try:
        names = set(os.listdir(directory))
    except FileNotFoundError:
        return []
    return [os.path.join(directory, name) for name in sorted(names)
            if name.endswith(SUFFIX) and not name.startswith(".")
            and (_tier_of(name) == 0 or name + COVERS_SUFFIX in names)]


@contextmanager
def _locked(archive_dir: str):
    """One process at a time changes the index files (workers of a scaled-out crawl share them)."""
    directory = index_dir(archive_dir)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(os.path.dirname(directory), ".lock"), "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _remove_index_file(archive_dir: str, f: IndexFile) -> None:
    path = os.path.join(index_dir(archive_dir), f.name)
    if f.merged:
        _unlink(path + COVERS_SUFFIX)  # first: without its list the file no longer counts
    _unlink(path)


# --- merging --------------------------------------------------------------------------------

def _dedup(lines: Iterable[bytes]) -> Iterator[bytes]:
    previous = None
    for line in lines:
        if line != previous:
            yield line
        previous = line


def merge_files(paths: list[str]) -> Iterator[bytes]:
    """The sorted union of sorted CDXJ files, streamed: one line per file in memory."""
    return _merge_handles([open(p, "rb") for p in paths])


def _merged_name(tier: int) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
    return f"{MERGED_PREFIX}{tier}-{stamp}-{uuid.uuid4().hex[:8]}{SUFFIX}"


def _merge_into(archive_dir: str, files: list[IndexFile], tier: int) -> IndexFile:
    """Merge ``files`` into one file of ``tier``, then remove them. Crash-safe in this order:
    the merged file, its list of WARCs (from here on it counts), the inputs."""
    directory = index_dir(archive_dir)
    name = _merged_name(tier)
    path = os.path.join(directory, name)
    _write_atomic(path, merge_files([os.path.join(directory, f.name) for f in files]))
    covers = sorted({w for f in files for w in f.covers})
    _write_atomic(path + COVERS_SUFFIX, (f"{w}\n".encode("utf-8") for w in covers))
    for f in files:
        _remove_index_file(archive_dir, f)
    st = os.stat(path)
    return IndexFile(name, tier, covers, st.st_mtime, st.st_size)


def size_class(size: int, ratio: int) -> int:
    """floor(log_ratio(size)): files of one class are within a factor of ``ratio`` of each other."""
    cls = 0
    while size >= ratio:
        size //= ratio
        cls += 1
    return cls


def _compact(archive_dir: str, files: list[IndexFile], merge_at: int, open_names: set[str]) -> int:
    """Merging by size class: two or more closed files of one class (sizes within a factor of
    ``merge_at``) become one, smallest class first, until every class holds one file at most.

    So a lookup bisects O(log_merge_at(index size)) files, two or three in practice (a big file,
    a middle one, the latest crawls'), not a count that grows with the crawls or the WARCs; a
    line is rewritten about merge_at/2 times per class it passes through, a small multiple of
    what each crawl adds. Returns the number of merges."""
    if merge_at < 2:
        return 0
    merges = 0
    pool = [f for f in files if not set(f.covers) & open_names]
    while True:
        by_class: dict[int, list[IndexFile]] = defaultdict(list)
        for f in pool:
            by_class[size_class(f.size, merge_at)].append(f)
        crowded = sorted(cls for cls, members in by_class.items() if len(members) > 1)
        if not crowded:
            return merges
        group = by_class[crowded[0]]
        merged = _merge_into(archive_dir, group, max(f.tier for f in group) + 1)
        pool = [f for f in pool if f not in group] + [merged]
        merges += 1


# --- keeping the index up to date -----------------------------------------------------------

@dataclass
class UpdateResult:
    indexed: list[str] = field(default_factory=list)   # WARC names (re)indexed
    entries: int = 0     # index lines they gave
    dissolved: int = 0   # merged files taken apart because a WARC they covered changed
    merges: int = 0
    files: int = 0       # index files afterwards


def _warc_state(warcs_dir: str) -> dict[str, tuple[str, float]]:
    """final name -> (name on disk, mtime) for every WARC, closed or open."""
    state = {}
    for name in warc_files(warcs_dir, include_open=True):
        try:
            mtime = os.stat(os.path.join(warcs_dir, name)).st_mtime
        except FileNotFoundError:
            continue
        final = closed_name(name)
        if final in state:
            continue  # both names exist for a moment: the closed one, sorted first, wins
        state[final] = (name, mtime)
    return state


def _cleanup(archive_dir: str, files: list[IndexFile]) -> list[IndexFile]:
    """Drop what an interrupted merge left: inputs whose WARCs a merged file covers entirely,
    merged files without their list, temporary files."""
    directory = index_dir(archive_dir)
    covered_by_merged: dict[str, int] = {}
    for f in files:
        if f.merged:
            for w in f.covers:
                covered_by_merged[w] = max(covered_by_merged.get(w, 0), f.tier)
    keep = []
    for f in files:
        if all(covered_by_merged.get(w, 0) > f.tier for w in f.covers):
            _remove_index_file(archive_dir, f)
        else:
            keep.append(f)
    listed = {f.name for f in keep}
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if name.startswith(".tmp-") or (name.startswith(MERGED_PREFIX) and name.endswith(SUFFIX)
                                         and name not in listed and not os.path.exists(path + COVERS_SUFFIX)):
            _unlink(path)
        elif name.endswith(COVERS_SUFFIX) and not os.path.exists(path[: -len(COVERS_SUFFIX)]):
            _unlink(path)
    return keep


def update_index(archive_dir: str, merge_at: int = DEFAULT_MERGE_AT) -> UpdateResult:
    """Index the WARCs that have no index (or changed since), then merge per tier.

    Reads no WARC that is already indexed and unchanged: its cost is what was added."""
    result = UpdateResult()
    warcs_dir = warcs_dir_of(archive_dir)
    with _locked(archive_dir):
        legacy = os.path.join(str(archive_dir), "indexes", LEGACY_INDEX)
        if os.path.exists(legacy):
            _unlink(legacy)  # superseded by indexes/cdxj/, which is rebuilt from the WARCs below
        files = _cleanup(archive_dir, list_index_files(archive_dir))
        listed_at = time.time()
        warcs_mtime = _mtime_ns(warcs_dir)  # before the listing: a change after it shows as a new mtime
        warcs = _warc_state(warcs_dir)
        newest: dict[str, float] = {}
        for f in files:
            for w in f.covers:
                newest[w] = max(newest.get(w, 0.0), f.mtime)
        stale = {w for w, (_n, mtime) in warcs.items() if w in newest and mtime > newest[w]}
        for f in [f for f in files if f.merged and stale & set(f.covers)]:
            # a WARC it covers changed: index the others again from their WARCs, then drop it
            for w in f.covers:
                if w in warcs and w not in stale:
                    result.entries += index_warc(archive_dir, os.path.join(warcs_dir, warcs[w][0]))
                    result.indexed.append(w)
            _remove_index_file(archive_dir, f)
            files.remove(f)
            result.dissolved += 1
        todo = [w for w in warcs if w not in newest or w in stale]
        for w in sorted(todo):
            result.entries += index_warc(archive_dir, os.path.join(warcs_dir, warcs[w][0]))
            result.indexed.append(w)
        if result.indexed or result.dissolved:
            files = list_index_files(archive_dir)
        open_names = {w for w, (name, _m) in warcs.items() if name.endswith(OPEN_SUFFIX)}
        result.merges = _compact(archive_dir, files, merge_at, open_names)
        result.files = len(index_paths(archive_dir))
        _stamp(archive_dir, warcs_mtime, listed_at, stampable=bool(warcs) and not open_names)
    return result


# --- knowing, cheaply, that nothing changed --------------------------------------------------

def _mtime_ns(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except FileNotFoundError:
        return None


def _stamp_path(archive_dir: str) -> str:
    return os.path.join(str(archive_dir), "indexes", STAMP)


def _stamp(archive_dir: str, warcs_mtime: int | None, listed_at: float, stampable: bool) -> None:
    """Record both directories' mtimes after a complete update, so ``refresh_index`` can tell
    with two ``stat`` calls that nothing was added, removed or renamed since.

    No stamp for an archive without WARCs (a current stamp proves they are there), nor while a
    WARC is open (it grows without changing the directory), nor when a
    directory changed within ``RACY_SECONDS`` of the listing: a change in the same clock tick
    could leave its mtime equal (git's "racily clean" index entries)."""
    index_mtime = _mtime_ns(index_dir(archive_dir))
    fresh = listed_at - RACY_SECONDS
    try:
        if (not stampable or warcs_mtime is None or index_mtime is None
                or warcs_mtime / 1e9 > fresh or index_mtime / 1e9 > fresh
                or _mtime_ns(warcs_dir_of(archive_dir)) != warcs_mtime):
            forget_index_state(archive_dir)
            return
        _write_atomic(_stamp_path(archive_dir),
                      [json.dumps({"warcs": warcs_mtime, "index": index_mtime}).encode() + b"\n"])
    except OSError:
        pass  # a read-only archive (replay from archival media): no stamp, every refresh lists


def forget_index_state(archive_dir: str) -> None:
    """Make the next ``refresh_index`` look at every WARC again (a WARC was changed in place)."""
    _unlink(_stamp_path(archive_dir))


def index_is_current(archive_dir: str) -> bool:
    """Nothing was added to, removed from or renamed in ``warcs/`` or the index directory since
    the last complete update (and no WARC was open then): two ``stat`` calls and a small read."""
    try:
        with open(_stamp_path(archive_dir), "rb") as fh:
            state = json.loads(fh.read())
        return (state["warcs"] == _mtime_ns(warcs_dir_of(archive_dir))
                and state["index"] == _mtime_ns(index_dir(archive_dir)))
    except (OSError, ValueError, KeyError, TypeError):
        return False


def refresh_index(archive_dir: str, merge_at: int = DEFAULT_MERGE_AT) -> UpdateResult | None:
    """``update_index`` unless the stamp says nothing changed since the last one: what a lookup
    (``show``, ``replay``) and ``newsarchive index`` run, so they never list the WARCs of an
    archive that is up to date. A WARC changed in place without touching its directory (not
    something newsarchive does: ``verify --repair`` forgets the stamp) needs ``update_index``
    or ``index --rebuild``. None when nothing had to be done."""
    if index_is_current(archive_dir):
        return None
    return update_index(archive_dir, merge_at=merge_at)


def compact_index(archive_dir: str) -> int:
    """Merge every index file of closed WARCs into one (on demand); returns the lines written."""
    update_index(archive_dir, merge_at=0)
    with _locked(archive_dir):
        files = list_index_files(archive_dir)
        open_names = {closed_name(n) for n in warc_files(warcs_dir_of(archive_dir)) if n.endswith(OPEN_SUFFIX)}
        closed = [f for f in files if not set(f.covers) & open_names]
        if len(closed) > 1:
            _merge_into(archive_dir, closed, max(f.tier for f in closed) + 1)
    return sum(1 for _ in iter_index(archive_dir))


def rebuild_index(archive_dir: str) -> int:
    """The whole index again from the WARCs alone, as one merged file; returns its lines.

    Built beside the current one and swapped in, so readers never see a partial index."""
    warcs_dir = warcs_dir_of(archive_dir)
    target = index_dir(archive_dir)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with _locked(archive_dir):
        staging = tempfile.mkdtemp(prefix=".rebuild-", dir=os.path.dirname(target))
        try:
            for name in warc_files(warcs_dir, include_open=True):
                lines = warc_index_lines(os.path.join(warcs_dir, name))
                _write_atomic(os.path.join(staging, warc_index_name(name)), lines)
            names = sorted(n for n in os.listdir(staging) if n.endswith(SUFFIX))
            open_names = {closed_name(n) for n in warc_files(warcs_dir) if n.endswith(OPEN_SUFFIX)}
            closed = [n for n in names if n[: -len(SUFFIX)] not in open_names]
            if len(closed) > 1:
                merged = os.path.join(staging, _merged_name(1))
                _write_atomic(merged, merge_files([os.path.join(staging, n) for n in closed]))
                _write_atomic(merged + COVERS_SUFFIX,
                              (f"{n[: -len(SUFFIX)]}\n".encode("utf-8") for n in closed))
                for n in closed:
                    os.unlink(os.path.join(staging, n))
            old = target + ".old"
            if os.path.isdir(target):
                shutil.rmtree(old, ignore_errors=True)
                os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
            _unlink(os.path.join(str(archive_dir), "indexes", LEGACY_INDEX))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return sum(1 for _ in iter_index(archive_dir))


# --- reading --------------------------------------------------------------------------------

def iter_index(archive_dir: str) -> Iterator[bytes]:
    """Every index line of the archive, sorted, each once: the streaming merge of all files.

    Files are opened together first; one removed meanwhile (a merge by another process took it
    in) means the listing is read again, so a concurrent merge never hides lines."""
    for _attempt in range(10):
        handles = []
        try:
            for path in index_paths(archive_dir):
                handles.append(open(path, "rb"))
        except FileNotFoundError:
            for fh in handles:
                fh.close()
            continue
        return _merge_handles(handles)
    raise OSError(f"the index under {index_dir(archive_dir)} kept changing while it was read")


def _merge_handles(handles) -> Iterator[bytes]:
    try:
        yield from _dedup(heapq.merge(*handles))
    finally:
        for fh in handles:
            fh.close()


def parse_line(line: str | bytes) -> dict:
    if isinstance(line, bytes):
        line = line.decode("utf-8")
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


def read_index(archive_dir: str) -> Iterator[dict]:
    """Every entry of the archive, parsed, streamed in index order."""
    return (parse_line(line) for line in iter_index(archive_dir))


READ_CHUNK = 4096  # one pread per bisection step: a CDXJ line is ~300 bytes


def _line_from(fd: int, start: int, size: int) -> bytes:
    """The line starting at ``start``, with its newline (the file's tail if it has none)."""
    chunk = READ_CHUNK
    while True:
        data = os.pread(fd, chunk, start)
        end = data.find(b"\n")
        if end >= 0:
            return data[: end + 1]
        if not data or start + len(data) >= size:
            return data
        chunk *= 4


def _first_line_at(fd: int, pos: int, size: int) -> tuple[int, bytes]:
    """(offset, line) of the first line starting at or after ``pos``; (size, b"") past the last."""
    if pos == 0:
        return (0, _line_from(fd, 0, size)) if size else (0, b"")
    chunk = READ_CHUNK
    while True:
        data = os.pread(fd, chunk, pos - 1)  # from the byte before: is pos itself a line start?
        newline = data.find(b"\n")
        if newline >= 0:
            break
        if not data or pos - 1 + len(data) >= size:
            return size, b""
        chunk *= 4
    start = pos + newline
    if start >= size:
        return size, b""
    end = data.find(b"\n", newline + 1)
    return start, (data[newline + 1: end + 1] if end >= 0 else _line_from(fd, start, size))


def bisect_file(fd: int, size: int, target: bytes) -> int:
    """Offset of the first line >= ``target`` in a sorted file: O(log size) reads of one block
    (``os.pread`` on a descriptor: no buffered reader to seek, refill and throw away)."""
    lo, hi = 0, size
    while lo < hi:
        mid = (lo + hi) // 2
        start, line = _first_line_at(fd, mid, size)
        if start >= size or line >= target:
            hi = mid
        else:
            lo = start + 1  # every position from mid to start leads to this same line
    return _first_line_at(fd, lo, size)[0]


def lines_with_prefix(path: str, prefix: bytes) -> list[bytes]:
    """The lines of a sorted file that start with ``prefix``, found by bisection."""
    found = []
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        pos = bisect_file(fd, size, prefix)
        while pos < size:
            line = _line_from(fd, pos, size)
            if not line.startswith(prefix):
                break
            found.append(line)
            pos += len(line)
    finally:
        os.close(fd)
    return found


def captures(archive_dir: str, url: str) -> list[dict]:
    """All index entries for a URL (same SURT key), oldest first: a bisection in each file."""
    prefix = (url_key(url) + " ").encode("utf-8")
    for _attempt in range(10):
        lines = []
        try:
            for path in index_paths(archive_dir):
                lines.extend(lines_with_prefix(path, prefix))
        except FileNotFoundError:
            continue  # merged away meanwhile: list again (see iter_index)
        return [parse_line(line) for line in _dedup(sorted(lines))]
    raise OSError(f"the index under {index_dir(archive_dir)} kept changing while it was read")


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


def unindexed_warcs(archive_dir: str) -> list[str]:
    """WARCs (final names) no index file covers, or changed since they were indexed."""
    files = list_index_files(archive_dir)
    newest: dict[str, float] = {}
    for f in files:
        for w in f.covers:
            newest[w] = max(newest.get(w, 0.0), f.mtime)
    return [w for w, (_n, mtime) in sorted(_warc_state(warcs_dir_of(archive_dir)).items())
            if w not in newest or mtime > newest[w]]
