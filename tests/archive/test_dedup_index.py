"""Re-crawl dedup by revisit, the CDXJ index, and ``show`` reading captures back through it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.dedup import rebuild_digest_index
from archive.index import iter_index, lookup, read_index, rebuild_index
from archive.reader import iter_records, read_record
from archive.verify import verify_archive
from crawler.cli import main

WARCIO = str(Path(sys.executable).with_name("warcio"))
UNCHANGED = ("/robots.txt", "/", "/gzip", "/chunked", "/plain", "/missing", "/big")


@pytest.mark.slow
def test_second_crawl_writes_revisits_for_unchanged_pages(first_crawl, second_crawl):
    base = second_crawl["url"]
    first = {c["url"]: c for c in first_crawl["result"]["captures"] if c["status"] is not None}
    second = {c["url"]: c for c in second_crawl["result"]["captures"] if c["status"] is not None}
    revisits = sorted(u[len(base):] for u, c in second.items() if c["revisit"])
    assert revisits == sorted(UNCHANGED)
    # /changing changed, /redirect has no payload to deduplicate: stored in full again
    assert not second[base + "/changing"]["revisit"] and not second[base + "/redirect"]["revisit"]
    assert second_crawl["result"]["stats"]["warc/revisits"] == len(UNCHANGED)
    warcs = str(second_crawl["archive"] / "warcs")
    for path in UNCHANGED:
        cap = second[base + path]
        assert cap["refers_to"] == {"record_id": first[base + path]["record_id"], "url": base + path,
                                    "date": first[base + path]["fetched_at"]}
        rec = read_record(warcs, cap["filename"], cap["offset"])
        assert rec.rec_type == "revisit" and rec.record_id == cap["record_id"]
        h = rec.rec_headers
        assert h.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
        assert h.get_header("WARC-Refers-To") == first[base + path]["record_id"]
        assert h.get_header("WARC-Refers-To-Target-URI") == base + path
        assert h.get_header("WARC-Refers-To-Date") == first[base + path]["fetched_at"]
        assert h.get_header("WARC-Payload-Digest") == first[base + path]["payload_digest"]
        assert rec.payload == b"" and rec.http_headers.get_statuscode() in ("200", "404")
    proc = subprocess.run([WARCIO, "check", *map(str, second_crawl["new_files"])], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.slow
def test_index_lists_every_response_and_revisit(second_crawl):
    archive = second_crawl["archive"]
    count = rebuild_index(str(archive))
    lines = [line.decode() for line in iter_index(str(archive))]
    assert lines == sorted(lines) and len(lines) == count
    wanted = {(e.filename, e.offset) for e in iter_records(str(archive / "warcs"))
              if e.record.rec_type in ("response", "revisit")}
    entries = list(read_index(str(archive)))
    assert {(e["filename"], e["offset"]) for e in entries} == wanted
    assert len(entries) == len(wanted) == 18
    assert not [p for p in (archive / "indexes").rglob("*") if ".tmp" in p.name or ".part" in p.name]
    latest = lookup(str(archive), second_crawl["url"] + "/gzip")
    assert latest["mime"] == "warc/revisit"
    oldest = lookup(str(archive), second_crawl["url"] + "/gzip", at="19990101")
    assert oldest["mime"] == "text/html" and oldest["status"] == 200
    assert verify_archive(str(archive)).ok


@pytest.mark.slow
def test_show_prints_the_body_even_of_a_revisit(second_crawl):
    archive = str(second_crawl["archive"])
    runner = CliRunner()
    res = runner.invoke(main, ["show", second_crawl["url"] + "/gzip", "--archive", archive, "--body"])
    assert res.exit_code == 0, res.output
    assert res.stdout_bytes == second_crawl["bodies"]["/gzip"]  # decoded from gzip, via the original
    res = runner.invoke(main, ["show", second_crawl["url"] + "/gzip", "--archive", archive, "--headers"])
    assert res.stdout_bytes.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Encoding: gzip" in res.stdout_bytes
    res = runner.invoke(main, ["show", second_crawl["url"] + "/chunked", "--archive", archive, "--at", "2000"])
    assert res.exit_code == 0
    body = second_crawl["bodies"]["/chunked"]
    head, _, shown = res.stdout_bytes.partition(b"\r\n\r\n")
    assert shown == body
    # the printed head describes the de-chunked body that follows it
    assert b"\r\nContent-Length: %d" % len(body) in head and b"\r\nTransfer-Encoding" not in head
    res = runner.invoke(main, ["show", second_crawl["url"] + "/gzip", "--archive", archive])
    head, _, shown = res.stdout_bytes.partition(b"\r\n\r\n")
    assert shown == second_crawl["bodies"]["/gzip"] and b"X-Archive-Orig-Content-Encoding: gzip" in head
    assert b"\r\nContent-Encoding" not in head and head.endswith(b"Content-Length: %d" % len(shown))
    res = runner.invoke(main, ["show", second_crawl["url"] + "/redirect", "--archive", archive, "--raw"])
    assert res.stdout_bytes.startswith(b"HTTP/1.1 301 Moved Permanently\r\n")
    res = runner.invoke(main, ["show", "http://nowhere.test/", "--archive", archive])
    assert res.exit_code == 1 and res.output.strip() == f"Error: no capture of http://nowhere.test/ in {archive}"
    res = runner.invoke(main, ["index", "--archive", archive])
    assert res.exit_code == 0 and "Indexed 0 captures of 0 WARC file(s) not indexed yet" in res.output
    res = runner.invoke(main, ["index", "--rebuild", "--archive", archive])
    assert res.exit_code == 0 and "Indexed 18 captures" in res.output


@pytest.mark.slow
def test_digest_index_rebuilds_from_the_warcs(second_crawl, tmp_path):
    db = tmp_path / "rebuilt.db"
    rows = rebuild_digest_index(str(second_crawl["archive"]), db_path=str(db))
    assert rows == 11  # 9 responses of the first crawl + /changing and /redirect again
    with sqlite3.connect(db) as conn:
        live = set(conn.execute("SELECT record_id, payload_digest FROM warc_digests"))
    with sqlite3.connect(second_crawl["archive"] / "archive.db") as conn:
        crawled = set(conn.execute("SELECT record_id, payload_digest FROM warc_digests"))
    assert live == crawled


@pytest.mark.slow
def test_wire_capture_dedups_against_rebuilt_captures(first_crawl, warc_site, tmp_path):
    """The payload digest is over the de-chunked entity, so the chunked page matches across modes."""
    import shutil

    from warc_site import run_crawl

    archive = tmp_path / "archive"
    shutil.copytree(first_crawl["archive"], archive)
    result = run_crawl(archive, warc_site.url + "/", WARC_CAPTURE="wire",
                       DOWNLOAD_HANDLERS={"http": "archive.wire.WireHTTPDownloadHandler"})
    caps = {c["url"][len(warc_site.url):]: c for c in result["captures"] if c["status"] is not None}
    assert sorted(p for p, c in caps.items() if c["revisit"]) == sorted(UNCHANGED)
    assert "warc/wire_fallback" not in result["stats"]
    rec = read_record(str(archive / "warcs"), caps["/chunked"]["filename"], caps["/chunked"]["offset"])
    assert rec.http_headers.get_header("Transfer-Encoding") == "chunked"  # as sent, in the revisit's headers
    assert verify_archive(str(archive)).ok


def test_show_makes_a_stored_head_describe_the_decoded_body():
    from crawler.commands.archive import _describing

    head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nContent-Encoding: gzip\r\nContent-Type: text/html\r\n\r\n"
    assert _describing(head, 11) == (
        b"HTTP/1.1 200 OK\r\nX-Archive-Orig-transfer-encoding: chunked\r\n"
        b"X-Archive-Orig-Content-Encoding: gzip\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\n")
    plain = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"
    assert _describing(plain, 11) == plain
