"""Record building without a crawl: digests per the WARC spec, revisit and metadata shapes."""

import base64
import gzip
import hashlib

from archive import warc_records as R
from archive.dedup import DigestIndex
from archive.reader import iter_records, read_record
from archive.writer import WarcFileWriter


def sha1(data):
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


CHUNKED = (b"HTTP/1.1 200 All Good\r\ntransfer-encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
           b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n")


def test_payload_digest_removes_chunking_but_keeps_content_encoding():
    assert R.payload_digest(CHUNKED) == sha1(b"hello world")
    gz = gzip.compress(b"<html>x</html>", mtime=0)
    block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n%s" % (len(gz), gz)
    assert R.payload_digest(block) == sha1(gz)  # the digest is over the still-gzipped entity
    assert R.payload_digest(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n") == sha1(b"")


def test_blocks_are_written_byte_for_byte_and_read_back(tmp_path):
    writer = WarcFileWriter(tmp_path, warcinfo=R.warcinfo_fields(capture_mode="wire", operator="ops"))
    resp = R.http_record("response", "http://a.test/", CHUNKED, ip="10.0.0.1", truncated="length")
    req = R.http_record("request", "http://a.test/", b"GET / HTTP/1.1\r\nhost:  a.test\r\n\r\n",
                        concurrent_to=resp.record_id)
    p_resp, p_req = writer.write([resp, req])
    meta = writer.write_record(R.metadata_record("http://a.test/", {"outlink": ["http://b/", "http://c/"]},
                                                 concurrent_to=resp.record_id))
    writer.close()
    got = read_record(tmp_path, p_resp["filename"], p_resp["offset"])
    assert got.block == CHUNKED and got.record_id == resp.record_id
    assert got.rec_headers.get_header("WARC-IP-Address") == "10.0.0.1"
    assert got.rec_headers.get_header("WARC-Truncated") == "length"
    assert got.rec_headers.get_header("WARC-Payload-Digest") == sha1(b"hello world")
    assert got.status == 200 and got.entity() == b"hello world"
    assert len(got.rec_headers.get_header("WARC-Date")) == len("2026-11-24T02:19:00.123456Z")
    got_req = read_record(tmp_path, p_req["filename"], p_req["offset"])
    assert got_req.block == b"GET / HTTP/1.1\r\nhost:  a.test\r\n\r\n"
    assert got_req.rec_headers.get_header("WARC-Concurrent-To") == resp.record_id
    got_meta = read_record(tmp_path, meta["filename"], meta["offset"])
    assert got_meta.block == b"outlink: http://b/\r\noutlink: http://c/\r\n"
    entries = list(iter_records(tmp_path))
    assert entries[0].record.rec_type == "warcinfo"
    info = entries[0].record.block.decode()
    for line in ("capture-mode: wire", "operator: ops", "format: WARC File Format 1.1", "software: newsarchive/"):
        assert line in info
    assert [e.offset for e in entries[1:]] == [p_resp["offset"], p_req["offset"], meta["offset"]]


def test_revisit_record_holds_headers_and_points_at_original():
    block = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    rec = R.revisit_record("http://a/", block, refers_to_id="<urn:uuid:x>", refers_to_url="http://a/",
                           refers_to_date="2026-01-01T00:00:00.000000Z")
    headers = dict(rec.headers)
    assert rec.block == b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    assert headers["WARC-Profile"] == R.REVISIT_PROFILE
    assert headers["WARC-Payload-Digest"] == sha1(b"hello")
    assert headers["WARC-Refers-To"] == "<urn:uuid:x>"
    assert headers["WARC-Refers-To-Date"] == "2026-01-01T00:00:00.000000Z"


def test_digest_index_sees_its_own_unflushed_writes(tmp_path):
    index = DigestIndex(tmp_path / "archive.db", batch_size=1000)
    index.add("http://a/", "sha1:A", "<urn:uuid:1>", "2026-01-01T00:00:00.000000Z", "f.warc.gz", 10)
    assert index.latest("http://a/")["payload_digest"] == "sha1:A"
    index.add("http://a/", "sha1:B", "<urn:uuid:2>", "2026-01-02T00:00:00.000000Z", "f.warc.gz", 20)
    index.close()
    again = DigestIndex(tmp_path / "archive.db")
    assert again.latest("http://a/")["record_id"] == "<urn:uuid:2>"
    assert again.count() == 2  # history is kept, the latest wins
    assert again.latest("http://b/") is None
    again.close()


def test_verify_catches_a_decoded_body_under_a_stale_content_length(tmp_path):
    """Digests pass on such a record; the framing check must not."""
    from archive.verify import verify_archive

    warcs = tmp_path / "warcs"
    writer = WarcFileWriter(warcs)
    block = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n<html>decoded body longer than twelve</html>"
    writer.write([R.http_record("response", "http://a.test/", block)])
    writer.close()
    report = verify_archive(str(tmp_path))
    assert report.problems and "HTTP Content-Length 12 but 44 body bytes stored" in report.problems[0]


def test_middleware_is_off_when_warc_disabled_and_registers_itself_otherwise(tmp_path):
    import pytest
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from archive.middleware import WarcWriterMiddleware, warc_writer

    with pytest.raises(NotConfigured):
        WarcWriterMiddleware.from_crawler(get_crawler(settings_dict={"WARC_ENABLED": False}))
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE_DIR": str(tmp_path)})
    mw = WarcWriterMiddleware.from_crawler(crawler)
    assert warc_writer(crawler) is mw and mw.warc_dir == str(tmp_path / "warcs")
    assert not (tmp_path / "warcs").exists()  # nothing is created before the spider opens


def test_record_ids_are_unique_uuid4_urns_also_after_a_fork():
    import os
    import uuid

    ids = [R.new_record_id() for _ in range(1000)]  # crosses a refill of the random buffer
    assert len(set(ids)) == 1000
    for rid in ids[:50]:
        assert rid.startswith("<urn:uuid:") and rid.endswith(">")
        parsed = uuid.UUID(rid[len("<urn:uuid:"):-1])
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child draws from its own randomness, not the parent's buffer
        os.write(write, "\n".join(R.new_record_id() for _ in range(20)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as fh:
        child = set(fh.read().split("\n"))
    parent = {R.new_record_id() for _ in range(20)}
    assert len(child) == 20 and not child & parent


def test_a_capture_is_paired_with_the_metadata_record_written_with_it(tmp_path):
    from archive.reader import parse_warc_fields, with_capture_metadata

    writer = WarcFileWriter(tmp_path)
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
    first = R.http_record("response", "http://a.test/1", ok)
    fields = {"found-by": "sitemap", "depth": 1, "news-title": "A: b", "outlink": ["x", "y"]}
    writer.write([first, R.http_record("request", "http://a.test/1", b"GET /1 HTTP/1.1\r\n\r\n",
                                       concurrent_to=first.record_id),
                  R.metadata_record("http://a.test/1", fields, concurrent_to=first.record_id)])
    # a capture without one, then a metadata record of the first written later: not its own
    second = R.http_record("response", "http://a.test/2", ok)
    writer.write([second])
    writer.write_record(R.metadata_record("http://a.test/1", {"extraction-status": "ok"},
                                          concurrent_to=first.record_id))
    writer.close()
    paired = [(e.record.rec_type, e.record.url, f) for e, f in with_capture_metadata(iter_records(tmp_path))]
    assert [t for t, _, _ in paired] == ["warcinfo", "response", "request", "metadata", "response", "metadata"]
    assert paired[1][2] == {"found-by": "sitemap", "depth": "1", "news-title": "A: b", "outlink": ["x", "y"]}
    assert paired[4][2] is None and all(f is None for t, _, f in paired if t != "response")
    assert parse_warc_fields(R.warc_fields(fields)) == paired[1][2]
