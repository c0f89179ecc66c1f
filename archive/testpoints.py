"""Named points where a test can freeze a real crawl, to kill it at an exact moment.

The crash tests set ``NEWSARCHIVE_TESTPOINT=NAME:N`` and ``NEWSARCHIVE_TESTPOINT_FILE=PATH``: the
N-th time the crawl reaches point NAME it writes PATH and sleeps, and the test, having waited for
PATH, SIGKILLs the crawl's process group (or changes the world, say fills the disk, and deletes PATH
to let the crawl go on).  So a kill lands inside a dataset flush or a WARC
rotation every time, not when a timer happens to fire.  Unset (always, outside those tests) a
point costs one string comparison.  It lives in ``archive/`` because the WARC writer uses it and
``archive/`` imports nothing from ``crawler/``; the dataset writer uses it too.
"""

from __future__ import annotations

import os
import time

_NAME, _, _N = os.environ.get("NEWSARCHIVE_TESTPOINT", "").partition(":")
_seen = 0


def testpoint(name: str) -> None:
    global _seen
    if name != _NAME:
        return
    _seen += 1
    if _seen != int(_N or 1):
        return
    path = os.environ.get("NEWSARCHIVE_TESTPOINT_FILE")
    if not path:
        return
    with open(path, "w") as fh:
        fh.write(str(os.getpid()))
    while os.path.exists(path):  # until the test kills us, or deletes the file to let us go on
        time.sleep(0.02)
