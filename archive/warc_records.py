"""WARC/1.1 records built from raw HTTP blocks.

The block is written byte for byte as given: warcio would re-serialise parsed HTTP headers
(normalising spacing and case), which defeats wire capture, so records are assembled here with
their digests precomputed and handed to warcio only for framing and gzip.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

WARC_VERSION = "WARC/1.1"
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
CT_RESPONSE = "application/http; msgtype=response"
CT_REQUEST = "application/http; msgtype=request"
CT_FIELDS = "application/warc-fields"


def warc_date(when: datetime | None = None) -> str:
    """Microseconds, because a crawl fetches many URLs per second and replay orders by date."""
    when = when or datetime.now(timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_random = bytearray()
os.register_at_fork(after_in_child=_random.clear)  # a forked child must not repeat the parent's ids


def new_record_id() -> str:
    """A random (version 4) UUID URN, as ``uuid.uuid4()`` makes, from a buffer of ``os.urandom``
    refilled every 256 ids: one system call per id releases the GIL three times per page, and on a
    busy crawler every release can cost a wait for the pool's threads to give it back."""
    if len(_random) < 16:
        _random.extend(os.urandom(4096))
    raw = _random[-16:]
    del _random[-16:]
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


def sha1_digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def split_http_block(block: bytes) -> tuple[bytes, bytes]:
    """(head including the blank line, body). A block without a blank line is all head."""
    end = block.find(b"\r\n\r\n")
    if end >= 0:
        return block[: end + 4], block[end + 4 :]
    end = block.find(b"\n\n")  # tolerate bare-LF servers
    if end >= 0:
        return block[: end + 2], block[end + 2 :]
    return block, b""


def parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    """Status/request line and header list, tolerant of odd bytes (latin-1 never fails)."""
    lines = head.decode("latin-1").replace("\r\n", "\n").split("\n")
    first = lines[0] if lines else ""
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:  # obsolete line folding
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
            continue
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return first, headers


