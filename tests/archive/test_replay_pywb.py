"""Replay through a real pywb (from .venv-replay) over real HTTP on 127.0.0.1.

The WARCs come from real exchanges with a local origin server, so "byte-identical" is checked
against what the origin actually sent: identity, gzip, chunked, gzip+chunked, a Scrapy-style
de-chunked record, and a 301.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from archive.index import iter_index
from archive.replay import ReplayError, find_replay_venv, start_replay
from cli_helpers import NEWSARCHIVE, ROOT, run_cli
from test_replay_support import HTML, OriginServer, record_archive, wire_body

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


def fetch(server, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection(server.bind, server.port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def index_entries(archive: Path) -> dict[str, tuple[str, dict]]:
    """URL -> (timestamp, CDXJ fields), read from the index replay built."""
    entries = {}
    for line in (line.decode().rstrip("\n") for line in iter_index(str(archive))):
        _key, ts, fields = line.split(" ", 2)
        data = json.loads(fields)
        entries[data["url"]] = (ts, data)
    return entries


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    archive = tmp_path_factory.mktemp("replay-archive")
    with OriginServer() as origin:
        urls = record_archive(archive, origin)
    server = start_replay(archive, "127.0.0.1", 0)
    try:
        yield {"archive": archive, "urls": urls, "server": server, "index": index_entries(archive)}
    finally:
        server.stop()


@pytest.mark.parametrize("name", ["plain", "gzip", "chunked", "gzchunked", "rebuilt"])
def test_id_mode_returns_the_original_html(replayed, name):
    server, url = replayed["server"], replayed["urls"][name]
    ts = replayed["index"][url][0]
    status, headers, body = fetch(server, f"/archive/{ts}id_/{url}")
    assert status == 200
    assert body == HTML[name]
    assert headers.get("Memento-Datetime")


@pytest.mark.parametrize("name", ["gzip", "gzchunked"])
def test_id_mode_returns_the_original_gzip_bytes_to_a_gzip_client(replayed, name):
    server, url = replayed["server"], replayed["urls"][name]
    ts = replayed["index"][url][0]
    status, headers, body = fetch(server, f"/archive/{ts}id_/{url}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    assert body == wire_body(name)


def test_redirect_replays_as_the_same_redirect(replayed):
    server, url = replayed["server"], replayed["urls"]["old-plain"]
    ts = replayed["index"][url][0]
    status, headers, body = fetch(server, f"/archive/{ts}id_/{url}")
    assert status == 301
    assert headers["Location"] == "/plain"


def test_browse_modes_and_timemap_work(replayed):
    server, url = replayed["server"], replayed["urls"]["plain"]
    ts = replayed["index"][url][0]
    status, _headers, body = fetch(server, f"/archive/{ts}mp_/{url}")
    assert status == 200 and b"<!-- WB Insert -->" in body and b"Paragraph 199 of the plain article." in body
    status, _headers, body = fetch(server, f"/archive/timemap/link/{url}")
    assert status == 200 and f"/archive/{ts}mp_/{url}>".encode() in body


def test_unknown_url_is_a_404_not_an_error(replayed):
    status, _headers, _body = fetch(replayed["server"], "/archive/2026id_/http://never.example/")
    assert status == 404


def test_serves_in_place_on_loopback(replayed):
    server, archive = replayed["server"], replayed["archive"]
    assert server.url == f"http://127.0.0.1:{server.port}/archive/"
    cmdline = Path(f"/proc/{server.process.pid}/cmdline").read_bytes().split(b"\0")
    assert cmdline[cmdline.index(b"-b") + 1] == b"127.0.0.1"
    config = json.loads((archive / ".replay" / "config.yaml").read_text())
    coll = config["collections"]["archive"]
    assert coll["index"] == str(archive / "indexes" / "cdxj")
    assert coll["archive_paths"][0] == str(archive / "warcs") + os.sep
    copies = [p for p in (archive / ".replay").rglob("*") if ".warc" in p.name]
    assert copies == []


def test_capture_survives_the_open_to_closed_rename(tmp_path):
    """A replay started during a crawl keeps serving a file after the writer closes (renames) it."""
    archive = tmp_path / "live"
    with OriginServer() as origin:
        urls = record_archive(archive, origin)
    closed = next((archive / "warcs").glob("*.warc.gz"))
    opened = closed.with_name(closed.name + ".open")
    closed.rename(opened)
    with start_replay(archive, "127.0.0.1", 0) as server:
        index = index_entries(archive)
        assert {data["filename"] for _ts, data in index.values()} == {closed.name}
        ts = index[urls["plain"]][0]
        assert fetch(server, f"/archive/{ts}id_/{urls['plain']}")[2] == HTML["plain"]
        opened.rename(closed)
        assert fetch(server, f"/archive/{ts}id_/{urls['chunked']}")[2] == HTML["chunked"]


def test_missing_replay_env_is_one_clear_line(tmp_path, replayed):
    with pytest.raises(ReplayError, match=r"run `make replay-env`"):
        find_replay_venv(tmp_path)
    proc = run_cli("replay", "--archive", replayed["archive"], "--port", "0",
                   env={"NEWSARCHIVE_REPLAY_VENV": str(tmp_path / "nope")}, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"Error: pywb replay environment not found at {tmp_path / 'nope'}: run `make replay-env` "
        "(or set NEWSARCHIVE_REPLAY_VENV)"]


def test_missing_archive_and_empty_archive_are_one_line_errors(tmp_path):
    proc = run_cli("replay", "--archive", tmp_path / "absent", "--port", "0", timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"Error: archive directory not found: {tmp_path / 'absent'}"
    (tmp_path / "empty" / "warcs").mkdir(parents=True)
    with pytest.raises(ReplayError, match="no WARC files"):
        start_replay(tmp_path / "empty", "127.0.0.1", 0)


def test_unwritable_archive_replays_from_a_scratch_dir(tmp_path):
    """Archival copies may be read-only: a stale index and pywb's files go to a temporary dir.

    (Tests run as root, where permission bits do not bite, so files stand in the way instead.)"""
    archive = tmp_path / "ro"
    with OriginServer() as origin:
        urls = record_archive(archive, origin)
    (archive / "indexes").write_text("not a directory")
    (archive / ".replay").write_text("not a directory")
    with start_replay(archive, "127.0.0.1", 0) as server:
        assert server.scratch and server.work_dir.is_dir()
        assert (server.work_dir / "index.cdxj").is_file()
        status, _headers, body = fetch(server, f"/archive/2026id_/{urls['gzchunked']}")
        assert (status, body) == (200, HTML["gzchunked"])
    assert not server.work_dir.exists()
    assert (archive / "indexes").read_text() == "not a directory"


def test_busy_port_and_bad_address_are_one_line_errors(replayed, tmp_path):
    busy = replayed["server"].port
    with pytest.raises(ReplayError, match=rf"^port {busy} on 127.0.0.1 is already in use: choose another with --port$"):
        start_replay(replayed["archive"], "127.0.0.1", busy, work_dir=tmp_path)
    proc = run_cli("replay", "--archive", replayed["archive"], "--bind", "192.0.2.1", "--port", "0", timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "Error: cannot listen on 192.0.2.1:0: Cannot assign requested address"


def test_cli_serves_until_interrupted_and_stops_pywb(replayed):
    archive, url = replayed["archive"], replayed["urls"]["plain"]
    ts = replayed["index"][url][0]
    proc = subprocess.Popen([*NEWSARCHIVE, "replay", "--archive", str(archive), "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first.startswith(f"Replaying {archive} at http://127.0.0.1:"), first + proc.stderr.read()
        base = first.rsplit(" at ", 1)[1].strip()
        port = int(base.split(":")[2].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/archive/{ts}id_/{url}")
        assert conn.getresponse().read() == HTML["plain"]
        conn.close()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Stopped replay" in out
        with pytest.raises(ConnectionRefusedError):
            socket_probe(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def socket_probe(port: int) -> None:
    import socket

    deadline = time.monotonic() + 5
    while True:  # pywb may take a moment to release the socket after it was told to stop
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
        if time.monotonic() > deadline:
            return
        time.sleep(0.2)
