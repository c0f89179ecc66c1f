"""One clear line (issue 21, item 5): unreachable seeds, ``diff`` colours and markers as git does
them, and ``browse``'s console, read-only answers and SIGTERM."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from cli_helpers import NEWSARCHIVE, ROOT, free_port, run_cli
from leftovers import _parent

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

EDITED = "/news/2026/11/23/water-main-break-closes-elm-street"
RED, GREEN = "\x1b[31m", "\x1b[32m"


def test_an_unreachable_seed_is_one_error_line(tmp_path):
    port = free_port()  # nothing listens there
    proc = run_cli("crawl", f"http://127.0.0.1:{port}/", "--archive", tmp_path / "a")
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"Error: no seed could be fetched: http://127.0.0.1:{port}/ connection refused"], proc.stderr


def test_an_unreachable_seed_beside_a_good_one_is_one_warning(demo_server, tmp_path):
    port = free_port()
    proc = run_cli("crawl", demo_server.url + "/", f"http://127.0.0.1:{port}/", "--depth", "0",
                   "--archive", tmp_path / "a", "-s", "DOWNLOAD_DELAY=0", check=True)
    assert proc.stderr.splitlines() == [
        f"WARNING: seed not fetched: http://127.0.0.1:{port}/ connection refused"], proc.stderr


def _diff(archive, *args):
    return run_cli("diff", f"{archive['url']}{EDITED}", "--archive", archive["archive"], *args, check=True).stdout


@pytest.fixture(scope="module")
def edited(demo_editions):
    import sqlite3

    db = sqlite3.connect(demo_editions["archive"] / "archive.db")
    url = db.execute("SELECT url FROM articles WHERE url LIKE ?", (f"%{EDITED}",)).fetchone()[0]
    return {"archive": demo_editions["archive"], "url": url[: -len(EDITED)]}


def test_diff_without_a_terminal_keeps_word_markers(edited):
    for args in ((), ("--color=auto",), ("--color=never",), ("--no-color",)):
        out = _diff(edited, *args)
        assert "Elm [-Street-]{+Street;+}" in out and "\x1b[" not in out, (args, out)


def test_diff_color_always_colours_a_pipe_as_git_does(edited):
    for args in (("--color=always",), ("--color",)):
        out = _diff(edited, *args)
        assert f"Elm {RED}Street\x1b[0m{GREEN}Street;\x1b[0m" in out and "[-" not in out, (args, out)


def test_diff_color_auto_colours_a_terminal(edited):
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*NEWSARCHIVE, "diff", f"{edited['url']}{EDITED}", "--archive", str(edited["archive"])],
                            cwd=ROOT, stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    assert RED.encode() + b"Street" in out and b"[-Street-]" not in out


def _wait_http(url, proc, deadline=30.0):
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > end:
                raise AssertionError("browse did not start")
            time.sleep(0.2)


def _status(url, method="GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, data=b"{}" if method != "GET" else None,
                                                           headers={"Content-Type": "application/json"}),
                                    timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_browse_one_line_per_request_read_only_and_sigterm_stops_datasette(edited):
    port = free_port()
    proc = subprocess.Popen([*NEWSARCHIVE, "browse", "--archive", str(edited["archive"]), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_http(base + "/-/versions.json", proc)
        children = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == proc.pid]
        assert len(children) == 1, children
        assert _status(base + "/archive/no-such-table") == 404
        assert _status(base + "/archive/articles.json") == 200
        for path in ("/archive/articles", "/archive/articles/-/insert", "/archive/articles/1/-/delete",
                     "/archive/-/create"):
            assert _status(base + path, "POST") == 403, path
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) in (0, 1)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not os.path.exists(f"/proc/{children[0]}"), "Datasette outlived browse"
    console = out + err  # uvicorn logs requests on stdout, the rest on stderr
    assert "Traceback" not in console and "╭" not in console, console
    requests = [line for line in console.splitlines() if '"GET ' in line or '"POST ' in line]
    assert len(requests) == 7 and all(line.startswith("INFO:") for line in requests), console
    assert sum('" 403 ' in line for line in requests) == 4 and sum('" 404 ' in line for line in requests) == 1