def header_value(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def is_chunked(headers: list[tuple[str, str]]) -> bool:
    te = ",".join(v for k, v in headers if k.lower() == "transfer-encoding")
    return "chunked" in te.lower()


def dechunk(body: bytes) -> bytes:
    """Remove chunk framing (extensions and trailers included); a cut-off tail keeps what arrived."""
    out = bytearray()
    pos = 0
    n = len(body)
    while pos < n:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            break
        size_field = body[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_field, 16)
        except ValueError:
            # not chunked after all: keep the rest as it is
            out += body[pos:]
            break
        pos = eol + 2
        if size == 0:
            break
        out += body[pos : pos + size]
        pos += size + 2
    return bytes(out)


def entity_body(http_block: bytes) -> bytes:
    """The entity body per WARC 1.1: transfer encoding removed, content encoding kept."""
    head, body = split_http_block(http_block)
    _, headers = parse_head(head)
    if is_chunked(headers):
        return dechunk(body)
    return body


def payload_digest(http_block: bytes) -> str:
    """Digest of the entity body, so dedup matches records of other spec-following tools."""
    return sha1_digest(entity_body(http_block))


@dataclass
class Record:
    """A record ready to write: WARC headers (ordered) and the exact block bytes."""

    rec_type: str
    headers: list[tuple[str, str]]
    block: bytes
    record_id: str = ""
    date: str = ""
    url: str = ""
    extra: dict = field(default_factory=dict)

    def to_warcio(self) -> ArcWarcRecord:
        rec_headers = StatusAndHeaders("", list(self.headers), protocol=WARC_VERSION)
        rec_headers.replace_header("Content-Length", str(len(self.block)))
        content_type = rec_headers.get_header("Content-Type")
        record = ArcWarcRecord(
            "warc", self.rec_type, rec_headers, BytesIO(self.block), None, content_type, len(self.block)
        )
        record.payload_length = len(self.block)
        return record


def _base_headers(rec_type, url, record_id, date, content_type, block) -> list[tuple[str, str]]:
    headers = [("WARC-Type", rec_type), ("WARC-Record-ID", record_id), ("WARC-Date", date)]
    if url:
        headers.append(("WARC-Target-URI", url))
    headers.append(("Content-Type", content_type))
    headers.append(("WARC-Block-Digest", sha1_digest(block)))
    return headers


def http_record(
    rec_type: str,
    url: str,
    block: bytes,
    *,
    record_id: str | None = None,
    date: str | None = None,
    ip: str | None = None,
    concurrent_to: list[str] | str | None = None,
    truncated: str | None = None,
    extra_headers: list[tuple[str, str]] | None = None,
    digest: str | None = None,
) -> Record:
    """A ``request`` or ``response`` record over the block exactly as stored; *digest* is the
    block's ``payload_digest`` when the caller has it already (hashing a page twice shows)."""
    assert rec_type in ("request", "response")
    record_id = record_id or new_record_id()
    date = date or warc_date()
    ctype = CT_RESPONSE if rec_type == "response" else CT_REQUEST
    headers = _base_headers(rec_type, url, record_id, date, ctype, block)
    digest = digest or payload_digest(block)
    headers.append(("WARC-Payload-Digest", digest))
    if ip:
        headers.append(("WARC-IP-Address", ip))
    for other in [concurrent_to] if isinstance(concurrent_to, str) else (concurrent_to or []):
        headers.append(("WARC-Concurrent-To", other))
    if truncated:
        headers.append(("WARC-Truncated", truncated))
    headers.extend(extra_headers or [])
    return Record(rec_type, headers, block, record_id, date, url, {"payload_digest": digest})


def revisit_record(
    url: str,
    http_block: bytes,
    *,
    refers_to_id: str,
    refers_to_url: str,
    refers_to_date: str,
    digest: str | None = None,
    record_id: str | None = None,
    date: str | None = None,
    ip: str | None = None,
    concurrent_to: list[str] | str | None = None,
    extra_headers: list[tuple[str, str]] | None = None,
) -> Record:
    """An identical-payload-digest revisit: the new response's headers only, pointing at the original."""
    record_id = record_id or new_record_id()
    date = date or warc_date()
    digest = digest or payload_digest(http_block)
    head, _ = split_http_block(http_block)
    headers = _base_headers("revisit", url, record_id, date, CT_RESPONSE, head)
    headers += [
        ("WARC-Payload-Digest", digest),
        ("WARC-Profile", REVISIT_PROFILE),
        ("WARC-Refers-To", refers_to_id),
        ("WARC-Refers-To-Target-URI", refers_to_url),
        ("WARC-Refers-To-Date", refers_to_date),
    ]
    if ip:
        headers.append(("WARC-IP-Address", ip))
    for other in [concurrent_to] if isinstance(concurrent_to, str) else (concurrent_to or []):
        headers.append(("WARC-Concurrent-To", other))
    headers.extend(extra_headers or [])
    return Record("revisit", headers, head, record_id, date, url, {"payload_digest": digest})


def resource_record(
    url: str,
    block: bytes,
    content_type: str,
    *,
    concurrent_to: list[str] | str | None = None,
    record_id: str | None = None,
    date: str | None = None,
    extra_headers: list[tuple[str, str]] | None = None,
) -> Record:
    """A ``resource`` record: content with no HTTP exchange around it (a browser capture's
    rendered DOM or screenshot, under a ``urn:`` target as Browsertrix writes them)."""
    record_id = record_id or new_record_id()
    date = date or warc_date()
    headers = _base_headers("resource", url, record_id, date, content_type, block)
    headers.append(("WARC-Payload-Digest", sha1_digest(block)))
    for other in [concurrent_to] if isinstance(concurrent_to, str) else (concurrent_to or []):
        headers.append(("WARC-Concurrent-To", other))
    headers.extend(extra_headers or [])
    return Record("resource", headers, block, record_id, date, url)


def _head_bytes(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def browser_response_block(status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> bytes:
    """The response a browser handed over: its body is decoded (no content or transfer coding), so
    those headers and the wire length are renamed ``X-Archive-Orig-*`` and the length set anew."""
    lines = [f"HTTP/1.1 {int(status)} {reason}".rstrip()]
    for name, value in headers:
        for part in str(value).split("\n"):  # browsers join repeated headers with newlines
            lower = name.lower()
            if lower == "content-length" and part.strip() == str(len(body)):
                continue  # still true of the decoded body: set below
            if lower in ("content-encoding", "transfer-encoding", "content-length"):
                lines.append(f"X-Archive-Orig-{name}: {part}")
            else:
                lines.append(f"{name}: {part}")
    lines.append(f"Content-Length: {len(body)}")
    return _head_bytes(lines) + body


def browser_request_block(url: str, method: str, headers: list[tuple[str, str]]) -> bytes:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1"]
    if not any(name.lower() == "host" for name, _ in headers):
        lines.append(f"Host: {parts.netloc}")
    lines.extend(f"{name}: {value}" for name, value in headers if not name.startswith(":"))
    return _head_bytes(lines)


def warc_fields(fields: dict) -> bytes:
    """application/warc-fields: one ``name: value`` line per value; lists repeat the name."""
    out = []
    for name, value in fields.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None or item == "":
                continue
            text = str(item).replace("\r", " ").replace("\n", " ")
            out.append(f"{name}: {text}\r\n")
    return "".join(out).encode("utf-8")


def metadata_record(
    url: str,
    fields: dict,
    *,
    concurrent_to: list[str] | str | None = None,
    record_id: str | None = None,
    date: str | None = None,
) -> Record:
    record_id = record_id or new_record_id()
    date = date or warc_date()
    block = warc_fields(fields)
    headers = _base_headers("metadata", url, record_id, date, CT_FIELDS, block)
    for other in [concurrent_to] if isinstance(concurrent_to, str) else (concurrent_to or []):
        headers.append(("WARC-Concurrent-To", other))
    return Record("metadata", headers, block, record_id, date, url)


def warcinfo_record(filename: str, info: dict, *, date: str | None = None) -> Record:
    record_id = new_record_id()
    date = date or warc_date()
    block = warc_fields(info)
    headers = [
        ("WARC-Type", "warcinfo"),
        ("WARC-Record-ID", record_id),
        ("WARC-Date", date),
        ("WARC-Filename", filename),
        ("Content-Type", CT_FIELDS),
        ("WARC-Block-Digest", sha1_digest(block)),
    ]
    return Record("warcinfo", headers, block, record_id, date, "")


def software_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist, label in (("newsarchive", "newsarchive"), ("scrapy", "Scrapy"), ("warcio", "warcio")):
        try:
            parts.append(f"{label}/{version(dist)}")
        except PackageNotFoundError:
            continue
    return " ".join(parts)


def warcinfo_fields(
    *,
    operator: str = "",
    contact: str = "",
    job_name: str = "",
    robots: str = "",
    user_agent: str = "",
    capture_mode: str = "rebuilt",
    extra: dict | None = None,
) -> dict:
    """The warcinfo body: who, what and how, for a reader decades from now."""
    fields = {
        "software": software_version(),
        "hostname": socket.gethostname(),
        "operator": operator,
        "contact": contact,
        "isPartOf": job_name,
        "robots": robots,
        "http-header-user-agent": user_agent,
        "format": "WARC File Format 1.1",
        "conformsTo": CONFORMS_TO,
        "capture-mode": capture_mode,
        "description": (
            "HTTP exchanges as sent and received on the socket"
            if capture_mode == "wire"
            else "HTTP exchanges rebuilt from Scrapy's request/response (reason phrase, header case and chunk framing not preserved)"
        ),
    }
    fields.update(extra or {})
    return fields
