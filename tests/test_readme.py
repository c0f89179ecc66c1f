"""The README is true for a newcomer (issue 21, item 6): every ``newsarchive`` command line in its
``sh`` blocks runs as written, in a fresh directory, against the demo archive it builds.

Not run, and why (the test fails if the README grows a command it does not know what to do with):
- long-running servers: ``browse``, ``replay``, ``scheduler`` without ``--once``;
- the network, which tests may not use: the ``crawl`` and ``scrapy crawl`` examples of
  news.example.org, and scale-out (``seed``, ``worker``, ``merge``: a Redis on another machine);
- installation lines (``make``, ``python3 -m venv``, ``.venv/bin/...``): the suite runs installed.
One substitution is made: when port 8471 is taken (another test run), the demo serves on another
port and the demo URLs in later lines get that port.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from cli_helpers import ROOT

README = ROOT / "README.md"
SERVERS = ("browse", "replay")
NETWORK = ("seed", "worker", "merge")


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def classify(line: str) -> str:
    words = shlex.split(line, comments=True)
    if not words or words[0] != "newsarchive":
        return "install" if words and (words[0] in ("make", "python3", "export") or words[0].startswith(".venv")) \
            else ("network" if words and words[0] == "scrapy" else "unknown")
    command = words[1]
    if command in SERVERS or (command == "scheduler" and "--once" not in words):
        return "server"
    if command in NETWORK or "news.example.org" in line:
        return "network"
    return "run"


def test_every_readme_line_is_known():
    kinds = {line: classify(line) for line in readme_commands()}
    assert "unknown" not in kinds.values(), [l for l, k in kinds.items() if k == "unknown"]
    runnable = [l for l, k in kinds.items() if k == "run"]
    assert len(runnable) >= 18 and any("--edition 2" in l for l in runnable)
    # diff comes after the demo's second edition, or it would have nothing to compare
    order = [l.split()[1] + (" 2" if "--edition 2" in l else "") for l in runnable]
    assert order.index("demo 2") < order.index("diff")


JOBS = """
[jobs.local-daily]
seeds = ["http://127.0.0.1:{port}/"]
feeds = ["http://127.0.0.1:{port}/feeds/rss.xml"]
archive = "archive"
[jobs.local-daily.politeness]
delay = 0
[jobs.local-daily.schedule]
interval = "1d"
"""


@pytest.mark.slow
def test_readme_commands_run_as_written(tmp_path, demo_server):
    shutil.copy(ROOT / "jobs.example.toml", tmp_path / "jobs.example.toml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NEWSARCHIVE_JOBS", None)
    port = "8471"
    outputs = {}
    for line in readme_commands():
        if classify(line) != "run":
            continue
        line = line.replace("127.0.0.1:8471", f"127.0.0.1:{port}")
        words = shlex.split(line, comments=True)
        target = None
        if ">" in words:
            words, target = words[: words.index(">")], words[words.index(">") + 1]
        if words[1:3] == ["jobs", "run"] and not (tmp_path / "jobs.toml").exists():
            # "copy to jobs.toml and edit": a job of the user's own, here of a demo site being served
            (tmp_path / "jobs.toml").write_text(JOBS.format(port=demo_server.port))
        proc = subprocess.run([sys.executable, "-m", "crawler.cli", *words[1:]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{line}\n--- stdout\n{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-3000:]}"
        assert "Traceback" not in proc.stderr, line
        if target:
            (tmp_path / target).write_text(proc.stdout)
        served = re.search(r"demo site: http://127\.0\.0\.1:(\d+)", proc.stderr)
        if served:
            port = served.group(1)
        outputs[" ".join(words[1:3])] = proc.stdout

    assert "Pam" in outputs["search Pam first kiss"]
    assert "[-Street-]{+Street;+}" in outputs[f"diff http://127.0.0.1:{port}/news/2026/11/23/water-main-break-closes-elm-street"]
    assert "problems: 0" in outputs["verify --archive"]
    assert "0 new, 0 changed" in outputs["reextract --archive"]
    assert json.loads(outputs["extract page.html"].splitlines()[0])["headline"].startswith("Water main break")
    assert (tmp_path / "articles.csv").stat().st_size > 1000 and (tmp_path / "demo.wacz").exists()
    assert re.search(r"#\d+ +\S+ +\S+ +(finished|max_pages) \(exit 0\)", outputs["jobs history"])
