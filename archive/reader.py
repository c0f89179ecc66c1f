"""Reading WARC records back by (filename, offset), and walking all records of an archive.

Readers never need the database: a pointer is a file name under ``ARCHIVE/warcs`` plus the
offset of the gzip member. A file still being written carries ``.open``, so lookups fall back
to that name.
"""

from __future__ import annotations

import gzip
import os
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

from archive.warc_records import dechunk, is_chunked, parse_head, split_http_block

OPEN_SUFFIX = ".open"
HTTP_TYPES = ("response", "request", "revisit")


class RecordNotFound(Exception):
    """A pointer that does not lead to a readable record."""


@dataclass
class StoredRecord:
    """One record fully loaded: WARC headers, the block as stored, and HTTP parts when HTTP."""

    rec_type: str
    rec_headers: StatusAndHeaders
    block: bytes
    http_headers: StatusAndHeaders | None = None
    payload: bytes = b""  # the HTTP body as stored (after the head), or the whole block

    @property
    def record_id(self) -> str:
        return self.rec_headers.get_header("WARC-Record-ID") or ""

    @property
    def url(self) -> str:
        return self.rec_headers.get_header("WARC-Target-URI") or ""

    @property
    def date(self) -> str:
        return self.rec_headers.get_header("WARC-Date") or ""

    @property
    def head(self) -> bytes:
        return self.block[: len(self.block) - len(self.payload)] if self.http_headers else b""

    @property
    def status(self) -> int | None:
        if self.http_headers is None or self.rec_type == "request":
            return None
        try:
            return int(self.http_headers.get_statuscode())
        except (TypeError, ValueError):
            return None

    def entity(self) -> bytes:
        """The body with transfer encoding removed (still content-encoded)."""
        if self.http_headers is not None:
            _, headers = parse_head(self.head)
            if is_chunked(headers):
                return dechunk(self.payload)
        return self.payload

    def body(self) -> bytes:
        """The body as a browser would see it: de-chunked and content-decoded (gzip/deflate/br)."""
        data = self.entity()
        if self.http_headers is None:
            return data
        encoding = (self.http_headers.get_header("Content-Encoding") or "").strip().lower()
        for coding in reversed([c.strip() for c in encoding.split(",") if c.strip()]):
            data = decode_content(data, coding)
        return data


def decode_content(data: bytes, coding: str) -> bytes:
    if coding in ("identity", ""):
        return data
    if coding in ("gzip", "x-gzip"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return zlib.decompressobj(wbits=47).decompress(data)  # what arrived of a cut-off stream
    if coding == "deflate":
        try:
            return zlib.decompress(data)
        except zlib.error:
            return zlib.decompress(data, -15)
    if coding == "br":
        import brotli

        return brotli.decompress(data)
    raise ValueError(f"unsupported content encoding {coding!r}")


def load_record(rec) -> StoredRecord:
    """Turn a warcio record read with ``no_record_parse=True`` into a StoredRecord."""
    block = rec.raw_stream.read()
    if rec.length is not None and len(block) < int(rec.length):
        raise RecordNotFound(f"truncated record: {len(block)} of {rec.length} bytes")
    stored = StoredRecord(rec.rec_type, rec.rec_headers, block, None, block)
    if rec.rec_type in HTTP_TYPES and block:
        head, body = split_http_block(block)
        try:
            http = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1", "HTTP/2", "HTTP/2.0"], verify=False).parse(
                BytesIO(head)
            )
        except Exception:  # an unparsable head is still stored bytes; keep them as payload
            http = None
        if http is not None:
            stored.http_headers = http
            stored.payload = body
    return stored


def resolve_path(warcs_dir: str, filename: str) -> str:
    """The path of a WARC file, falling back to the ``.open`` name while it is written."""
    path = os.path.join(warcs_dir, filename)
    if os.path.exists(path):
        return path
    if os.path.exists(path + OPEN_SUFFIX):
        return path + OPEN_SUFFIX
    if filename.endswith(OPEN_SUFFIX):
        closed = path[: -len(OPEN_SUFFIX)]
        if os.path.exists(closed):
            return closed
    raise RecordNotFound(f"WARC file not found: {filename}")


