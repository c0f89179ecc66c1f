"""Verify an archive end to end, and repair what a crash left behind.

Digests alone cannot catch a body stored decoded under a stale Content-Length, so the HTTP framing
is checked too; and the pointers held by the index and the dataset are followed, because an archive
nobody can navigate is as bad as a corrupt one. The gzip members are walked by hand rather than with
warcio so a truncated tail is located exactly and can be cut off.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from dataclasses import dataclass, field
from typing import Iterator

from archive.warc_records import dechunk, is_chunked, parse_head, sha1_digest, split_http_block
from archive.reader import OPEN_SUFFIX, RecordNotFound, closed_name, read_record, warc_files

CHUNK = 1 << 20
NO_BODY_STATUSES = {204, 304}


@dataclass
class FileResult:
    name: str
    size: int = 0
    records: int = 0
    complete_bytes: int = 0  # end of the last complete gzip member
    truncated_at: int | None = None
    is_open: bool = False
    repaired: bool = False
    cut_bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class VerifyReport:
    archive_dir: str
    files: list[FileResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    index_entries: int = 0
    dataset_rows: int = 0

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def ok(self) -> bool:
        return not self.problems

    def format(self) -> str:
        lines = [f"archive: {self.archive_dir}"]
        for f in self.files:
            state = "ok" if f.ok else "PROBLEM"
            extra = " (open)" if f.is_open else ""
            if f.repaired:
                extra += f" (repaired: {f.cut_bytes} bytes cut)" if f.cut_bytes else " (repaired: closed)"
            lines.append(f"  {state:7} {f.name}{extra}: {f.records} records, {f.size} bytes")
        lines.append(
            f"files: {len(self.files)}  records: {self.records}  bytes: {self.bytes}  "
            f"index entries checked: {self.index_entries}  dataset rows checked: {self.dataset_rows}"
        )
        lines.extend(f"note: {n}" for n in self.notes)
        if self.problems:
            lines.append(f"problems: {len(self.problems)}")
            lines.extend(f"  - {p}" for p in self.problems)
        else:
            lines.append("problems: 0")
        return "\n".join(lines)


def iter_members(fh) -> Iterator[tuple[int, int, bytes, bool]]:
    """(offset, length, decompressed bytes, complete) for each gzip member in the file."""
    offset = 0
    pending = b""
    while True:
        if not pending:
            pending = fh.read(CHUNK)
            if not pending:
                return
        d = zlib.decompressobj(wbits=31)
        out = []
        consumed = 0
        try:
            while True:
                out.append(d.decompress(pending))
                if d.eof:
                    consumed += len(pending) - len(d.unused_data)
                    pending = d.unused_data
                    break
                consumed += len(pending)
                pending = fh.read(CHUNK)
                if not pending:
                    yield offset, consumed, b"".join(out), False
                    return
        except zlib.error:
            yield offset, consumed, b"".join(out), False
            return
        yield offset, consumed, b"".join(out), True
        offset += consumed


def parse_record(data: bytes) -> tuple[dict, bytes, str]:
    """(WARC headers lower-cased, block, problem or "") of one decompressed member."""
    end = data.find(b"\r\n\r\n")
    if end < 0 or not data.startswith(b"WARC/"):
        return {}, b"", "not a WARC record"
    headers = {}
    for line in data[:end].decode("utf-8", "replace").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    try:
        length = int(headers.get("content-length", ""))
    except ValueError:
        return headers, b"", "missing Content-Length"
    block = data[end + 4 : end + 4 + length]
    if len(block) != length:
        return headers, block, f"block shorter than Content-Length ({len(block)} < {length})"
    if data[end + 4 + length :] != b"\r\n\r\n":
        return headers, block, "record not terminated by CRLFCRLF (or more than one record per member)"
    return headers, block, ""


def check_record(headers: dict, block: bytes) -> list[str]:
    """Digest and HTTP-framing problems of one record."""
    problems = []
    rec_type = headers.get("warc-type", "")
    want = headers.get("warc-block-digest")
    if want and want.lower().startswith("sha1:") and sha1_digest(block) != want:
        problems.append(f"block digest mismatch ({want})")
    if rec_type not in ("response", "request"):
        return problems
    head, body = split_http_block(block)
    first, http_headers = parse_head(head)
    chunked = is_chunked(http_headers)
    want = headers.get("warc-payload-digest")
    if want and want.lower().startswith("sha1:"):
        entity = dechunk(body) if chunked else body
        # the spec digests the entity; warcio-style writers digest the raw payload: accept both
        if sha1_digest(entity) != want and sha1_digest(body) != want:
            problems.append(f"payload digest mismatch ({want})")
    if rec_type == "response" and not chunked and not headers.get("warc-truncated"):
        cl = None
        for name, value in http_headers:
            if name.lower() == "content-length":
                cl = value
        parts = first.split()
        status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
        if cl is not None and status >= 200 and status not in NO_BODY_STATUSES:
            try:
                declared = int(cl)
            except ValueError:
                problems.append(f"unparsable HTTP Content-Length {cl!r}")
            else:
                # an empty stored body is what a HEAD response looks like; anything else must match
                if declared != len(body) and body:
                    problems.append(f"HTTP Content-Length {cl} but {len(body)} body bytes stored")
    return problems


def verify_file(path: str, repair: bool = False) -> FileResult:
    name = os.path.basename(path)
    result = FileResult(name=name, size=os.path.getsize(path), is_open=name.endswith(OPEN_SUFFIX))
    first = True
    with open(path, "rb") as fh:
        for offset, length, data, complete in iter_members(fh):
            if not complete:
                result.truncated_at = offset
                result.problems.append(f"{name}: truncated or corrupt gzip member at offset {offset}")
                break
            headers, block, problem = parse_record(data)
            where = f"{name}@{offset}"
            if problem:
                result.problems.append(f"{where}: {problem}")
                result.truncated_at = offset
                break
            if first and headers.get("warc-type") != "warcinfo":
                result.problems.append(f"{where}: first record is {headers.get('warc-type')}, not warcinfo")
            first = False
            result.records += 1
            result.complete_bytes = offset + length
            for p in check_record(headers, block):
                result.problems.append(f"{where} {headers.get('warc-type')} {headers.get('warc-target-uri', '')}: {p}")
    if repair and (result.truncated_at is not None or result.is_open):
        repair_file(path, result)
    return result


def repair_file(path: str, result: FileResult) -> None:
    """Cut the file after its last complete record (the cut bytes kept aside) and close it."""
    if result.truncated_at is not None:
        cut = result.complete_bytes
        with open(path, "r+b") as fh:
            fh.seek(cut)
            tail = fh.read()
            if tail:
                with open(closed_name(path) + ".truncated-tail", "wb") as aside:
                    aside.write(tail)
            fh.truncate(cut)
            fh.flush()
            os.fsync(fh.fileno())
        result.problems = [p for p in result.problems if "truncated" not in p and "not a WARC" not in p
                           and "shorter than" not in p and "not terminated" not in p]
        result.truncated_at = None
        result.cut_bytes = result.size - cut
        result.size = cut
    if result.is_open:
        final = closed_name(path)
        if os.path.exists(final):
            result.problems.append(f"{result.name}: cannot close, {os.path.basename(final)} exists")
            return
        os.replace(path, final)
        result.name = os.path.basename(final)
        result.is_open = False
    result.repaired = True


def check_index(archive_dir: str, report: VerifyReport) -> None:
    """Every entry of the index files (streamed, so memory stays flat) resolves to a record of its
    URL; a WARC no index file covers is a note (`newsarchive index` indexes only those)."""
    from archive.index import index_paths, read_index, unindexed_warcs

    if not index_paths(archive_dir):
        report.notes.append("no CDXJ index yet (run `newsarchive index`)")
        return
    missing = unindexed_warcs(archive_dir)
    if missing:
        report.notes.append(f"{len(missing)} WARC file(s) not indexed or changed since "
                            f"(run `newsarchive index`): {', '.join(missing[:3])}"
                            + (" ..." if len(missing) > 3 else ""))
    warcs_dir = os.path.join(archive_dir, "warcs")
    for entry in read_index(archive_dir):
        report.index_entries += 1
        try:
            rec = read_record(warcs_dir, entry["filename"], entry["offset"])
        except RecordNotFound as exc:
            report.problems.append(f"index entry {entry.get('url')} unreadable: {exc}")
            continue
        if rec.url != entry.get("url"):
            report.problems.append(
                f"index entry {entry.get('url')} points at a record for {rec.url} ({entry['filename']}@{entry['offset']})"
            )


# Tables whose rows point into the WARCs: (table, label column, offset column).
POINTER_TABLES = (("articles", "url", "warc_offset"), ("captures", "url", "warc_offset"))


def check_dataset(archive_dir: str, db_path: str | None, report: VerifyReport) -> None:
    """Follow every WARC pointer the dataset holds (articles and captures) to its record."""
    db_path = db_path or os.path.join(archive_dir, "archive.db")
    if not os.path.exists(db_path):
        report.notes.append("no dataset to check")
        return
    needed = {"warc_filename", "warc_offset", "warc_record_id", "payload_digest"}
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        report.problems.append(f"cannot open dataset {db_path}: {exc}")
        return
    rows = []
    try:
        for table, label, _ in POINTER_TABLES:
            cols = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if not needed <= cols:
                if table == "articles":
                    report.notes.append("dataset has no articles table with WARC pointers; skipped")
                continue
            # A failed fetch (no status) is archived as a metadata record saying why: its capture
            # points there by contract (docs/architecture.md, "The WARC pointer").
            failed = "status IS NULL" if table == "captures" and "status" in cols else "0"
            rows += [(table[:-1], *row) for row in conn.execute(
                f"SELECT {label if label in cols else 'NULL'}, warc_filename, warc_offset, "
                f"warc_record_id, payload_digest, {failed} FROM {table} WHERE warc_filename IS NOT NULL")]
    except sqlite3.Error as exc:
        report.problems.append(f"cannot read dataset {db_path}: {exc}")
        return
    finally:
        conn.close()
    warcs_dir = os.path.join(archive_dir, "warcs")
    for kind, url, filename, offset, record_id, digest, failed in rows:
        report.dataset_rows += 1
        label = f"{kind} {url or record_id}"
        try:
            rec = read_record(warcs_dir, filename, int(offset))
        except (RecordNotFound, TypeError, ValueError) as exc:
            report.problems.append(f"{label}: WARC pointer does not resolve: {exc}")
            continue
        if rec.rec_type not in ("response", "revisit") and not (failed and rec.rec_type == "metadata"):
            report.problems.append(f"{label}: points at a {rec.rec_type} record, not a response")
        elif record_id and rec.record_id != record_id:
            report.problems.append(f"{label}: record id {rec.record_id} != {record_id}")
        elif digest and rec.rec_headers.get_header("WARC-Payload-Digest") != digest:
            report.problems.append(f"{label}: payload digest differs from the record's")


def verify_archive(archive_dir: str, repair: bool = False, db_path: str | None = None) -> VerifyReport:
    """Check files, records, the index and the dataset's pointers; with ``repair`` fix crash damage."""
    report = VerifyReport(archive_dir=str(archive_dir))
    warcs_dir = os.path.join(archive_dir, "warcs")
    names = warc_files(warcs_dir, include_open=True)
    if not names:
        report.notes.append(f"no WARC files under {warcs_dir}")
    for name in names:
        result = verify_file(os.path.join(warcs_dir, name), repair=repair)
        report.files.append(result)
        report.problems.extend(result.problems)
        if result.is_open:
            report.notes.append(f"{result.name} is still open (a crawl is running, or one crashed: --repair closes it)")
    if any(result.repaired for result in report.files):
        from archive.index import forget_index_state

        forget_index_state(archive_dir)  # a WARC changed in place: the next refresh looks again
    check_index(archive_dir, report)
    check_dataset(archive_dir, db_path, report)
    return report


def verify_files(archive_dir: str, paths: list) -> VerifyReport:
    """Check only the given WARC files (what one crawl wrote): integrity and digests, no repair."""
    report = VerifyReport(archive_dir=str(archive_dir))
    for path in paths:
        path = str(path)
        if not os.path.exists(path) and os.path.exists(path + OPEN_SUFFIX):
            path += OPEN_SUFFIX
        if not os.path.exists(path):
            report.problems.append(f"{os.path.basename(path)}: file missing")
            continue
        result = verify_file(path)
        report.files.append(result)
        report.problems.extend(result.problems)
    return report
