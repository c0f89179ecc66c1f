"""Package an archive as one WACZ file whose page list is the dataset's articles.

``wacz create -d`` guesses pages from Referer headers, a browser-crawl heuristic that misses
most articles of a Scrapy crawl. We hand it ``pages.jsonl`` built from
``archive.db`` instead: one entry per article with its capture time, headline and text, which
``wacz`` keeps only when it finds the matching capture in the WARCs, so every page listed is
replayable. The dataset is read with plain sqlite3, read-only, so a running crawl is not disturbed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REQUIRED_COLUMNS = ("url", "headline", "fetched_at")
TEXT_COLUMN = "body"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
CLOSED_SUFFIX = ".warc.gz"


class PackageError(Exception):
    """A problem the user can fix; the message is one line meant for them."""


@dataclass
class PackageResult:
    output: Path
    warcs: list[Path]
    articles: int
    pages: int
    unmatched: list[str] = field(default_factory=list)
    skipped_open: list[str] = field(default_factory=list)
    valid: bool | None = None
    validation: str = ""

    def summary(self) -> str:
        line = (f"Wrote {self.output} ({human_size(self.output.stat().st_size)}): {len(self.warcs)} WARC file(s), "
                f"{self.pages} of {self.articles} articles listed as pages")
        if self.valid is not None:
            line += f"; wacz validate: {self.validation}"
        return line


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return ""


# --- reading the dataset ------------------------------------------------------

def read_articles(db_path: Path, include_text: bool = True) -> list[dict]:
    """Articles as pages.jsonl entries (url, ts, title[, text]), oldest capture first."""
    if not db_path.is_file():
        raise PackageError(f"dataset not found: {db_path} (crawl first, or pass --db)")
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise PackageError(f"cannot open the dataset {db_path}: {exc}") from None
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
        if not columns:
            raise PackageError(f"{db_path} has no articles table: is it a newsarchive dataset?")
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise PackageError(f"the articles table in {db_path} lacks column(s) {', '.join(missing)}")
        wanted = list(REQUIRED_COLUMNS) + ([TEXT_COLUMN] if include_text and TEXT_COLUMN in columns else [])
        rows = conn.execute(
            f"SELECT {', '.join(wanted)} FROM articles "
            "WHERE url IS NOT NULL AND fetched_at IS NOT NULL ORDER BY fetched_at, url").fetchall()
    except sqlite3.DatabaseError as exc:
        raise PackageError(f"cannot read the dataset {db_path}: {exc}") from None
    finally:
        conn.close()
    pages = []
    for row in rows:
        record = dict(zip(wanted, row))
        page = {"url": record["url"], "ts": record["fetched_at"]}
        if record["headline"]:
            page["title"] = record["headline"]
        if record.get(TEXT_COLUMN):
            page["text"] = record[TEXT_COLUMN]
        pages.append(page)
    return pages


def select_part(db_path: Path, crawl_id: int | None = None, since: str | None = None,
                until: str | None = None, include_text: bool = True) -> tuple[set[str], list[dict]]:
    """The WARC file names and article pages of one crawl or a capture-date range.

    Read from the dataset's ``captures`` through its indexes (by crawl, by fetch time), so a
    package of one crawl costs that crawl, not the archive. The WARCs holding the originals of
    the part's revisits come too: a package must replay on its own."""
    if not db_path.is_file():
        raise PackageError(f"dataset not found: {db_path} (crawl first, or pass --db)")
    if crawl_id is not None:
        where, params = "c.crawl_id = ?", [int(crawl_id)]
    else:
        where, params = "c.fetched_at >= ? AND c.fetched_at <= ?", [since or "", (until or "9999") + "\uffff"]
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise PackageError(f"cannot open the dataset {db_path}: {exc}") from None
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'captures'").fetchone():
            raise PackageError(f"{db_path} has no captures table: a part needs a newsarchive dataset")
        warcs = {name for (name,) in conn.execute(
            f"SELECT DISTINCT c.warc_filename FROM captures c WHERE {where} AND c.warc_filename IS NOT NULL",
            params)}
        warcs |= {name for (name,) in conn.execute(
            f"SELECT DISTINCT o.warc_filename FROM captures c JOIN captures o "
            f"ON o.warc_record_id = c.refers_to_record_id WHERE {where} AND c.revisit = 1", params) if name}
        text = ", a.body" if include_text else ""
        rows = conn.execute(
            f"SELECT DISTINCT a.url, a.headline, c.fetched_at{text} FROM captures c "
            f"JOIN articles a ON a.url = c.url WHERE {where} AND c.status = 200 "
            f"ORDER BY c.fetched_at, a.url", params).fetchall()
    except sqlite3.DatabaseError as exc:
        raise PackageError(f"cannot read the dataset {db_path}: {exc}") from None
    finally:
        conn.close()
    pages = []
    for url, headline, fetched_at, *body in rows:
        page = {"url": url, "ts": fetched_at}
        if headline:
            page["title"] = headline
        if body and body[0]:
            page["text"] = body[0]
        pages.append(page)
    return warcs, pages


def write_pages_jsonl(pages: list[dict], path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(PAGES_HEADER) + "\n")
        for page in pages:
            fh.write(json.dumps(page, ensure_ascii=False) + "\n")
    return path


