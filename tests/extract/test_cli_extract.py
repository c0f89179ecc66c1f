"""``newsarchive extract``: the JSON Lines interface the benchmarks rely on, run as a real subprocess."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.extract import Article

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

ROOT = Path(__file__).resolve().parents[2]
FIELDS = set(Article.__dataclass_fields__)


def run(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", "extract", *map(str, args)], cwd=cwd,
                          capture_output=True, timeout=60)


def lines(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


@pytest.fixture
def seed_files(tmp_path, seed):
    html, expected = seed
    (tmp_path / "seed.html").write_bytes(html)
    (tmp_path / "seed.html.gz").write_bytes(gzip.compress(html))
    return tmp_path, expected


def test_html_and_gzip_give_one_json_line_each(seed_files):
    tmp, expected = seed_files
    proc = run("seed.html", "seed.html.gz", "--urls-file", write_tsv(tmp, {"seed.html.gz": expected["url"]}), cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    records = lines(proc)
    assert [r["path"] for r in records] == ["seed.html", "seed.html.gz"]
    plain, gz = records
    assert "url" not in plain and gz["url"] == expected["url"]
    assert FIELDS - {"url"} <= set(plain)
    assert plain["body"] == gz["body"] == "\n\n".join(expected["body_paragraphs"])
    assert plain["word_count"] == len(plain["body"].split())
    # UTF-8 output, not \u escapes: curly quotes come through as they are
    assert "‘I’m so glad" in proc.stdout.decode("utf-8")


def test_url_option(seed_files):
    tmp, expected = seed_files
    proc = run("seed.html", "--url", expected["url"], cwd=tmp)
    assert proc.returncode == 0 and lines(proc)[0]["url"] == expected["url"]
    proc = run("seed.html", "seed.html.gz", "--url", expected["url"], cwd=tmp)
    assert proc.returncode == 2 and b"--url" in proc.stderr


def test_missing_and_bad_files_are_one_line_each_and_the_rest_still_runs(seed_files):
    tmp, _ = seed_files
    (tmp / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    proc = run("missing.html", "seed.html", "broken.html.gz", cwd=tmp)
    assert proc.returncode == 1
    assert [r["path"] for r in lines(proc)] == ["seed.html"]
    errors = proc.stderr.decode().splitlines()
    assert len(errors) == 2 and errors[0].startswith("Error: missing.html") and "broken.html.gz" in errors[1]
    assert b"Traceback" not in proc.stderr


def test_warc_input_gives_every_html_response(tmp_path, seed):
    html, expected = seed
    warc = tmp_path / "crawl.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, payload, encoding in [
            (expected["url"], "text/html; charset=utf-8", html, None),
            ("https://example.test/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", None),
            ("https://example.test/gz", "text/html; charset=cp1252", gzip.compress(
                "<html><body><article><p>Très bien, à bientôt: une phrase française assez longue pour compter.</p>"
                "</article></body></html>".encode("cp1252")), "gzip"),
        ]:
            headers = [("Content-Type", ctype), ("Content-Length", str(len(payload)))]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=http))
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    proc = run(warc, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    records = lines(proc)
    assert [(r["path"], r["url"]) for r in records] == [(str(warc), expected["url"]), (str(warc), "https://example.test/gz")]
    assert records[0]["body"] == "\n\n".join(expected["body_paragraphs"])
    assert records[1]["body"] == "Très bien, à bientôt: une phrase française assez longue pour compter."


def test_urls_file_errors_are_usage_errors(tmp_path, seed_files):
    tmp, _ = seed_files
    (tmp / "bad.tsv").write_text("seed.html https://no-tab.test/\n")
    proc = run("seed.html", "--urls-file", "bad.tsv", cwd=tmp)
    assert proc.returncode == 2 and b"path<TAB>url" in proc.stderr
    proc = run("seed.html", "--urls-file", "nope.tsv", cwd=tmp)
    assert proc.returncode == 2 and b"nope.tsv" in proc.stderr


def test_cli_never_imports_scrapy_or_twisted(seed_files):
    tmp, _ = seed_files
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "crawler.cli", "extract", "seed.html"],
                          cwd=tmp, capture_output=True, timeout=60)
    assert proc.returncode == 0
    imported = proc.stderr.decode()
    assert "scrapy" not in imported and "twisted" not in imported


def write_tsv(tmp: Path, mapping: dict) -> Path:
    path = tmp / "urls.tsv"
    path.write_text("".join(f"{k}\t{v}\n" for k, v in mapping.items()), encoding="utf-8")
    return path


def test_broken_warcs_and_directories_are_one_line_each(tmp_path, seed_files):
    tmp, _ = seed_files
    (tmp / "junk.warc").write_bytes(b"WARC/1.0\r\nbroken")
    (tmp / "html.warc.gz").write_bytes(gzip.compress(b"<!DOCTYPE html><html></html>"))
    (tmp / "adir").mkdir()
    proc = run("junk.warc", "html.warc.gz", "adir", "seed.html", cwd=tmp)
    assert proc.returncode == 1
    assert [r["path"] for r in lines(proc)] == ["seed.html"]
    errors = proc.stderr.decode().splitlines()
    assert [e.split(":")[1].strip() for e in errors] == ["junk.warc", "html.warc.gz", "adir"]
    assert all(e.isprintable() for e in errors)
