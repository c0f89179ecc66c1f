"""bench/realcrawl.py's machinery: pages at their own host names on 127.0.0.1, and nothing else.

A real crawl (the CLI, Scrapy, the WARC middleware) runs through ``loopback.LoopbackResolver``
against ``bench/loopback.py`` serving three pages written here on free high ports, over HTTP and
HTTPS. What the benchmark's honesty rests on is asserted: every host the crawl fetched resolved
to 127.0.0.1 (the WARC records carry the address connected to), a listed page at a real-looking
name is served with the bytes saved for it, and a name not on the list fails as a DNS error from
the benchmark resolver, with no request sent anywhere.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import FAST, ROOT, free_port, run_cli

sys.path.insert(0, str(ROOT / "bench"))

import loopback  # noqa: E402

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)

STORY = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council votes to reopen the pier</title>
<meta property="og:type" content="article"></head><body><article><h1>Council votes to reopen the pier</h1>
<p>The town council voted on Tuesday night to reopen the Victorian pier after three years of repairs,
with the first visitors expected on the bank holiday weekend.</p>
<p>Councillors said the cost had come in under budget thanks to timber salvaged from the old
pavilion, and that the reopened pier would host a weekly market through the summer.</p>
<img src="/static/pier.jpg"><a href="https://elsewhere.example.net/">elsewhere</a></article></body></html>"""
THREAD = b"""<!DOCTYPE html><html><head><title>Best route up the north ridge?</title></head><body>
<h1>Best route up the north ridge?</h1><p>Has anyone walked the north ridge since the storm?</p></body></html>"""


@pytest.fixture()
def site(tmp_path):
    http_port, https_port = free_port(), free_port()
    files = {"story.html.gz": gzip.compress(STORY), "thread.html": THREAD}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    urls = {
        f"http://www.pier-news.org:{http_port}/2026/05/council-votes-to-reopen-the-pier": "story.html.gz",
        f"https://forum.hillwalkers.net:{https_port}/viewtopic.php?t=4411&start=0": "thread.html",
    }
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text("".join(f"{u}\t{tmp_path / f}\n" for u, f in urls.items()), encoding="utf-8")
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("\n".join(loopback.host_names(urls)) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "loopback.py"), str(manifest),
                             "--http-port", str(http_port), "--https-port", str(https_port)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        yield {"urls": list(urls), "hosts": hosts, "ports": (http_port, https_port), "proc": proc}
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.communicate(timeout=10)


def _crawl(site, archive: Path, *urls):
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "bench"), os.environ.get("PYTHONPATH")]))}
    return run_cli("crawl", *urls, "--archive", archive, "--depth", "0", *FAST,
                   "-s", "TWISTED_DNS_RESOLVER=loopback.LoopbackResolver",
                   "-s", f"LOOPBACK_HOSTS_FILE={site['hosts']}", env=env)


def test_a_crawl_through_the_resolver_reaches_only_127_0_0_1(site, tmp_path):
    http_port, _ = site["ports"]
    unlisted = f"http://www.python.org:{http_port}/"  # a real name, not on the list
    done = _crawl(site, tmp_path / "archive", *site["urls"], unlisted)
    site["proc"].terminate()
    counts = json.loads(site["proc"].communicate(timeout=10)[0].strip().splitlines()[-1])

    db = sqlite3.connect(tmp_path / "archive" / "archive.db")
    captures = db.execute("select url, status, ip, error from captures").fetchall()
    answered = [c for c in captures if c[1] is not None]
    assert {c[2] for c in answered} == {"127.0.0.1"}, captures
    assert {loopback.request_key(c[0])[0] for c in answered} == set(loopback.host_names(site["urls"]))
    # both pages, their robots.txt (HTTP and HTTPS) and the story's image (a 404) were served here
    assert counts["pages"] == 2 and counts["robots"] == 2 and counts["https"] >= 2
    assert counts["requests"] == len(answered)
    statuses = {c[0]: c[1] for c in answered}
    assert statuses[site["urls"][0]] == 200 and statuses[site["urls"][1]] == 200
    # the unlisted name never got an address: a DNS failure said by the benchmark resolver
    failed = [c for c in captures if c[0].startswith("http://www.python.org")]
    assert failed and all(c[1] is None and c[2] is None for c in failed)
    assert "loopback resolver: www.python.org is not a benchmark host" in done.stderr
    # what was served is the saved page: the stored article is the story
    headline, body = db.execute("select headline, body from articles").fetchone()
    assert headline == "Council votes to reopen the pier"
    assert body.startswith("The town council voted on Tuesday night")


def test_resolver_refuses_names_not_listed():
    from twisted.internet import reactor
    from twisted.internet.error import DNSLookupError

    resolver = loopback.LoopbackResolver(reactor, ["news.example.org"])
    got = []
    resolver.getHostByName("NEWS.example.org.").addCallback(got.append)
    resolver.getHostByName("example.org").addErrback(lambda f: got.append(f.check(DNSLookupError)))
    assert got == ["127.0.0.1", DNSLookupError]
    assert resolver.resolved == {"NEWS.example.org.": "127.0.0.1", "example.org": None}
