"""Scale-out on a real redis-server: two workers share one frontier, merge equals one process.

redis-server is installed by `make test` when missing; it is started here on a free loopback port
with a password, and stopped after.
"""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3
import subprocess
import time
from collections import Counter

import pytest

from cli_helpers import FAST, NEWSARCHIVE, ROOT, free_port, reachable_paths, run_cli
from crawler.demo.manifest import manifest

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

PASSWORD = "test-only-password"


@pytest.fixture(scope="module")
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed: run `make test`, which installs it")
    port = free_port()
    proc = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--requirepass", PASSWORD],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def articles(db) -> dict:
    conn = sqlite3.connect(db)
    rows = conn.execute("select url, headline, byline, authors, published, body, word_count from articles")
    return {url.split("/", 3)[3]: rest for url, *rest in rows}


def counts(db) -> tuple:
    conn = sqlite3.connect(db)
    return tuple(conn.execute(f"select count(*) from {t}").fetchone()[0]
                 for t in ("articles", "article_versions", "captures"))


def run_workers(redis_url, archive, n=2, delay="0.05"):
    workers = [subprocess.Popen([*NEWSARCHIVE, "worker", "--redis", redis_url, "--job", "demo",
                                 "--archive", str(archive), "--worker-id", f"w{i}", *FAST,
                                 "-s", f"DOWNLOAD_DELAY={delay}"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(n)]
    results = []
    for proc in workers:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, out + err
        assert "Traceback" not in err
        results.append(out)
    return results


def test_two_workers_fetch_each_url_once_and_merge_equals_one_process(redis_url, tmp_path):
    from crawler.demo.server import DemoServer

    with DemoServer() as server:
        seeds = [server.url + "/", "--sitemap", server.url + "/sitemap.xml", "--feed", server.url + "/feeds/rss.xml"]
        proc = run_cli("seed", "--redis", redis_url, "--job", "demo", *seeds, check=True)
        assert "run 1" in proc.stdout
        started = time.monotonic()
        outputs = run_workers(redis_url, tmp_path / "dist")
        assert time.monotonic() - started < 90, "workers did not end when the frontier drained"
        hits = Counter(server.hits)

        # every URL fetched exactly once across both workers (robots.txt: once per worker)
        robots = hits.pop("/robots.txt")
        assert 1 <= robots <= 2
        assert {p: n for p, n in hits.items() if n != 1} == {}
        assert reachable_paths(manifest()) - {"/robots.txt"} <= set(hits)
        pages = [sum(int(n) for n in re.findall(r"^(?:pages|page requisites|discovery fetches) +(\d+)", out, re.M))
                 for out in outputs]
        assert all(n > 0 for n in pages), f"a worker got no work: {pages}"

        shards = sorted((tmp_path / "dist" / "shards").glob("*.db"))
        assert [s.name for s in shards] == ["w0.db", "w1.db"]
        warcs = sorted(p.name for p in (tmp_path / "dist" / "warcs").glob("*.warc.gz"))
        assert any(n.endswith("-w0.warc.gz") for n in warcs) and any(n.endswith("-w1.warc.gz") for n in warcs)
        run_cli("merge", *shards, "--into", tmp_path / "dist", check=True)
        merged = tmp_path / "dist" / "archive.db"
        once = counts(merged)
        run_cli("merge", *shards, "--into", tmp_path / "dist", check=True)
        assert counts(merged) == once, "merging twice added rows"

        # the same site crawled by one process
        run_cli("crawl", *seeds, "--archive", tmp_path / "single", *FAST, check=True)
    single = articles(tmp_path / "single" / "archive.db")
    assert len(single) >= 20
    assert articles(merged) == single
    assert once[:2] == counts(tmp_path / "single" / "archive.db")[:2]
    proc = run_cli("verify", "--archive", tmp_path / "dist")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_new_run_is_not_blocked_by_the_previous_runs_fingerprints(redis_url, tmp_path):
    from crawler.demo.server import DemoServer

    with DemoServer() as server:
        for run in (1, 2):
            proc = run_cli("seed", "--redis", redis_url, "--job", "again", server.url + "/", check=True)
            assert f"run {run}" in proc.stdout
            server.hits.clear()
            subprocess.run([*NEWSARCHIVE, "worker", "--redis", redis_url, "--job", "again", "--archive",
                            str(tmp_path), "--worker-id", "solo", *FAST], cwd=ROOT, check=True,
                           capture_output=True, timeout=120)
            assert server.hits["/"] == 1 and len(server.hits) > 20


def test_wrong_password_and_unseeded_job_give_one_clear_line(redis_url, tmp_path):
    bad = redis_url.replace(PASSWORD, "wrong")
    proc = run_cli("worker", "--redis", bad, "--job", "demo", "--archive", tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("Error:") and "password" in proc.stderr
    proc = run_cli("worker", "--redis", redis_url, "--job", "never-seeded", "--archive", tmp_path)
    assert proc.returncode == 1 and "newsarchive seed" in proc.stderr and "Traceback" not in proc.stderr


def test_a_worker_keeps_the_crawls_extensions_byte_limit_progress_and_post_crawl_checks(redis_url, tmp_path):
    """The worker's own extension is merged into EXTENSIONS, not put in place of it (issue 16)."""
    from crawler.demo.server import DemoServer

    limit = 30_000
    with DemoServer() as server:
        run_cli("seed", "--redis", redis_url, "--job", "limited", server.url + "/", check=True)
        proc = subprocess.run([*NEWSARCHIVE, "worker", "--redis", redis_url, "--job", "limited", "--archive",
                               str(tmp_path), "--worker-id", "solo", *FAST, "-s", "CONCURRENT_REQUESTS=1",
                               "-s", f"NEWSARCHIVE_MAX_BYTES={limit}", "-s", "NEWSARCHIVE_PROGRESS=1",
                               "-s", "NEWSARCHIVE_PROGRESS_INTERVAL=0.05"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        fetched = sum(server.hits.values())
    # ByteLimit: the worker stopped soon after the limit, far short of the site
    assert 2 <= fetched < len(reachable_paths(manifest())) // 2, fetched
    # CrawlProgress: the live line, ended by a newline when the spider closed
    assert re.search(r"pages \d+  articles \d+  WARC [\d.]+ [KMG]?B  errors \d+", proc.stderr), proc.stderr
    # PostCrawlChecks: the worker's WARCs are indexed as soon as it ends
    assert list((tmp_path / "indexes" / "cdxj").glob("*.cdxj")), sorted(p.name for p in tmp_path.rglob("*"))
