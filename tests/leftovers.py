"""Which processes a test session left running.

Every process the suite starts, directly or not (CLI runs, crawls, their pool workers and fork
servers, Datasette, pywb), inherits ``NEWSARCHIVE_TEST_SESSION`` from the session's environment;
the mark survives re-parenting to PID 1, which a look at descendants alone would miss. Processes
that dropped the environment are still found when they descend from the session. Other
developers' sessions on the same machine carry other marks and other checkouts: they are never
counted, and neither is anything started before this session.
"""

from __future__ import annotations

import os
import signal
import time
import uuid

MARK = "NEWSARCHIVE_TEST_SESSION"


def mark_session() -> str:
    """The session's mark, set once (conftest may be imported again by a test module)."""
    return os.environ.setdefault(MARK, uuid.uuid4().hex)


def _read(pid: int, name: str) -> bytes:
    try:
        with open(f"/proc/{pid}/{name}", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def _parent(pid: int) -> int:
    stat = _read(pid, "stat").decode(errors="replace")
    try:
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (IndexError, ValueError):
        return 0


def leftovers(mark: str, session_pid: int | None = None, helpers: bool = False) -> dict[int, str]:
    """pid -> command line of every live process of this session but the session itself.

    multiprocessing's helpers that still descend from the session (its resource tracker, a fork
    server and its workers started in the session's own process) end with it, reading EOF from
    it; they are left out unless ``helpers``. Orphaned ones, of a crawl that is gone, count."""
    session_pid = session_pid or os.getpid()
    needle = f"{MARK}={mark}".encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == session_pid:
            continue
        pid = int(entry)
        state = _read(pid, "stat").decode(errors="replace").rsplit(")", 1)[-1].split()[:1]
        if state == ["Z"]:
            continue  # exited, only not yet reaped
        marked = needle in _read(pid, "environ").split(b"\0")
        descends, ancestor, hops = False, _parent(pid), 0
        while not descends and ancestor > 1 and hops < 64:
            descends, ancestor, hops = ancestor == session_pid, _parent(ancestor), hops + 1
        if not (marked or descends):
            continue
        cmd = _read(pid, "cmdline").replace(b"\0", b" ").decode(errors="replace").strip()
        if descends and not helpers and "multiprocessing." in cmd:
            continue
        found[pid] = cmd
    return found


def wait_for_leftovers(mark: str, grace: float = 5.0) -> dict[int, str]:
    """The processes still there after ``grace`` seconds (children may be on their way out)."""
    deadline = time.monotonic() + grace
    while True:
        found = leftovers(mark)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def end(pids) -> None:
    """End the processes this session left behind, by id, so a failed check leaves nothing."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
