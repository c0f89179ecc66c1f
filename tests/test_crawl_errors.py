"""Bad input to ``newsarchive crawl``: one clear line, a non-zero exit, no traceback, nothing lost."""

from __future__ import annotations

import pytest

from cli_helpers import FAST, free_port, run_cli

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def assert_one_clear_error(proc, *words):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr + proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, proc.stderr
    for word in words:
        assert word in errors[0], errors[0]


def test_malformed_url(tmp_path):
    proc = run_cli("crawl", "htp:/nowhere", "--archive", tmp_path / "a")
    assert_one_clear_error(proc, "not a valid")
    assert not (tmp_path / "a").exists()


def test_unreachable_seed(tmp_path):
    proc = run_cli("crawl", f"http://127.0.0.1:{free_port()}/", "--archive", tmp_path / "a", *FAST,
                   "-s", "RETRY_TIMES=0")
    assert_one_clear_error(proc, "seed")


def test_unwritable_archive_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    proc = run_cli("crawl", "http://127.0.0.1:9/", "--archive", blocker / "archive")
    assert_one_clear_error(proc, "cannot write to archive directory")


def test_non_html_seed(demo_server, tmp_path):
    from crawler.demo.manifest import manifest

    asset = next(r["path"] for r in manifest() if r["kind"] == "asset")
    proc = run_cli("crawl", demo_server.url + asset, "--archive", tmp_path / "a", *FAST)
    assert_one_clear_error(proc, "not an HTML page")
    # what was fetched is archived and valid
    warcs = list((tmp_path / "a" / "warcs").glob("*.warc.gz"))
    assert warcs
    proc = run_cli("verify", "--archive", tmp_path / "a")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_dataset_locked_by_another_writer_mid_crawl_costs_nothing(demo_server, tmp_path):
    """The dataset writer (its own thread) cannot commit while another process holds the write
    lock: it says so in one line per failed batch, keeps the batch, and commits it afterwards."""
    import sqlite3
    import subprocess
    import time

    from cli_helpers import NEWSARCHIVE, ROOT
    from crawler.demo.manifest import manifest

    archive = tmp_path / "a"
    db = archive / "archive.db"
    crawl = subprocess.Popen(
        [*NEWSARCHIVE, "crawl", demo_server.url + "/", "--sitemap", demo_server.url + "/sitemap.xml",
         "--archive", str(archive), *FAST, "-s", "DOWNLOAD_DELAY=0.1", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1",
         "-s", "DATASET_BUSY_TIMEOUT=0.2", "-s", "DATASET_FLUSH_SECONDS=0.2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:  # the crawl has begun writing: its run is recorded
            assert time.monotonic() < deadline and crawl.poll() is None
            try:
                with sqlite3.connect(db, timeout=5) as conn:
                    if conn.execute("SELECT count(*) FROM captures").fetchone()[0]:
                        break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.05)
        conn = sqlite3.connect(db, timeout=5, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        time.sleep(1.5)
        conn.execute("ROLLBACK")
        conn.close()
        out, err = crawl.communicate(timeout=120)
    finally:
        crawl.kill()
    assert crawl.returncode == 0, err
    assert "Traceback" not in out + err
    assert any("dataset:" in line and "locked" in line for line in err.splitlines()), err
    articles = sorted(r["path"] for r in manifest() if r["kind"] == "article")
    with sqlite3.connect(db) as conn:
        stored = sorted(url[len(demo_server.url):] for (url,) in conn.execute("SELECT url FROM articles"))
        assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] >= len(stored)
    assert stored == articles


def test_a_failed_fetch_is_archived_and_verifies_clean(demo_server, tmp_path):
    """A fetch that fails (here: a refused connection) is a capture without status whose WARC
    pointer leads to the metadata record saying why; `verify` accepts that record for it."""
    import sqlite3

    dead = f"http://127.0.0.1:{free_port()}/gone"
    run_cli("crawl", demo_server.url + "/", dead, "--archive", tmp_path / "a", "--depth", "0", *FAST,
            "-s", "RETRY_TIMES=0", "-s", "NEWS_FETCH_EMBEDS=False", check=True)
    db = sqlite3.connect(tmp_path / "a" / "archive.db")
    (status, error, filename), = db.execute(
        "select status, error, warc_filename from captures where url = ?", (dead,)).fetchall()
    assert status is None and error and filename
    proc = run_cli("verify", "--archive", tmp_path / "a")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "problems: 0" in proc.stdout
