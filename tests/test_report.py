"""``newsarchive report``: one self-contained HTML file whose numbers are the dataset's and
``status``'s, drawn in headless Chromium (screenshot kept under test-artifacts/)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from html import unescape
from pathlib import Path

import pytest

from cli_helpers import ROOT, run_cli
from crawler.report import build_report
from crawler.report.figures import report_queries

ARTIFACTS = ROOT / "test-artifacts"


def _totals(html: str) -> dict[str, str]:
    return {key: unescape(value) for key, value in re.findall(r'data-total="(\w+)">([^<]*)<', html)}


def _status(archive) -> str:
    return run_cli("status", "--archive", archive, check=True).stdout


@pytest.mark.slow  # crawls of the demo site, CLI processes, Chromium
def test_crawl_summary_ends_with_its_report(demo_crawl):
    out = demo_crawl["proc"].stdout
    line = [l for l in out.splitlines() if l.startswith("report ")]
    assert line, out
    path = Path(line[0].split(None, 1)[1])
    assert path == demo_crawl["archive"] / "reports" / "crawl-1.html"
    html = path.read_text(encoding="utf-8")
    assert "(crawl #1)" in html and "<svg" in html


@pytest.mark.slow  # crawls of the demo site, CLI processes, Chromium
def test_report_numbers_match_status_and_dataset(demo_editions):
    archive = demo_editions["archive"]
    out = run_cli("report", "--archive", archive, check=True).stdout
    path = Path(out.strip().removeprefix("report: "))
    assert path == archive / "reports" / "report.html"
    html = path.read_text(encoding="utf-8")
    totals = _totals(html)
    status = _status(archive)
    counts = re.search(r"(\d+) articles, (\d+) versions, (\d+) captures, (\d+) crawls", status).groups()
    assert (totals["articles"], totals["versions"], totals["captures"], totals["crawls"]) == counts
    assert re.search(r"WARC files (\d+) ", status).group(1) == totals["warc_files"]
    assert f"verdicts   {totals['verdicts']}" in status
    with sqlite3.connect(archive / "archive.db") as conn:
        assert int(totals["articles"]) == conn.execute("select count(*) from articles").fetchone()[0] == 26
        assert int(totals["versions"]) == 29  # three articles edited in edition 2
        changed = conn.execute("select count(*) from articles where version_count = 2").fetchone()[0]
    # per crawl: the status's recent-runs lines and the report's crawl table agree
    runs = {int(m[0]): (m[1], m[2], m[3]) for m in
            re.findall(r"#(\d+) .*?pages (\d+) .*?articles (\d+)\s+errors (\d+)", status)}
    table = html.split('id="crawls"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td class=\"n\">(\d+)</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td>"
                      r"<td class=\"n\">(\d+)</td><td class=\"n\">(\d+)</td><td class=\"n\">(\d+)</td></tr>", table)
    assert {int(r[0]): r[1:] for r in rows} == runs and len(runs) == 2
    versions = html.split('id="versions"')[1].split("</section>")[0]
    assert re.search(rf"<td class=\"n\">2</td><td class=\"n\">{changed}</td>", versions)
    # one crawl's report covers that crawl only: its captures, and only the edited articles
    one = build_report(archive, crawl=2)
    hosts = one.split('id="hosts"')[1].split("</section>")[0]
    with sqlite3.connect(archive / "archive.db") as conn:
        second = conn.execute("select count(*) from captures where crawl_id = 2").fetchone()[0]
    assert re.search(rf"<td>127\.0\.0\.1:\d+</td><td class=\"n\">{second}</td>", hosts)


@pytest.mark.slow  # crawls of the demo site, CLI processes, Chromium
def test_report_is_self_contained_and_draws_in_chromium(demo_editions, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("chromium is not installed (make test installs it: apt-get install chromium)")
    html = build_report(demo_editions["archive"])
    # nothing to fetch at view time: no script, stylesheet, image or frame from anywhere
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\bsrc=", html)
    assert len(re.findall(r"<svg\b", html)) >= 8
    # the browser lays the page out; a probe (the test's own, appended here) counts the bars it drew
    probe = ("<script>const drawn=[...document.querySelectorAll('svg rect')].filter(r=>{const b=r.getBBox();"
             "return b.width>0&&b.height>0}).length;const charts=[...document.querySelectorAll('svg.chart')]"
             ".filter(s=>s.getBoundingClientRect().height>20).length;"
             "document.body.setAttribute('data-drawn',drawn);document.body.setAttribute('data-charts',charts);"
             "</script>")
    page = tmp_path / "report.html"
    page.write_text(html.replace("</body>", probe + "</body>"), encoding="utf-8")
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1100,2400"]
    dom = subprocess.run([*args, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=90).stdout
    drawn = re.search(r'data-drawn="(\d+)"', dom)
    charts = re.search(r'data-charts="(\d+)"', dom)
    assert drawn and charts, dom[:500]
    assert int(charts.group(1)) >= 8 and int(drawn.group(1)) >= 20
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    (tmp_path / "plain.html").write_text(html, encoding="utf-8")
    subprocess.run([*args, f"--screenshot={shot}", (tmp_path / "plain.html").as_uri()],
                   capture_output=True, timeout=90, check=False)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000


@pytest.mark.slow  # crawls of the demo site, CLI processes, Chromium
def test_report_errors_are_one_line(tmp_path, demo_crawl):
    missing = run_cli("report", "--archive", tmp_path / "nothing")
    assert missing.returncode == 1 and missing.stderr.strip().startswith("Error: no dataset at")
    assert len(missing.stderr.strip().splitlines()) == 1
    unknown = run_cli("report", "--archive", demo_crawl["archive"], "--crawl", "99", "-o", tmp_path / "r.html")
    assert unknown.returncode == 1 and unknown.stderr.strip() == \
        f"Error: no crawl #99 in {demo_crawl['archive'] / 'archive.db'}"


def test_every_report_query_runs_on_an_empty_dataset(tmp_path):
    from crawler.dataset.migrations import migrate

    db = tmp_path / "archive.db"
    migrate(sqlite3.connect(db, isolation_level=None))
    with sqlite3.connect(db) as conn:
        for name, sql in report_queries().items():
            assert conn.execute(sql, {"crawl": "", "bucket": 10, "host": "x"}).fetchall() == [], name
    html = build_report(tmp_path)
    assert _totals(html)["articles"] == "0" and "nothing recorded" in html
