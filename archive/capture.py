"""The capture: where one fetch (its response, revisit or failure) lies in the WARC files.

Its fields are defined here once, and every capture is built from this class: by the WARC
middleware for each exchange it writes and by the offline rebuild (``crawler/reextract.py``) for
each record it reads (``from_record``), so the two cannot drift apart. It travels as a plain dict
(``to_dict()``; the keys are the contract in docs/architecture.md) in ``request.meta["warc"]``, in
items, with the ``capture_archived`` signal and into the dataset, because items cross into the page
pool's processes and the dataset binds the values into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Capture:
    url: str
    status: int | None            # None for a failed fetch
    mime: str | None              # Content-Type without parameters, lower-cased
    fetched_at: str               # WARC-Date, ISO 8601 UTC
    filename: str                 # final file name (never with .open), relative to ARCHIVE/warcs/
    offset: int                   # of the gzip member holding the record
    length: int
    record_id: str                # WARC-Record-ID of the response, revisit or (failure) metadata record
    payload_digest: str | None = None
    revisit: bool = False
    refers_to: dict | None = None  # a revisit's original: {"record_id", "url", "date"}
    ip: str | None = None
    error: str | None = None      # what failed, for a failed fetch
    truncated: str | None = None  # WARC-Truncated: why the response was cut (length, time, disconnect)
    request_record_id: str | None = None  # the request record it is concurrent to

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_record(cls, record, filename: str, offset: int, length: int) -> Capture:
        """The capture of a response or revisit record read back from a WARC file (warcio)."""
        headers = record.rec_headers
        refers = None
        if record.rec_type == "revisit":
            refers = {"record_id": headers.get_header("WARC-Refers-To"),
                      "url": headers.get_header("WARC-Refers-To-Target-URI"),
                      "date": headers.get_header("WARC-Refers-To-Date")}
        ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
        return cls(url=record.url, status=record.status,
                   mime=ctype.split(";")[0].strip().lower() if ctype else None,
                   fetched_at=headers.get_header("WARC-Date") or "", filename=filename, offset=offset,
                   length=length, record_id=record.record_id,
                   payload_digest=headers.get_header("WARC-Payload-Digest"),
                   revisit=record.rec_type == "revisit", refers_to=refers,
                   ip=headers.get_header("WARC-IP-Address"),
                   truncated=headers.get_header("WARC-Truncated"),
                   request_record_id=headers.get_header("WARC-Concurrent-To"))
