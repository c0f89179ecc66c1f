"""A plain `newsarchive crawl` SIGKILLed at five exact points, then run again into the same
archive with no manual step: the second run recovers the dead one by itself, and the finished
archive holds every record once, every article, and says which run crashed.

Each kill lands where it is meant to (archive/testpoints.py): the crawl freezes at the N-th
arrival at a named point and the test kills its process group then, never after a sleep.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.verify import verify_file
from cli_helpers import FAST, NEWSARCHIVE, ROOT, run_cli, warcio_check
from crawler.demo.manifest import manifest

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def crawl_args(server, archive, *extra) -> list[str]:
    return [*NEWSARCHIVE, "crawl", server.url + "/", "--sitemap", server.url + "/sitemap.xml",
            "--feed", server.url + "/feeds/rss.xml", "--archive", str(archive), *FAST, *extra]


def start_paused(args, point: str, marker) -> subprocess.Popen:
    """Start a command that freezes at ``point`` (NAME:N); returns once it is frozen there."""
    env = {**os.environ, "NEWSARCHIVE_TESTPOINT": point, "NEWSARCHIVE_TESTPOINT_FILE": str(marker)}
    proc = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the crawl ended before reaching {point}: {proc.stderr.read()}")
        assert time.monotonic() < deadline, f"never reached {point}"
        time.sleep(0.02)
    return proc


def kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the crawl and its extraction workers
    proc.wait(timeout=30)
    proc.stderr.close()


def response_records(warcs) -> list[tuple[str, str, str]]:
    """(type, URL, payload digest) of every response and revisit record in the archive."""
    out = []
    for path in sorted(warcs.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    out.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                record.rec_headers.get_header("WARC-Payload-Digest")))
    return out


def assert_archive_whole(archive, url, kinds):
    """Every file closed and valid (warcio and `newsarchive verify`), no page stored in full twice,
    every archived article in `articles` with one version; returns the records and the dataset."""
    warcs = archive / "warcs"
    assert not list(warcs.glob("*.open"))
    assert warcio_check(sorted(warcs.glob("*.warc.gz"))) == []
    verify = run_cli("verify", "--archive", archive)
    assert verify.returncode == 0, verify.stdout

    records = response_records(warcs)
    full = Counter((u, d) for t, u, d in records if t == "response")
    assert [pair for pair, n in full.items() if n > 1] == [], "a page stored in full twice"
    archived_articles = {u for _, u, _ in records if kinds.get(u[len(url):]) == "article"}
    assert len(archived_articles) == sum(k == "article" for k in kinds.values())

    conn = sqlite3.connect(archive / "archive.db")
    articles = dict(conn.execute("SELECT url, version_count FROM articles").fetchall())
    assert archived_articles <= set(articles), archived_articles - set(articles)
    assert set(articles.values()) == {1}, "an unchanged page gained a version"
    return records, conn


KILL_POINTS = {
    # frozen with the crawls row written and the writers ready, nothing fetched yet
    "start-up": ("startup:1", []),
    # the 3rd response is in the WARC, not yet in the digest index nor the dataset
    "early": ("response:3", []),
    "mid-crawl": ("response:20", []),
    # inside the 3rd batch of the dataset: rows written, not committed
    "dataset flush": ("store_flush:3", ["-s", "DATASET_BATCH_SIZE=5"]),
    # the 2nd WARC file is complete but still .open, the next not yet opened
    "WARC rotation": ("warc_rotation:2", ["-s", "WARC_MAX_SIZE=60000"]),
}


@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_a_killed_crawl_is_recovered_by_the_next(where, tmp_path):
    from crawler.demo.server import DemoServer

    point, extra = KILL_POINTS[where]
    kinds = {r["path"]: r["kind"] for r in manifest()}
    archive = tmp_path / "archive"
    with DemoServer() as server:
        kill_group(start_paused(crawl_args(server, archive, *extra), point, tmp_path / "frozen"))

        # what the dead run left: open files whose complete records are all valid
        open_files = sorted((archive / "warcs").glob("*.warc.gz.open"))
        assert open_files or where == "start-up", "the killed crawl left no open file"
        for path in open_files:
            result = verify_file(str(path))
            assert result.records >= 1
            assert all("truncated" in p for p in result.problems), result.problems
        lock = json.loads((archive / "archive.lock").read_text())
        assert lock["command"].startswith("newsarchive crawl") and lock["pid"] > 0

        # the same crawl again: it recovers by itself, in one line, and finishes
        proc = subprocess.run(crawl_args(server, archive, *extra), cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        recovered = [line for line in proc.stderr.splitlines() if line.startswith("recovered a crashed run")]
        assert len(recovered) == 1 and "(#1)" in recovered[0], proc.stderr
        url = server.url

    records, conn = assert_archive_whole(archive, url, kinds)
    runs = conn.execute("SELECT id, status, stats FROM crawls ORDER BY id").fetchall()
    assert [(r[0], r[1]) for r in runs] == [(1, "crashed"), (2, "finished")]
    assert "recovered" in json.loads(runs[0][2])
    if where != "start-up":
        # what the dead run archived was fetched again but stored as revisits, not copies
        assert any(t == "revisit" for t, _, _ in records)
    conn.close()


@pytest.fixture
def small_disk(tmp_path):
    """A 20 MB tmpfs of its own (root can mount here), or None where mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mnt)],
                             capture_output=True).returncode == 0
    yield mnt if mounted else None
    if mounted:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


def fill(directory) -> None:
    """Fill the file system; one that is already full is what this is for, not a failure."""
    try:
        with open(directory / "filler", "wb") as fh:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise


