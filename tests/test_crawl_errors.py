"""Bad input to ``newsarchive crawl``: one clear line, a non-zero exit, no traceback, nothing lost."""

from __future__ import annotations

from cli_helpers import FAST, free_port, run_cli


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
