"""``newsarchive extract PATH...``: article records as JSON Lines, straight from files.

Benchmarks and researchers call this once per corpus, so it must start fast (no Scrapy, no
Twisted: only click, lxml and warcio) and must survive any file: a bad one gives one line on
stderr and the run goes on; the exit status says at the end whether anything failed.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO, TextIO

import click

_GZIP_MAGIC = b"\x1f\x8b"
_HTML_MIMES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "text/plain")
# A .html.gz that inflates past this is a gzip bomb, not a page.
MAX_HTML_BYTES = 256 * 1024 * 1024


class InputError(Exception):
    """A path that cannot be read; the message is the one line the user sees."""


def load_urls_file(path: str) -> dict[str, str]:
    """``path<TAB>url`` lines; blank lines and ``#`` comments are skipped."""
    urls: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for number, line in enumerate(fh, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                if "\t" not in line:
                    raise click.UsageError(f"{path}:{number}: expected 'path<TAB>url'")
                file_path, url = line.split("\t", 1)
                urls[file_path] = url.strip()
                urls.setdefault(os.path.normpath(file_path), url.strip())
    except OSError as exc:
        raise click.UsageError(f"cannot read --urls-file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise click.UsageError(f"--urls-file {path} is not UTF-8 text") from None
    return urls


def _read_html(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_HTML_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    if data.startswith(_GZIP_MAGIC):
        try:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = inflater.decompress(data, MAX_HTML_BYTES + 1)
        except zlib.error as exc:
            raise InputError(f"{path}: not a valid gzip file ({exc})") from None
        if len(data) > MAX_HTML_BYTES:
            raise InputError(f"{path}: inflates to more than {MAX_HTML_BYTES // 2**20} MB")
        if not inflater.eof:
            raise InputError(f"{path}: truncated gzip file")
    return data


def _is_warc(path: str) -> bool:
    lowered = path.lower()
    if lowered.endswith((".warc", ".warc.gz", ".warc.gz.open", ".warc.open", ".arc", ".arc.gz")):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
        if head.startswith(_GZIP_MAGIC):
            with gzip.open(path, "rb") as fh:
                head = fh.read(8)
    except (OSError, EOFError, zlib.error):
        return False
    return head.startswith(b"WARC/")


def _is_html_record(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    ctype = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return not ctype or ctype in _HTML_MIMES


def iter_warc(path: str) -> Iterator[tuple[str | None, dict[str, str], bytes, str | None]]:
    """(target URI, HTTP headers, decoded payload, WARC-Date) of every HTML response record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    records = 0
    with fh:
        try:
            for record in ArchiveIterator(fh):
                records += bool(record.rec_type)  # warcio yields header-less junk as a typeless record
                if not _is_html_record(record):
                    continue
                headers = {}
                for name, value in record.http_headers.headers:
                    headers.setdefault(name, value)
                yield (record.rec_headers.get_header("WARC-Target-URI"), headers,
                       record.content_stream().read(MAX_HTML_BYTES), record.rec_headers.get_header("WARC-Date"))
        except ArchiveLoadFailed:
            raise InputError(f"{path}: not a readable WARC file (unknown archive format)") from None
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            reason = "".join(ch if ch.isprintable() else "?" for ch in str(exc))[:120]
            raise InputError(f"{path}: not a readable WARC file ({reason})") from None
    if not records:
        raise InputError(f"{path}: no WARC records in it")


def iter_documents(path: str, url: str | None) -> Iterator[tuple[str | None, Mapping | None, bytes, str | None]]:
    """(URL, HTTP headers, HTML bytes, capture time) per document: a WARC gives all four, a plain
    HTML file only what the command line says (no capture time: dates are then bounded by nothing)."""
    if _is_warc(path):
        yield from iter_warc(path)
    else:
        yield url, None, _read_html(path), None


def extract_paths(paths: Iterable[str], url: str | None = None, urls: Mapping[str, str] | None = None,
                  out: BinaryIO | None = None, err: TextIO | None = None) -> int:
    """Write one JSON line per document to ``out``; return how many paths failed."""
    from crawler.extract import extract

    out = out if out is not None else click.get_binary_stream("stdout")
    urls = urls or {}
    failures = 0
    for path in paths:
        given = urls.get(path) or urls.get(os.path.normpath(path)) or url
        try:
            for doc_url, headers, data, fetched in iter_documents(path, given):
                article = extract(data, doc_url, headers, fetched)
                record = {"path": path, **article.to_dict()}
                if record.get("url") is None:
                    record.pop("url")
                out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
                out.flush()
        except InputError as exc:
            failures += 1
            click.echo(f"Error: {exc}", err=True, file=err)
    return failures


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--url", help="URL of the page (for one HTML file); resolves relative links.")
@click.option("--urls-file", type=click.Path(dir_okay=False),
              help="TSV of path<TAB>url giving each HTML file's URL.")
def extract(paths, url, urls_file):
    """Extract articles from HTML, .html.gz and WARC files as JSON Lines on stdout."""
    if url and len(paths) > 1:
        raise click.UsageError("--url names one page: give one PATH, or use --urls-file")
    urls = load_urls_file(urls_file) if urls_file else None
    failures = extract_paths(paths, url=url, urls=urls)
    if failures:
        raise SystemExit(1)