def read_record(warcs_dir: str, filename: str, offset: int) -> StoredRecord:
    """The record whose gzip member starts at ``offset`` in ``filename``."""
    path = resolve_path(warcs_dir, filename)
    try:
        with open(path, "rb") as fh:
            fh.seek(int(offset))
            it = ArchiveIterator(fh, no_record_parse=True)
            rec = next(it, None)
            if rec is None:
                raise RecordNotFound(f"no record at {filename}:{offset}")
            return load_record(rec)
    except RecordNotFound:
        raise
    except Exception as exc:
        raise RecordNotFound(f"unreadable record at {filename}:{offset}: {exc}") from exc


@dataclass
class Entry:
    filename: str  # final name (never with .open)
    offset: int
    length: int
    record: StoredRecord


def is_warc_name(name: str, include_open: bool = True) -> bool:
    return name.endswith((".warc.gz", ".warc")) or (
        include_open and name.endswith((".warc.gz" + OPEN_SUFFIX, ".warc" + OPEN_SUFFIX)))


def warc_files(warcs_dir: str, include_open: bool = True) -> list[str]:
    """Names of the WARC files in the directory (``.open`` ones included when asked), sorted."""
    if not os.path.isdir(warcs_dir):
        return []
    return sorted(name for name in os.listdir(warcs_dir) if is_warc_name(name, include_open))


def closed_name(name: str) -> str:
    return name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name


def iter_file(path: str) -> Iterator[Entry]:
    """Records of one file; a ``.open`` file's cut-off last record (a crash) is skipped, not raised."""
    name = closed_name(os.path.basename(path))
    still_open = path.endswith(OPEN_SUFFIX)
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh, no_record_parse=True)
        while True:
            try:
                rec = next(it, None)
                if rec is None:
                    return
                stored = load_record(rec)
                it.read_to_end(rec)
            except Exception:
                if still_open:
                    return  # `newsarchive verify --repair` deals with the tail
                raise
            yield Entry(name, it.get_record_offset(), it.get_record_length(), stored)


def iter_records(warcs_dir: str, include_open: bool = True) -> Iterator[Entry]:
    """Every record of every WARC file in the directory, in file-name (hence time) order."""
    for name in warc_files(warcs_dir, include_open):
        yield from iter_file(os.path.join(warcs_dir, name))


def parse_warc_fields(block: bytes) -> dict:
    """An ``application/warc-fields`` block as ``{name: value}`` (a repeated name: a list of
    values), the inverse of ``warc_records.warc_fields``."""
    fields: dict = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        name, sep, value = line.partition(": ")
        if not sep:
            name, sep, value = line.partition(":")
            if not sep:
                continue
        if name in fields:
            kept = fields[name]
            fields[name] = [*kept, value] if isinstance(kept, list) else [kept, value]
        else:
            fields[name] = value
    return fields


def concurrent_ids(record: StoredRecord) -> list[str]:
    return [v for k, v in record.rec_headers.headers if k.lower() == "warc-concurrent-to"]


def with_capture_metadata(entries) -> Iterator[tuple[Entry, dict | None]]:
    """Every entry, each response or revisit paired with the fields of the ``metadata`` record
    written with it (``archive.signals.capture_metadata``): the first metadata record
    concurrent to it among the records of its group, which follow it (its request, a browser
    capture's resources); None for other entries and for a capture without one."""
    entries = iter(entries)
    pending: list[Entry] = []
    while True:
        entry = pending.pop(0) if pending else next(entries, None)
        if entry is None:
            return
        record = entry.record
        if record.rec_type not in ("response", "revisit"):
            yield entry, None
            continue
        group: list[Entry] = []
        fields = None
        while True:
            follower = pending.pop(0) if pending else next(entries, None)
            if follower is None:
                break
            group.append(follower)
            if record.record_id not in concurrent_ids(follower.record):
                break
            if follower.record.rec_type == "metadata":
                fields = parse_warc_fields(follower.record.block)
                break
        pending = group + pending
        yield entry, fields
