"""WACZ packaging with the real ``wacz`` tool: the package validates, carries the WARCs unchanged,
and its pages.jsonl lists every article of the dataset with its headline and capture time."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.wacz import PackageError, package_wacz, pages_in_wacz
from cli_helpers import run_cli
from test_replay_support import HTML, OriginServer, record_archive

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]

COLUMNS = ("url TEXT PRIMARY KEY, headline TEXT, body TEXT, fetched_at TEXT, warc_filename TEXT, "
           "warc_offset INTEGER, warc_record_id TEXT, payload_digest TEXT")


def responses(archive: Path) -> dict[str, dict]:
    """URL -> pointer fields of every 200 response record, read back from the WARCs."""
    out = {}
    for path in sorted((archive / "warcs").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                if record.rec_type == "response" and record.http_headers.get_statuscode() == "200":
                    out[record.rec_headers["WARC-Target-URI"]] = {
                        "fetched_at": record.rec_headers["WARC-Date"], "warc_filename": path.name,
                        "warc_offset": it.get_record_offset(),
                        "warc_record_id": record.rec_headers["WARC-Record-ID"],
                        "payload_digest": record.rec_headers["WARC-Payload-Digest"]}
    return out


def make_dataset(archive: Path, rows: list[dict]) -> Path:
    db = archive / "archive.db"
    with sqlite3.connect(db) as conn:
        conn.execute(f"CREATE TABLE articles ({COLUMNS})")
        for row in rows:
            conn.execute("INSERT INTO articles (url, headline, body, fetched_at, warc_filename, warc_offset, "
                         "warc_record_id, payload_digest) VALUES (:url, :headline, :body, :fetched_at, "
                         ":warc_filename, :warc_offset, :warc_record_id, :payload_digest)", row)
    conn.close()
    return db


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Five captured articles (every transfer mode) with dataset rows pointing at their records."""
    archive = tmp_path_factory.mktemp("wacz-archive")
    with OriginServer() as origin:
        urls = record_archive(archive, origin)
    captured = responses(archive)
    rows = [{"url": urls[name], "headline": f"The {name} story \u2014 caf\u00e9",
             "body": f"Paragraph 0 of the {name} article.", **captured[urls[name]]}
            for name in HTML]
    make_dataset(archive, rows)
    return {"dir": archive, "rows": rows}


@pytest.fixture(scope="module")
def packaged(archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("wacz-out") / "news.wacz"
    result = package_wacz(archive["dir"], out)
    return {"result": result, "path": out}


def test_wacz_validates(packaged):
    result = packaged["result"]
    assert result.valid is True
    assert result.validation == "Validation succeeded, the passed WACZ is valid"
    # and independently of our wrapper, with the tool's own command line
    proc = subprocess.run([sys.executable, "-m", "wacz", "validate", "-f", str(packaged["path"])],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "Validation succeeded" in proc.stdout


def test_pages_list_every_article_with_headline_time_and_text(archive, packaged):
    pages = {page["url"]: page for page in pages_in_wacz(packaged["path"])}
    assert set(pages) == {row["url"] for row in archive["rows"]}
    for row in archive["rows"]:
        page = pages[row["url"]]
        assert page["title"] == row["headline"]
        assert page["ts"] == row["fetched_at"][:19] + "Z"  # WACZ keeps second precision
        assert page["text"] == row["body"]
    assert packaged["result"].pages == packaged["result"].articles == len(archive["rows"])
    assert packaged["result"].unmatched == []


def test_warcs_are_packed_unchanged_with_an_index(archive, packaged):
    with zipfile.ZipFile(packaged["path"]) as zf:
        names = set(zf.namelist())
        for warc in (archive["dir"] / "warcs").glob("*.warc.gz"):
            assert zf.read(f"archive/{warc.name}") == warc.read_bytes()
        assert {"indexes/index.cdx.gz", "pages/pages.jsonl", "datapackage.json"} <= names
        package = json.loads(zf.read("datapackage.json"))
    assert {res["path"] for res in package["resources"]} >= {"pages/pages.jsonl", "indexes/index.cdx.gz"}


def test_cli_reports_validation_and_unmatched_articles(archive, tmp_path):
    """An article row without a capture is named, not silently dropped; the rest still package."""
    db = tmp_path / "other.db"
    rows = archive["rows"] + [{**archive["rows"][0], "url": "http://gone.example/never-archived",
                               "headline": "Never archived"}]
    make_dataset(tmp_path, rows).rename(db)
    out = tmp_path / "cli.wacz"
    proc = run_cli("package", "--archive", archive["dir"], "--db", db, "--wacz", out, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"Wrote {out}" in proc.stdout
    assert f"{len(rows) - 1} of {len(rows)} articles listed as pages" in proc.stdout
    assert "wacz validate: Validation succeeded" in proc.stdout
    assert "warning: 1 article(s) have no capture in the packed WARCs: http://gone.example/never-archived" \
        in proc.stderr
    assert len(pages_in_wacz(out)) == len(rows) - 1


def test_open_warcs_are_left_out_with_a_warning(archive, tmp_path):
    arch = tmp_path / "arch"
    (arch / "warcs").mkdir(parents=True)
    for warc in (archive["dir"] / "warcs").glob("*.warc.gz"):
        (arch / "warcs" / warc.name).write_bytes(warc.read_bytes())
        (arch / "warcs" / "in-progress.warc.gz.open").write_bytes(warc.read_bytes()[:100])
    make_dataset(arch, archive["rows"])
    result = package_wacz(arch, tmp_path / "x.wacz", validate=False)
    assert result.skipped_open == ["in-progress.warc.gz.open"]
    assert [w.name for w in result.warcs] == [w.name for w in (archive["dir"] / "warcs").glob("*.warc.gz")]


def test_empty_dataset_is_one_line_and_keeps_the_existing_wacz(archive, tmp_path):
    arch = tmp_path / "arch"
    (arch / "warcs").mkdir(parents=True)
    make_dataset(arch, [])
    out = tmp_path / "keep.wacz"
    out.write_bytes(b"an earlier package")
    proc = run_cli("package", "--archive", arch, "--wacz", out, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: the dataset {arch / 'archive.db'} has no articles: nothing to package"
    assert out.read_bytes() == b"an earlier package"


@pytest.mark.parametrize("case, message", [
    ("no-archive", "archive directory not found"),
    ("no-db", "dataset not found"),
    ("not-a-dataset", "has no articles table"),
    ("old-columns", "lacks column(s) headline, fetched_at"),
    ("garbage-db", "cannot read the dataset"),
    ("bad-suffix", "must end in .wacz"),
])
def test_bad_input_is_one_clear_error(tmp_path, case, message):
    arch = tmp_path / "arch"
    out = tmp_path / ("x.zip" if case == "bad-suffix" else "x.wacz")
    if case != "no-archive":
        (arch / "warcs").mkdir(parents=True)
    db = arch / "archive.db"
    if case == "not-a-dataset":
        sqlite3.connect(db).execute("CREATE TABLE other (x)").connection.close()
    elif case == "old-columns":
        sqlite3.connect(db).execute("CREATE TABLE articles (url TEXT)").connection.close()
    elif case == "garbage-db":
        db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(PackageError, match=message.replace("(", r"\(").replace(")", r"\)")) as info:
        package_wacz(arch, out)
    assert "\n" not in str(info.value)
    assert not out.exists()
