"""Serve an archive directory with pywb, in place, as the collection ``archive``.

pywb pins old libraries that break scrapy-redis, so it lives in its own
virtualenv and we only ever talk to it as a subprocess. Nothing is copied: a generated
``config.yaml`` in ``ARCHIVE/.replay/`` points pywb at the directory of CDXJ files
``ARCHIVE/indexes/cdxj/`` (pywb bisects each file; see ``archive/index.py``) and ``ARCHIVE/warcs/``.

WARC files are written as ``*.warc.gz.open`` and renamed when closed, while the index may name a
file by either name. A pywb "path index" (a sorted ``name<TAB>path<TAB>path`` file) lets a
capture resolve under both names, so replay keeps working across the rename.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

COLLECTION = "archive"
REPLAY_VENV_ENV = "NEWSARCHIVE_REPLAY_VENV"
WORK_DIR_NAME = ".replay"
OPEN_SUFFIX = ".open"
WARC_SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ReplayError(Exception):
    """A problem the user can fix; the message is one line meant for them."""


# --- locating pywb ------------------------------------------------------------

def find_replay_venv(venv: str | os.PathLike | None = None) -> Path:
    """Return the pywb virtualenv: explicit argument, then $NEWSARCHIVE_REPLAY_VENV, then the
    project's ``.venv-replay`` (what ``make replay-env`` creates)."""
    candidate = venv or os.environ.get(REPLAY_VENV_ENV) or PROJECT_ROOT / ".venv-replay"
    path = Path(candidate).expanduser().resolve()
    if not (path / "bin" / "wayback").is_file():
        raise ReplayError(f"pywb replay environment not found at {path}: run `make replay-env` "
                          f"(or set {REPLAY_VENV_ENV})")
    return path


# --- the index ----------------------------------------------------------------

def final_name(name: str) -> str:
    return name[: -len(OPEN_SUFFIX)] if name.endswith(OPEN_SUFFIX) else name


def is_warc_name(name: str) -> bool:
    return final_name(name).endswith(WARC_SUFFIXES)


def warc_files(warc_dir: Path) -> list[Path]:
    if not warc_dir.is_dir():
        return []
    return sorted(p for p in warc_dir.iterdir() if p.is_file() and is_warc_name(p.name))


def build_index_with_cdxj_indexer(warc_dir: Path, index_path: Path) -> Path:
    """Fallback indexer: one sorted CDXJ of every WARC, ``.open`` files under their final name."""
    from cdxj_indexer.main import CDXJIndexer

    lines: list[str] = []
    for path in warc_files(warc_dir):
        out = io.StringIO()
        CDXJIndexer(out, [str(path)], filename=final_name(path.name)).process_all()
        lines.extend(line for line in out.getvalue().splitlines(keepends=True) if line.strip())
    lines.sort()
    index_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = index_path.with_name(index_path.name + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, index_path)
    return index_path


def ensure_index(archive_dir: Path, warc_dir: Path, rebuild: bool = False,
                 fallback_dir: Path | None = None, merge_at: int | None = None) -> Path:
    """The CDXJ source pywb reads: the archive's directory of per-WARC and merged CDXJ files
    (``ARCHIVE/indexes/cdxj/``, which pywb bisects file by file), brought up to date by indexing
    only the WARCs it lacks.

    Another WARC directory gets one sorted file; on a read-only archive that file goes to
    ``fallback_dir``: replay must work from archival media years later."""
    try:
        if warc_dir == archive_dir / "warcs":
            from archive.index import DEFAULT_MERGE_AT, index_dir, rebuild_index, refresh_index

            if rebuild:
                rebuild_index(str(archive_dir))
            else:
                refresh_index(str(archive_dir), merge_at=DEFAULT_MERGE_AT if merge_at is None else merge_at)
            return Path(index_dir(str(archive_dir)))
        return build_index_with_cdxj_indexer(warc_dir, fallback_dir / "index.cdxj" if fallback_dir
                                             else archive_dir / "indexes" / "index.cdxj")
    except OSError as exc:
        if fallback_dir is None:
            raise ReplayError(f"cannot write the index under {archive_dir / 'indexes'}: {exc}") from None
        try:
            return build_index_with_cdxj_indexer(warc_dir, fallback_dir / "index.cdxj")
        except Exception as exc2:
            raise ReplayError(f"indexing the WARC files in {warc_dir} failed: {exc2}") from None
    except Exception as exc:  # a damaged WARC must not end in a traceback
        raise ReplayError(f"indexing the WARC files in {warc_dir} failed: {exc}") from None


# --- pywb configuration -------------------------------------------------------

def write_path_index(warc_dir: Path, path_index: Path) -> Path:
    """Map both names of every WARC (closed and ``.open``) to both candidate paths."""
    entries: dict[str, list[str]] = {}
    for path in warc_files(warc_dir):
        base = final_name(path.name)
        targets = [str(warc_dir / base), str(warc_dir / (base + OPEN_SUFFIX))]
        entries[base] = targets
        entries[base + OPEN_SUFFIX] = targets
    # pywb binary-searches this file, so it must be sorted bytewise.
    lines = sorted("\t".join([key, *paths]).encode("utf-8") for key, paths in entries.items())
    path_index.write_bytes(b"".join(line + b"\n" for line in lines))
    return path_index


