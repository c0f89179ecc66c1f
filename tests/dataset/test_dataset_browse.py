"""``browse``: Datasette over the dataset with our metadata, searched over HTTP and rendered
in headless Chromium (screenshot kept under test-artifacts/)."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import struct
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from click.testing import CliRunner

from crawler.commands.dataset import browse as browse_command
from crawler.dataset.browse import start_browse
from dataset_helpers import DEMO_HOST, TODAY_PATH

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.loads(resp.read())


@pytest.fixture
def datasette(two_crawls):
    port = _free_port()
    before = hashlib.sha256(two_crawls["db"].read_bytes()).hexdigest()
    proc, workdir = start_browse(two_crawls["db"], port=port, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get_json(base + "/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("Datasette did not start: " + proc.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        yield {"base": base, **two_crawls}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
        shutil.rmtree(workdir, ignore_errors=True)
    assert hashlib.sha256(two_crawls["db"].read_bytes()).hexdigest() == before


def test_search_metadata_and_facets_over_http(datasette):
    base = datasette["base"]
    found = _get_json(base + "/archive/articles.json?_shape=array&_search=" + quote("Pam first kiss"))
    assert found and found[0]["url"] == DEMO_HOST + TODAY_PATH
    table = _get_json(base + "/archive/articles.json?_size=1")
    assert set(table["facet_results"]) >= {"site", "section", "authors", "published", "verdict"}
    verdicts = {f["value"]: f["count"] for f in table["facet_results"]["verdict"]["results"]}
    assert sum(verdicts.values()) == len(datasette["first"]) and verdicts.get("ok", 0) >= len(datasette["first"]) - 4
    # (suspect by design: the paywalled teaser, and the two JavaScript app articles: a body from
    # embedded data, and none without a browser)
    suspect = _get_json(base + "/archive/suspect_articles.json?_shape=array")
    assert len(suspect) == verdicts.get("suspect", 0)
    sites = {f["value"]: f["count"] for f in table["facet_results"]["site"]["results"]}
    assert sites == {"demo.test": len(datasette["first"])}
    authors = {f["value"] for f in table["facet_results"]["authors"]["results"]}
    assert "Randee Dawn" in authors  # array facet over the JSON authors column
    meta = _get_json(base + "/-/metadata.json")
    assert meta["license"] and meta["source"]
    columns = meta["databases"]["archive"]["tables"]["articles"]["columns"]
    assert "JSON array" in columns["authors"]
    changed = _get_json(base + "/archive/changed_articles.json?_shape=array")
    assert len(changed) == 3 and all(r["version_count"] == 2 for r in changed)
    # the report's figures are browse's canned queries: the same rows over HTTP as in the report
    import sqlite3

    from crawler.report.figures import run

    conn = sqlite3.connect(datasette["db"])
    try:
        for name, params in [("report_hosts", {"crawl": ""}), ("report_mime", {"crawl": "2"}),
                             ("report_verdicts", {"crawl": ""}), ("report_activity", {"crawl": "", "bucket": "13"})]:
            over_http = _get_json(f"{base}/archive/{name}.json?_shape=array&" + urlencode(params))
            assert over_http == run(conn, name, **params) and over_http, name
    finally:
        conn.close()
    # Datasette is read-only here: writes through its SQL box are refused
    with pytest.raises(urllib.error.HTTPError):
        _get_json(base + "/archive.json?sql=" + quote("delete from articles"))


def test_article_page_renders_in_headless_chromium(datasette, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is not installed (make test installs it: apt-get install chromium)")
    article_id = _get_json(datasette["base"] + "/archive/articles.json?_shape=array&url="
                           + quote(DEMO_HOST + TODAY_PATH))[0]["id"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dataset-browse-article.png"
    shot.unlink(missing_ok=True)
    url = f"{datasette['base']}/archive/articles/{article_id}"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", f"--user-data-dir={tmp_path / 'chromium'}",
                    "--window-size=1280,1600", f"--screenshot={shot}", url],
                   capture_output=True, timeout=90, check=False)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600)
    assert len(data) > 30_000, "the screenshot is nearly empty"
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(shot) as img:
        colours = img.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50  # text and table, not a blank page


def test_browse_command_errors_are_one_line(two_crawls, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(browse_command, ["--archive", str(two_crawls["archive"]),
                                                     "--port", str(port)])
    assert result.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.output
    result = CliRunner().invoke(browse_command, ["--archive", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no dataset at" in result.output
