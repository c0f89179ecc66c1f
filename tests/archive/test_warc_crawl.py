"""A real Scrapy crawl through the WARC middleware, and what its WARC files hold."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archive.reader import iter_records, read_record
from archive.verify import verify_archive

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

WARCIO = str(Path(sys.executable).with_name("warcio"))
NAME = re.compile(r"^newsarchive-\d{17}-\d{5}-[A-Za-z0-9._]+\.warc\.gz$")


def records(archive):
    return list(iter_records(str(archive / "warcs")))


def responses(archive):
    return [e for e in records(archive) if e.record.rec_type == "response"]


def test_warcio_check_passes_and_files_are_closed(first_crawl):
    files = sorted((first_crawl["archive"] / "warcs").iterdir())
    assert files and all(NAME.match(f.name) for f in files), [f.name for f in files]
    proc = subprocess.run([WARCIO, "check", "-v", *map(str, files)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert "digest pass" in proc.stdout


def test_one_response_record_per_fetched_url(first_crawl):
    base = first_crawl["url"]
    urls = [e.record.url for e in responses(first_crawl["archive"])]
    expected = {base + p for p in ("/robots.txt", "/", "/gzip", "/chunked", "/redirect", "/plain",
                                   "/missing", "/changing", "/big")}
    assert sorted(urls) == sorted(expected)  # each exactly once; /private/ (robots) never
    assert first_crawl["hits"].get("/private/secret", 0) == 0


def test_gzip_body_kept_compressed_with_matching_length(first_crawl):
    rec = next(e.record for e in responses(first_crawl["archive"]) if e.record.url.endswith("/gzip"))
    assert rec.http_headers.get_header("Content-Encoding") == "gzip"
    assert int(rec.http_headers.get_header("Content-Length")) == len(rec.payload)
    assert gzip.decompress(rec.payload) == first_crawl["bodies"]["/gzip"]
    assert rec.body() == first_crawl["bodies"]["/gzip"]


def test_chunked_body_stored_dechunked_with_a_correct_length(first_crawl):
    rec = next(e.record for e in responses(first_crawl["archive"]) if e.record.url.endswith("/chunked"))
    assert rec.http_headers.get_header("Transfer-Encoding") is None
    assert rec.payload == first_crawl["bodies"]["/chunked"]
    assert int(rec.http_headers.get_header("Content-Length")) == len(rec.payload)


def test_redirect_and_error_statuses_are_archived(first_crawl):
    by_url = {e.record.url: e.record for e in responses(first_crawl["archive"])}
    base = first_crawl["url"]
    assert by_url[base + "/redirect"].status == 301
    assert by_url[base + "/redirect"].http_headers.get_header("Location") == "/plain"
    assert by_url[base + "/missing"].status == 404
    assert by_url[base + "/robots.txt"].payload == b"User-agent: *\nDisallow: /private/\n"


def test_requests_are_linked_to_responses_and_carry_what_was_sent(first_crawl):
    entries = records(first_crawl["archive"])
    by_id = {e.record.record_id: e for e in entries}
    for resp in (e for e in entries if e.record.rec_type == "response"):
        req_id = resp.record.rec_headers.get_header("WARC-Concurrent-To")
        req = by_id[req_id]
        assert req.record.rec_type == "request" and req.filename == resp.filename
        assert req.record.rec_headers.get_header("WARC-Concurrent-To") == resp.record.record_id
        assert resp.record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
        head = req.record.block.decode("latin-1")
        assert head.startswith("GET /")
        assert "\r\nHost: 127.0.0.1:" in head
        assert "\r\nAccept-Encoding: gzip, deflate\r\n" in head


def test_meta_pointers_and_signal_captures_read_back_their_own_record(first_crawl):
    warcs = str(first_crawl["archive"] / "warcs")
    result = first_crawl["result"]
    ok = [c for c in result["captures"] if c["status"] is not None]
    assert len(ok) == 9
    # callbacks: 404 is dropped by HttpError; after the redirect the pointer is the target's own
    assert sorted(p["url"].rsplit("/", 1)[1] for p in result["pointers"]) == [
        "", "big", "changing", "chunked", "gzip", "plain"]
    for capture in ok + result["pointers"]:
        assert not capture["filename"].endswith(".open")
        rec = read_record(warcs, capture["filename"], capture["offset"])
        assert rec.record_id == capture["record_id"]
        assert rec.url == capture["url"]
        assert rec.rec_headers.get_header("WARC-Payload-Digest") == capture["payload_digest"]
        assert rec.status == capture["status"]
        assert capture["revisit"] is False and capture["refers_to"] is None
        assert capture["fetched_at"] == rec.date
    gz = next(c for c in ok if c["url"].endswith("/gzip"))
    assert gz["mime"] == "text/html" and gz["ip"] == "127.0.0.1"


def test_the_rebuild_reads_back_the_capture_the_crawl_sent(first_crawl):
    """One Capture class builds both (issue 16): every key, truncated and request_record_id too."""
    from archive.reader import iter_file
    from crawler.reextract import capture_of

    warcs = first_crawl["archive"] / "warcs"
    sent = {c["record_id"]: {k: v for k, v in c.items() if k != "response_is_none"}
            for c in first_crawl["result"]["captures"] if c["status"] is not None}
    read = {}
    for name in sorted({c["filename"] for c in sent.values()}):
        for entry in iter_file(str(warcs / name)):
            if entry.record.record_id in sent:
                read[entry.record.record_id] = capture_of(entry).to_dict()
    assert read == sent
    assert all(c["request_record_id"] for c in read.values())


def test_failed_fetch_is_a_metadata_record_and_a_signal(first_crawl):
    warcs = str(first_crawl["archive"] / "warcs")
    failed = [c for c in first_crawl["result"]["captures"] if c["status"] is None]
    refused = [c for c in failed if c["url"].endswith("/refused")]
    assert len(refused) == 1 and refused[0]["response_is_none"]
    assert "ConnectionRefused" in refused[0]["error"]
    rec = read_record(warcs, refused[0]["filename"], refused[0]["offset"])
    assert rec.rec_type == "metadata"
    text = rec.block.decode()
    assert "fetch-status: failed" in text and "error-class: scrapy.exceptions.DownloadConnectionRefusedError" in text
    assert first_crawl["result"]["stats"]["warc/failures"] == len(failed)


def test_verify_passes_on_a_fresh_crawl(first_crawl):
    report = verify_archive(str(first_crawl["archive"]))
    assert report.ok, report.format()
    assert report.records == len(records(first_crawl["archive"]))


def test_write_metadata_from_the_crawl_lands_next_to_the_response(first_crawl):
    warcs = str(first_crawl["archive"] / "warcs")
    [meta] = first_crawl["result"]["metadata"]
    rec = read_record(warcs, meta["filename"], meta["offset"])
    assert rec.rec_type == "metadata" and rec.record_id == meta["record_id"]
    assert rec.rec_headers.get_header("WARC-Concurrent-To") == meta["concurrent_to"]
    assert rec.rec_headers.get_header("Content-Type") == "application/warc-fields"
    assert rec.block == b"outlink: http://x.test/1\r\noutlink: http://x.test/2\r\nextraction-status: ok\r\n"
