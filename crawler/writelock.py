"""One writer per dataset: a lock file next to ``archive.db`` (or a worker's shard).

Two processes appending to the same WARC directory and dataset would each believe the other's
``.open`` files were left by a crash, and their digest indexes would not see each other's captures
until a batch commits.  So every command that writes takes ``ARCHIVE/archive.lock`` (a worker:
``ARCHIVE/shards/WORKER.lock``) for its whole run, with ``flock``: the kernel releases it when the
holder dies, however it dies, so a lock is never stale in the sense of blocking anyone.  The file
keeps the holder's pid, host and command, for the refusal message, and the last holder's line
stays behind after a kill, for the recovery that follows.  Readers never take it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from datetime import datetime, timezone
from pathlib import Path

from crawler.errors import CrawlError

_HELD: dict[str, "WriterLock"] = {}  # lock path -> the lock this process holds (re-entrant)


class ArchiveBusy(CrawlError):
    """Another process is writing this archive."""


def lock_path(db_path: Path | str) -> Path:
    """``ARCHIVE/archive.db`` -> ``ARCHIVE/archive.lock``; ``shards/W.db`` -> ``shards/W.lock``."""
    return Path(db_path).with_suffix(".lock")


def owner_line(command: str | None = None) -> str:
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "command": command or " ".join(["newsarchive", *sys.argv[1:]]),
                       "since": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")})


def describe(text: str) -> str:
    try:
        owner = json.loads(text)
        return f"pid {owner['pid']} on {owner['host']}, `{owner['command']}` since {owner['since']}"
    except (ValueError, KeyError, TypeError):
        return "another process"


class WriterLock:
    """``with WriterLock(db_path, command):`` or ArchiveBusy; the same process may nest it."""

    def __init__(self, db_path: Path | str, command: str | None = None):
        self.path = lock_path(db_path)
        self.command = command
        self.fh = None
        self.previous = ""  # the line a dead holder left, if any
        self.nested = False

    def __enter__(self):
        key = str(self.path.resolve())
        if key in _HELD:
            self.nested = True
            return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+")
        except OSError as exc:
            raise CrawlError(f"cannot write to {self.path.parent}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = describe(fh.read().strip())
            fh.close()
            raise ArchiveBusy(f"{self.path.parent} is being written by {holder}; "
                              "not starting a second writer (reading commands work meanwhile)") from None
        fh.seek(0)
        self.previous = fh.read().strip()
        fh.seek(0)
        fh.truncate()
        fh.write(owner_line(self.command) + "\n")
        fh.flush()
        self.fh = fh
        _HELD[key] = self
        return self

    def __exit__(self, *exc):
        if self.nested:
            return
        _HELD.pop(str(self.path.resolve()), None)
        try:
            self.fh.seek(0)
            self.fh.truncate()  # a clean end leaves an empty file: nothing to take over
        except OSError:
            pass
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def is_locked(db_path: Path | str) -> bool:
    """Whether some process (this one included) is writing the dataset at ``db_path``."""
    path = lock_path(db_path)
    return str(path.resolve()) in _HELD or file_is_locked(path)


def file_is_locked(path: Path) -> bool:
    """Whether another open file description holds an exclusive ``flock`` on ``path``."""
    if not path.exists():
        return False
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False