def write_config(work_dir: Path, archive_dir: Path, warc_dir: Path, index_path: Path) -> Path:
    """Write ``config.yaml`` (as JSON, which YAML reads) for one fixed collection, no auto-collections."""
    work_dir.mkdir(parents=True, exist_ok=True)
    path_index = write_path_index(warc_dir, work_dir / "pathindex.txt")
    archive_paths = [str(warc_dir) + os.sep, str(path_index), str(archive_dir) + os.sep]
    config = {
        "collections_root": str(work_dir / "collections"),
        "enable_auto_colls": False,
        "collections": {COLLECTION: {"index": str(index_path), "archive_paths": archive_paths}},
        "enable_memento": True,
    }
    target = work_dir / "config.yaml"
    target.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return target


def prepare_work_dir(preferred: Path) -> tuple[Path, bool]:
    """``preferred`` if we can write there, else a temporary directory; (dir, is_temporary)."""
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        probe = preferred / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
        return preferred, False
    except OSError:
        return Path(tempfile.mkdtemp(prefix="newsarchive-replay-")), True


# --- the server process -------------------------------------------------------

def claim_port(bind: str, port: int) -> int:
    """Check that pywb will be able to listen on ``bind:port``; for port 0 pick a free port."""
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((bind, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ReplayError(f"port {port} on {bind} is already in use: choose another with --port") from None
            raise ReplayError(f"cannot listen on {bind}:{port}: {exc.strerror or exc}") from None
        return sock.getsockname()[1]


@dataclass
class ReplayServer:
    """A running pywb; ``url`` is the collection's base URL. Use as a context manager or call stop()."""

    process: subprocess.Popen
    bind: str
    port: int
    work_dir: Path
    log_path: Path
    _log: object = field(default=None, repr=False)
    scratch: bool = False  # work_dir is a temporary directory of ours, removed on stop()

    @property
    def base_url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        if self.bind in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/{COLLECTION}/"

    def replay_url(self, url: str, timestamp: str = "", mode: str = "id_") -> str:
        return f"{self.url}{timestamp}{mode}/{url}"

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        return self.process.wait()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop pywb and anything it spawned (it runs in its own process group)."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.scratch:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self.scratch = False

    def __enter__(self) -> "ReplayServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def log_tail(path: Path, lines: int = 5) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def wait_until_ready(server: ReplayServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    probe = f"{server.base_url}/{COLLECTION}/cdx?url=none.invalid/&limit=1"
    while time.monotonic() < deadline:
        if not server.running():
            raise ReplayError(f"pywb exited with code {server.process.returncode}: "
                              f"{log_tail(server.log_path) or 'no output'}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            return  # pywb answered: it is up
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    server.stop()
    raise ReplayError(f"pywb did not answer on {server.base_url} within {timeout:.0f} s "
                      f"(log: {server.log_path})")


def start_replay(archive_dir: str | os.PathLike, bind: str = "127.0.0.1", port: int = 8080, *,
                 venv: str | os.PathLike | None = None, warc_dir: str | os.PathLike | None = None,
                 work_dir: str | os.PathLike | None = None, reindex: bool = False,
                 threads: int = 4, timeout: float = 30.0, index_merge_at: int | None = None) -> ReplayServer:
    """Index if needed, configure and start pywb; return once it answers HTTP. ``port=0`` picks a free port."""
    archive = Path(archive_dir).expanduser().resolve()
    if not archive.is_dir():
        raise ReplayError(f"archive directory not found: {archive}")
    warcs = Path(warc_dir).expanduser().resolve() if warc_dir else archive / "warcs"
    if not warc_files(warcs):
        raise ReplayError(f"no WARC files in {warcs}: nothing to replay")
    venv_path = find_replay_venv(venv)
    port = claim_port(bind, port)
    work, scratch = prepare_work_dir(Path(work_dir).resolve() if work_dir else archive / WORK_DIR_NAME)
    try:
        index = ensure_index(archive, warcs, rebuild=reindex, fallback_dir=work, merge_at=index_merge_at)
        config = write_config(work, archive, warcs, index)
    except BaseException:
        if scratch:
            shutil.rmtree(work, ignore_errors=True)
        raise

    log_path = work / "wayback.log"
    log = open(log_path, "wb")
    env = {**os.environ, "PYWB_CONFIG_FILE": str(config), "VIRTUAL_ENV": str(venv_path)}
    env.pop("PYTHONPATH", None)  # keep the crawler venv's packages out of pywb's interpreter
    cmd = [str(venv_path / "bin" / "wayback"), "-b", bind, "-p", str(port), "-t", str(threads)]
    process = subprocess.Popen(cmd, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    server = ReplayServer(process=process, bind=bind, port=port, work_dir=work,
                          log_path=log_path, _log=log, scratch=scratch)
    try:
        wait_until_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server
