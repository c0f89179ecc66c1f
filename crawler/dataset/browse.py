"""Datasette over archive.db, with the metadata researchers need to read it.

Datasette opens a mutable database with ``mode=ro`` for every read, so it is safe to browse
while a crawl writes (``--immutable`` would let it cache counts that the crawl then changes).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from crawler.dataset.errors import DatasetError
from crawler.dataset.migrations import ensure_current


def load_metadata(db_name: str) -> dict:
    """The shipped metadata, with its table metadata under ``databases.<db_name>``."""
    import yaml  # a dependency of Datasette

    raw = yaml.safe_load(resources.files("crawler.dataset").joinpath("metadata.yaml").read_text("utf-8"))
    tables = raw.pop("tables")
    queries = raw.pop("queries", {})
    raw["databases"] = {db_name: {"tables": tables, "queries": queries}}
    return raw


def _check_port(bind: str, port: int) -> None:
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds it
            sock.bind((bind, port))
    except OSError as exc:
        raise DatasetError(f"cannot listen on {bind}:{port}: {exc.strerror or exc}") from None


def datasette_command(db_path, metadata_path, port: int, bind: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "crawler.dataset.datasette_serve", str(db_path),
            "--host", bind, "--port", str(port), "--metadata", str(metadata_path),
            "--setting", "sql_time_limit_ms", "5000",
            "--setting", "default_page_size", "50",
            "--setting", "allow_download", "off"]


def start_browse(db_path, port: int = 8001, bind: str = "127.0.0.1", **popen) -> tuple[subprocess.Popen, Path]:
    """Start Datasette; returns the process and its metadata directory (remove it after)."""
    db_path = Path(db_path)
    ensure_current(db_path)
    _check_port(bind, port)
    workdir = Path(tempfile.mkdtemp(prefix="newsarchive-browse-"))
    meta = workdir / "metadata.json"
    meta.write_text(json.dumps(load_metadata(db_path.stem), indent=2), encoding="utf-8")
    try:
        proc = subprocess.Popen(datasette_command(db_path, meta, port, bind), **popen)
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise DatasetError(f"cannot start Datasette: {exc}") from None
    return proc, workdir


def browse(db_path, port: int = 8001, bind: str = "127.0.0.1") -> int:
    """Run Datasette in the foreground until interrupted; returns its exit code."""
    proc, workdir = start_browse(db_path, port, bind)
    # SIGTERM (systemd, kill, a test) stops Datasette too, as Ctrl-C does; it must never be
    # left holding the port after browse is gone.
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)