# --- running wacz -------------------------------------------------------------

def run_wacz(*args: str) -> subprocess.CompletedProcess:
    """Run the ``wacz`` tool of this interpreter's environment (it is installed in both venvs)."""
    return subprocess.run([sys.executable, "-m", "wacz", *args], capture_output=True, text=True)


def last_line(proc: subprocess.CompletedProcess) -> str:
    lines = (proc.stdout + "\n" + proc.stderr).strip().splitlines()
    return lines[-1].strip() if lines else f"exit code {proc.returncode}"


def validate_wacz(path: str | os.PathLike) -> tuple[bool, str]:
    """``wacz validate -f PATH``: (passed, its verdict line)."""
    proc = run_wacz("validate", "-f", str(path))
    verdict = next((line for line in proc.stdout.splitlines() if line.startswith("Validation")),
                   last_line(proc))
    return proc.returncode == 0 and "succeeded" in verdict, verdict


def pages_in_wacz(path: str | os.PathLike) -> list[dict]:
    """The page entries (header excluded) of a WACZ's ``pages/pages.jsonl``."""
    with zipfile.ZipFile(path) as zf:
        try:
            raw = zf.read("pages/pages.jsonl").decode("utf-8")
        except KeyError:
            return []
    entries = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [entry for entry in entries if "format" not in entry]


def closed_warcs(warc_dir: Path) -> tuple[list[Path], list[str]]:
    """Closed WARC files to pack, and the names of ``.open`` ones left out (still being written)."""
    if not warc_dir.is_dir():
        return [], []
    names = sorted(os.listdir(warc_dir))
    closed = [warc_dir / name for name in names if name.endswith(CLOSED_SUFFIX)]
    still_open = [name for name in names if name.endswith(CLOSED_SUFFIX + ".open")]
    return closed, still_open


def part_warcs(warc_dir: Path, names: set[str]) -> tuple[list[Path], list[str]]:
    """The closed files among ``names`` and the ``.open`` ones left out, found by name: a part
    of a large archive is packed without listing every WARC of it."""
    closed, still_open = [], []
    for name in sorted(names):
        if (warc_dir / name).is_file():
            closed.append(warc_dir / name)
        elif (warc_dir / (name + ".open")).is_file():
            still_open.append(name + ".open")
    return closed, still_open


def package_wacz(archive_dir: str | os.PathLike, output: str | os.PathLike, *,
                 db_path: str | os.PathLike | None = None, warc_dir: str | os.PathLike | None = None,
                 include_text: bool = True, validate: bool = True, crawl_id: int | None = None,
                 since: str | None = None, until: str | None = None) -> PackageResult:
    """Write ``output`` (via a temporary file, so an existing WACZ survives a failure) and validate it.

    With ``crawl_id`` or ``since``/``until`` only that part of the archive is packed (its WARCs,
    those of its revisits' originals, and its articles)."""
    archive = Path(archive_dir).expanduser()
    if not archive.is_dir():
        raise PackageError(f"archive directory not found: {archive}")
    out = Path(output).expanduser()
    if out.suffix.lower() != ".wacz":
        raise PackageError(f"the output file must end in .wacz: {out}")
    if not out.parent.is_dir():
        raise PackageError(f"output directory not found: {out.parent}")
    db = Path(db_path).expanduser() if db_path else archive / "archive.db"
    warc_root = Path(warc_dir).expanduser() if warc_dir else archive / "warcs"
    if crawl_id is not None or since or until:
        wanted, pages = select_part(db, crawl_id, since, until, include_text)
        warcs, still_open = part_warcs(warc_root, wanted)
        if not pages:
            part = f"crawl {crawl_id}" if crawl_id is not None else f"{since or '...'} to {until or '...'}"
            raise PackageError(f"no articles captured in {part}: nothing to package")
    else:
        warcs, still_open = closed_warcs(warc_root)
        pages = read_articles(db, include_text)
    if not pages:
        raise PackageError(f"the dataset {db} has no articles: nothing to package")
    if not warcs:
        raise PackageError(f"no closed WARC files in {archive / 'warcs'}: nothing to package")

    partial = out.with_name(f".{out.name}.part")
    with tempfile.TemporaryDirectory(prefix="newsarchive-wacz-") as tmp:
        pages_file = write_pages_jsonl(pages, Path(tmp) / "pages.jsonl")
        proc = run_wacz("create", "-o", str(partial), "-p", str(pages_file), *map(str, warcs))
    try:
        if proc.returncode != 0 or not partial.is_file():
            raise PackageError(f"wacz create failed: {last_line(proc)}")
        listed = pages_in_wacz(partial)
        if not listed:
            raise PackageError("wacz create matched none of the dataset's articles to a capture "
                               "in the WARCs (is the index or the dataset from another archive?)")
        result = PackageResult(output=out, warcs=warcs, articles=len(pages), pages=len(listed),
                               skipped_open=still_open)
        found = {entry["url"] for entry in listed}
        result.unmatched = [page["url"] for page in pages if page["url"] not in found]
        if validate:
            result.valid, result.validation = validate_wacz(partial)
            if not result.valid:
                raise PackageError(f"wacz validate rejected the package: {result.validation}")
        os.replace(partial, out)
        return result
    finally:
        partial.unlink(missing_ok=True)
