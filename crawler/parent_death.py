"""End a helper process when the process it works for dies, however that one dies.

A pool worker started from multiprocessing's fork server is not a child of the crawl: when the
crawl is killed by its PID alone (SIGKILL, the OOM killer) the worker waits for its next task
forever, and because it holds the fork server's and the resource tracker's pipes open, those two
live on with it (issue 21). ``PR_SET_PDEATHSIG`` cannot help, since the worker's parent is the fork
server, which outlives the crawl; so the worker watches the crawl itself. No Scrapy here: this
module is imported in every worker.
"""

from __future__ import annotations

import os
import select
import threading
import time

POLL_SECONDS = 1.0  # only where pidfds are missing (Linux < 5.3, other systems)


def exit_with(pid: int) -> None:
    """Start a daemon thread that ends this process as soon as process ``pid`` has exited.

    A pidfd (Linux 5.3+) becomes readable when its process exits and cannot be fooled by a
    reused PID; elsewhere the PID is polled. Never raises: it runs as a pool initializer, where
    an exception would break the pool."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(0)  # already gone before we started
    except (AttributeError, OSError):
        fd = None
    threading.Thread(target=_watch, args=(pid, fd), name=f"exit-with-{pid}", daemon=True).start()


def _watch(pid: int, fd: int | None) -> None:
    if fd is not None:
        select.select([fd], [], [])
    else:
        while _alive(pid):
            time.sleep(POLL_SECONDS)
    os._exit(0)  # the work's owner is gone: nothing here can be delivered any more


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
