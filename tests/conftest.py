"""Shared fixtures: the demo site on 127.0.0.1 and real crawls of it through the real CLI.

Crawls run in subprocesses because a Twisted reactor runs only once per process.
"""

from __future__ import annotations

import pytest

from cli_helpers import crawl_demo
from leftovers import end, mark_session, wait_for_leftovers

SESSION_MARK = mark_session()  # set before any test starts a process, so all of them carry it


@pytest.fixture(scope="session", autouse=True)
def nothing_left_running():
    """The suite fails when a process it started outlives it (issue 21): a crawl's pool workers,
    a fork server, a Datasette or pywb child. What is found is named, then ended."""
    yield
    left = wait_for_leftovers(SESSION_MARK)
    if left:
        end(left)
        pytest.fail("processes left running by the test session (now ended):\n"
                    + "\n".join(f"  {pid} {cmd[:200]}" for pid, cmd in sorted(left.items())),
                    pytrace=False)


@pytest.fixture(scope="session")
def demo_server():
    from crawler.demo.server import DemoServer

    server = DemoServer(edition=1).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_crawl(tmp_path_factory):
    """One real crawl of a fresh demo server, shared by the read-only tests of its output."""
    from crawler.demo.server import DemoServer

    archive = tmp_path_factory.mktemp("demo-archive")
    with DemoServer(edition=1) as server:
        proc = crawl_demo(server, archive)
        hits = dict(server.hits)
        url = server.url
    return {"archive": archive, "hits": hits, "url": url, "proc": proc}


@pytest.fixture(scope="session")
def demo_editions(tmp_path_factory):
    """The demo archived twice at one address, edition 1 then edition 2 (three articles edited):
    what `newsarchive demo` then `newsarchive demo --edition 2` leave. Tests copy it to change it."""
    from crawler.demo.server import DemoServer

    archive = tmp_path_factory.mktemp("demo-editions")
    with DemoServer(edition=1) as server:
        first = crawl_demo(server, archive)
        server.edition = 2
        second = crawl_demo(server, archive)
    return {"archive": archive, "first": first, "second": second}
