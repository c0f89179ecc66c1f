"""Rotation at a tiny WARC_MAX_SIZE, the wire-mode fallback, and crash detection and repair."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.reader import iter_file, iter_records
from archive.verify import verify_archive
from crawler.cli import main
from warc_site import run_crawl

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

WARCIO = str(Path(sys.executable).with_name("warcio"))


@pytest.fixture(scope="module")
def rotated(warc_site, tmp_path_factory):
    archive = tmp_path_factory.mktemp("rot") / "archive"
    # wire mode asked for, but Scrapy's own download handler: no wire bytes, so every exchange
    # falls back to rebuilt records, and says so
    scrapy_handler = "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"
    result = run_crawl(archive, warc_site.url + "/", WARC_MAX_SIZE=3000, WARC_CAPTURE="wire",
                       WARC_DEDUP=False, WARC_PREFIX="rot", WARC_WORKER_ID="w2",
                       DOWNLOAD_HANDLERS={"http": scrapy_handler, "https": scrapy_handler})
    return archive, result


def test_rotation_makes_several_files_each_starting_with_warcinfo(rotated):
    archive, result = rotated
    files = sorted((archive / "warcs").iterdir())
    assert len(files) >= 4 and all(f.name.endswith("-w2.warc.gz") and f.name.startswith("rot-") for f in files)
    assert result["stats"]["warc/files"] == len(files)
    serials = [f.name.split("-")[2] for f in files]
    assert sorted(serials) == [f"{i:05d}" for i in range(len(files))]
    for f in files:
        entries = list(iter_file(str(f)))
        assert entries[0].record.rec_type == "warcinfo"
        assert entries[0].record.rec_headers.get_header("WARC-Filename") == f.name
        assert sum(e.record.rec_type == "warcinfo" for e in entries) == 1
    # a response and its request always share a file
    where = {e.record.record_id: e.filename for e in iter_records(str(archive / "warcs"))}
    for e in iter_records(str(archive / "warcs")):
        if e.record.rec_type == "response":
            assert where[e.record.rec_headers.get_header("WARC-Concurrent-To")] == e.filename
    assert not (archive / "archive.db").exists()  # WARC_DEDUP off: no digest index
    proc = subprocess.run([WARCIO, "check", *map(str, files)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_wire_mode_without_wire_data_falls_back_and_says_so(rotated):
    archive, result = rotated
    responses = [e.record for e in iter_records(str(archive / "warcs")) if e.record.rec_type == "response"]
    assert result["stats"]["warc/wire_fallback"] == len(responses) == 9
    assert all(r.rec_headers.get_header("WARC-Capture-Mode") == "rebuilt" for r in responses)
    info = next(iter_records(str(archive / "warcs"))).record.block.decode()
    assert "capture-mode: wire" in info


def crash_copy(rotated, tmp_path, cut):
    """A copy of the archive whose last file is left .open with its last record cut short."""
    archive = tmp_path / "archive"
    shutil.copytree(rotated[0], archive)
    last = sorted((archive / "warcs").iterdir())[-1]
    entries = list(iter_file(str(last)))
    opened = last.with_name(last.name + ".open")
    last.rename(opened)
    with open(opened, "r+b") as fh:
        fh.truncate(entries[-1].offset + cut)
    return archive, opened, entries


def test_truncated_open_file_is_detected_and_repaired(rotated, tmp_path):
    archive, opened, entries = crash_copy(rotated, tmp_path, cut=25)
    # readers skip the record in flight of a crashed .open file instead of failing or returning half of it
    assert [e.record.record_id for e in iter_file(str(opened))] == [e.record.record_id for e in entries[:-1]]
    report = verify_archive(str(archive))
    assert not report.ok
    assert any(f"truncated or corrupt gzip member at offset {entries[-1].offset}" in p for p in report.problems)
    res = CliRunner().invoke(main, ["verify", "--archive", str(archive)])
    assert res.exit_code == 1 and "problems: 1" in res.output and res.output.strip().endswith("found in " + str(archive))

    res = CliRunner().invoke(main, ["verify", "--archive", str(archive), "--repair"])
    assert res.exit_code == 0, res.output
    closed = opened.with_name(opened.name[: -len(".open")])
    assert closed.exists() and not opened.exists()
    assert closed.stat().st_size == entries[-1].offset
    assert opened.with_name(closed.name + ".truncated-tail").stat().st_size == 25  # cut bytes kept aside
    survivors = list(iter_file(str(closed)))
    assert [e.record.record_id for e in survivors] == [e.record.record_id for e in entries[:-1]]
    assert verify_archive(str(archive)).ok
    proc = subprocess.run([WARCIO, "check", str(closed)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_corrupted_body_fails_the_digest_check(rotated, tmp_path):
    archive = tmp_path / "archive"
    shutil.copytree(rotated[0], archive)
    import gzip as gz

    f = sorted((archive / "warcs").iterdir())[1]
    entries = list(iter_file(str(f)))
    target = next(e for e in entries if e.record.rec_type == "response" and e.record.payload)
    data = f.read_bytes()
    member = gz.decompress(data[target.offset : target.offset + target.length])
    tampered = member.replace(target.record.payload[-20:], b"X" * 20)
    f.write_bytes(data[: target.offset] + gz.compress(tampered) + data[target.offset + target.length :])
    report = verify_archive(str(archive))
    assert any("block digest mismatch" in p for p in report.problems)
    assert any("payload digest mismatch" in p for p in report.problems)


def test_dataset_pointers_are_checked(rotated, tmp_path):
    import sqlite3

    archive = tmp_path / "archive"
    shutil.copytree(rotated[0], archive)
    resp = [e for e in iter_records(str(archive / "warcs")) if e.record.rec_type == "response"][:2]
    req = next(e for e in iter_records(str(archive / "warcs")) if e.record.rec_type == "request")
    with sqlite3.connect(archive / "archive.db") as conn:
        conn.execute("CREATE TABLE articles (url TEXT, warc_filename TEXT, warc_offset INTEGER, "
                     "warc_record_id TEXT, payload_digest TEXT)")
        rows = [(e.record.url, e.filename, e.offset, e.record.record_id,
                 e.record.rec_headers.get_header("WARC-Payload-Digest")) for e in resp]
        conn.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", rows)
    report = verify_archive(str(archive))
    assert report.ok and report.dataset_rows == 2, report.format()
    with sqlite3.connect(archive / "archive.db") as conn:
        conn.execute("INSERT INTO articles VALUES ('u1', ?, ?, 'x', 'y')", (resp[0].filename, resp[0].offset))
        conn.execute("INSERT INTO articles VALUES ('u2', ?, ?, ?, NULL)", (req.filename, req.offset, req.record.record_id))
        conn.execute("INSERT INTO articles VALUES ('u3', 'gone.warc.gz', 0, 'x', 'y')")
    problems = verify_archive(str(archive)).problems
    assert len(problems) == 3
    assert any(p.startswith("article u1: record id") for p in problems)
    assert any(p.startswith("article u2: points at a request record") for p in problems)
    assert any(p.startswith("article u3: WARC pointer does not resolve") for p in problems)


def test_unwritable_archive_stops_the_crawl_with_one_line(warc_site, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    before = sum(warc_site.hits.values())
    result = run_crawl(blocker / "archive", warc_site.url + "/")
    assert result["stats"]["finish_reason"] == "warc_write_error"
    assert sum(warc_site.hits.values()) == before  # nothing fetched that could not be archived
    errors = [line for line in result["log"].splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "cannot write the archive under" in errors[0], result["log"]
    assert "Traceback" not in result["log"]
