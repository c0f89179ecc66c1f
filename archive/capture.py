"""The capture: where one fetch (its response, revisit or failure) lies in the WARC files.

Its fields are defined here once, and every capture is one of these objects, from where it is
made to where it is written: the WARC middleware builds it for each exchange it writes and hands
it on in ``request.meta["warc"]`` and with the ``capture_archived`` signal; items carry it
(``PageItem.warc``); the dataset writer takes it; the offline rebuild (``crawler/reextract.py``)
builds it from each record it reads (``from_record``), so the two cannot drift apart. It becomes
other things only at the edges: SQL values (``crawler/dataset/captures.py``, which also reads it
back from a row), JSON (``to_dict``/``from_dict``: the scale-out request queue, test reports).
It is immutable, so no component can change what another one reads.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Capture:
    url: str
    status: int | None            # None for a failed fetch
    mime: str | None              # Content-Type without parameters, lower-cased
    fetched_at: str               # WARC-Date, ISO 8601 UTC
    # where the record lies; all None only for a fetch that is not in the WARC (``not_archived``)
    filename: str | None          # final file name (never with .open), relative to ARCHIVE/warcs/
    offset: int | None            # of the gzip member holding the record
    length: int | None
    record_id: str | None         # WARC-Record-ID of the response, revisit or (failure) metadata record
    payload_digest: str | None = None
    revisit: bool = False
    refers_to: dict | None = None  # a revisit's original: {"record_id", "url", "date"}
    ip: str | None = None
    error: str | None = None      # what failed, for a failed fetch
    truncated: str | None = None  # WARC-Truncated: why the response was cut (length, time, disconnect)
    request_record_id: str | None = None  # the request record it is concurrent to

    @classmethod
    def not_archived(cls, url: str, fetched_at: str | None) -> Capture:
        """A page fetched but not written to the WARC (``WARC_ENABLED`` off): the dataset still
        records the fetch, with no pointer."""
        return cls(url=url, status=None, mime=None, fetched_at=fetched_at, filename=None, offset=None,
                   length=None, record_id=None)

    def to_dict(self) -> dict:
        """Plain values, for JSON (the keys are the contract in docs/architecture.md)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, values: dict) -> Capture:
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})

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