@pytest.mark.parametrize("failure", ["disk full", "file size limit"])
def test_a_write_error_mid_crawl_stops_it_cleanly_and_the_next_run_recovers(failure, small_disk, tmp_path):
    """The crawl is frozen after its 10th response, then its disk is filled (a 20 MB tmpfs) or
    its file-size limit set below its files' sizes (writes fail with EFBIG: the same path as any
    write error; a file system cannot be remounted read-only while the crawl holds files open).
    The crawl goes on: it stops, says so, every record written is whole, and once writing works
    again the same crawl completes the archive."""
    import resource

    from crawler.demo.server import DemoServer

    if failure == "disk full" and small_disk is None:
        pytest.skip("cannot mount a small file system here")
    kinds = {r["path"]: r["kind"] for r in manifest()}
    archive = (small_disk if failure == "disk full" else tmp_path) / "archive"
    marker = tmp_path / "frozen"
    with DemoServer() as server:
        proc = start_paused(crawl_args(server, archive), "response:10", marker)
        try:
            if failure == "disk full":
                fill(small_disk)
            else:
                resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, (1, 1))
        except BaseException:
            kill_group(proc)  # a frozen crawl must not outlive the test
            raise
        marker.unlink()  # let it go on
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 1, stderr
        assert "Traceback" not in stderr
        # said once by the WARC writer (why) and once by the command (what now); nothing else
        said = [line for line in stderr.splitlines() if line.startswith(("ERROR:", "Error:", "WARNING:"))]
        assert len(said) == 2, stderr
        assert said[0].startswith("ERROR: cannot write the archive under"), said
        assert said[1].startswith("Error: the crawl stopped: the archive could not be written"), said
        assert {"disk full": "No space left on device", "file size limit": "File too large"}[failure] in said[0]

        for path in sorted((archive / "warcs").iterdir()):
            if path.name.endswith((".warc.gz", ".warc.gz.open")):
                result = verify_file(str(path))
                assert result.records >= 1 and result.problems == [], (path.name, result.problems)

        if failure == "disk full":
            (small_disk / "filler").unlink()
        again = subprocess.run(crawl_args(server, archive), cwd=ROOT, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        url = server.url

    records, conn = assert_archive_whole(archive, url, kinds)
    statuses = [s for (s,) in conn.execute("SELECT status FROM crawls ORDER BY id")]
    assert statuses[1:] == ["finished"] and statuses[0] in ("crashed", "warc_write_error"), statuses
    assert any(t == "revisit" for t, _, _ in records)
    conn.close()


def test_one_writer_at_a_time_while_readers_go_on(tmp_path):
    """While a crawl writes an archive, every other writing command is refused with one line
    naming the writer, and every reading command works, Datasette and pywb included."""
    import http.client

    from archive.replay import start_replay
    from cli_helpers import free_port
    from crawler.demo.server import DemoServer
    from crawler.dataset.browse import start_browse
    from crawler.writelock import is_locked

    archive = tmp_path / "archive"
    marker = tmp_path / "frozen"
    jobs = tmp_path / "jobs.toml"
    with DemoServer() as server:
        jobs.write_text(f'[jobs.same]\nseeds = ["{server.url}/"]\narchive = "{archive}"\n')
        proc = start_paused(crawl_args(server, archive, "-s", "DATASET_BATCH_SIZE=5"), "response:25", marker)
        try:
            writers = [crawl_args(server, archive)[len(NEWSARCHIVE):], ["reextract", "--archive", archive],
                       ["verify", "--repair", "--archive", archive], ["jobs", "run", "same", "--jobs", jobs],
                       ["merge", archive / "archive.db", "--into", archive]]
            for args in writers:
                refused = run_cli(*args, timeout=60)
                assert refused.returncode == 1, (args, refused.stderr)
                assert refused.stderr.strip().splitlines() == [
                    f"Error: {archive} is being written by pid {proc.pid} on {os.uname().nodename}, "
                    f"`newsarchive {' '.join(crawl_args(server, archive, '-s', 'DATASET_BATCH_SIZE=5')[3:])}` "
                    f"since {json.loads((archive / 'archive.lock').read_text())['since']}; not starting a "
                    "second writer (reading commands work meanwhile)"], (args, refused.stderr)

            captures = run_cli("query", "select count(*) as n from captures", "--archive", archive,
                               "--format", "csv", check=True)
            assert int(captures.stdout.split()[-1]) >= 5
            run_cli("search", "council", "--archive", archive, check=True)
            checked = run_cli("verify", "--archive", archive)
            assert checked.returncode == 0 and "still open" in checked.stdout, checked.stdout
            assert list((archive / "warcs").glob("*.open")), "a reader closed the crawl's file"

            replay = start_replay(archive, "127.0.0.1", 0)
            try:
                conn = http.client.HTTPConnection(replay.bind, replay.port, timeout=10)
                conn.request("GET", f"/archive/id_/{server.url}/")
                assert conn.getresponse().status == 200
                conn.close()
            finally:
                replay.stop()
            port = free_port()
            datasette, workdir = start_browse(archive / "archive.db", port=port,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                deadline = time.monotonic() + 30
                while True:
                    try:
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                        conn.request("GET", "/archive/captures.json")
                        assert conn.getresponse().status == 200
                        break
                    except OSError:
                        assert datasette.poll() is None and time.monotonic() < deadline
                        time.sleep(0.2)
            finally:
                datasette.terminate()
                datasette.wait(timeout=10)
                import shutil

                shutil.rmtree(workdir, ignore_errors=True)
        finally:
            if proc.poll() is None and marker.exists():
                marker.unlink()  # let the crawl finish
        _, stderr = proc.communicate(timeout=180)
    assert proc.returncode == 0, stderr
    assert not is_locked(archive / "archive.db") and (archive / "archive.lock").read_text() == ""
