"""Re-crawls of the demo site: revisit records for what did not change, new versions for what did,
and re-extraction from the WARCs alone giving the rows the crawl gave."""

from __future__ import annotations

import sqlite3

import pytest
from warcio.archiveiterator import ArchiveIterator

from cli_helpers import crawl_demo, run_cli, warcio_check
from crawler.demo.manifest import manifest

pytestmark = pytest.mark.slow  # servers, crawls, CLI processes or whole corpora (README: fast tests)


def records_by_crawl(archive, before: set[str]) -> dict[str, dict[str, str]]:
    """url -> record type, for the response/revisit records in WARC files not in ``before``."""
    out = {}
    for path in sorted((archive / "warcs").glob("*.warc.gz")):
        if path.name in before:
            continue
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type in ("response", "revisit"):
                    out[record.rec_headers.get_header("WARC-Target-URI")] = record.rec_type
    return out


def article_rows(db):
    conn = sqlite3.connect(db)
    return conn.execute("select url, headline, byline, authors, published, modified, section, body, "
                        "captions, verdict, verdict_reasons from articles order by url").fetchall()


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory):
    from crawler.demo.server import DemoServer

    archive = tmp_path_factory.mktemp("recrawl")
    with DemoServer(edition=1) as server:
        crawl_demo(server, archive)
        first = {p.name for p in (archive / "warcs").glob("*.warc.gz")}
        rows_after_first = article_rows(archive / "archive.db")
        crawl_demo(server, archive)
        second_files = {p.name for p in (archive / "warcs").glob("*.warc.gz")}
        second = records_by_crawl(archive, first)
        rows_after_second = article_rows(archive / "archive.db")
        versions_after_second = sqlite3.connect(archive / "archive.db").execute(
            "select count(*) from article_versions").fetchone()[0]
        server.edition = 2
        crawl_demo(server, archive)
        third = records_by_crawl(archive, second_files)
        url = server.url
    return {"archive": archive, "url": url, "second": second, "third": third,
            "rows": (rows_after_first, rows_after_second), "versions_after_second": versions_after_second}


def test_unchanged_recrawl_writes_revisits_and_no_rows(recrawled):
    second = recrawled["second"]
    assert second and set(second.values()) == {"revisit"}, {u for u, t in second.items() if t != "revisit"}
    first_rows, second_rows = recrawled["rows"]
    assert first_rows == second_rows
    assert recrawled["versions_after_second"] == len(first_rows)


def test_edition_2_stores_the_three_edited_articles_in_full(recrawled):
    edited = {recrawled["url"] + r["path"] for r in manifest(2) if r["kind"] == "article" and r.get("edited")}
    assert len(edited) == 3
    full = {url for url, kind in recrawled["third"].items() if kind == "response"}
    assert full == edited
    db = sqlite3.connect(recrawled["archive"] / "archive.db")
    versions = dict(db.execute("select url, version_count from articles"))
    assert {u for u, n in versions.items() if n == 2} == edited
    assert all(n == 1 for u, n in versions.items() if u not in edited)
    headlines = {r["path"]: r["headline"] for r in manifest(2) if r["kind"] == "article"}
    for url, headline in db.execute("select url, headline from articles"):
        assert headline == headlines[url[len(recrawled["url"]):]]


def test_diff_shows_the_changed_headline(recrawled):
    edited = next(recrawled["url"] + r["path"] for r in manifest(2) if r.get("edited"))
    proc = run_cli("diff", edited, "--archive", recrawled["archive"], check=True)
    assert "[-" in proc.stdout and "{+" in proc.stdout


def test_recrawled_archive_verifies(recrawled):
    files = sorted((recrawled["archive"] / "warcs").glob("*.warc.gz"))
    assert len(files) == 3
    assert warcio_check(files) == []
    proc = run_cli("verify", "--archive", recrawled["archive"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_reextract_gives_the_rows_the_crawl_gave(demo_crawl, tmp_path):
    db = tmp_path / "rebuilt.db"
    proc = run_cli("reextract", "--archive", demo_crawl["archive"], "--db", db, check=True)
    crawled = article_rows(demo_crawl["archive"] / "archive.db")
    assert len(crawled) == sum(1 for r in manifest(1) if r["kind"] == "article" and r["status"] == 200)
    assert f"articles {len(crawled)} new, 0 changed, 0 unchanged" in proc.stdout, proc.stdout
    assert ", errors 0," in proc.stdout, proc.stdout
    assert article_rows(db) == crawled
    # idempotent: a second pass adds nothing
    run_cli("reextract", "--archive", demo_crawl["archive"], "--db", db, check=True)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from article_versions").fetchone()[0] == len(article_rows(db))
    captures = conn.execute("select count(*), count(distinct warc_record_id) from captures").fetchone()
    assert captures[0] == captures[1]


def test_package_of_one_crawl_packs_its_warcs_and_its_revisits_originals(recrawled, tmp_path):
    from archive.wacz import package_wacz, pages_in_wacz

    archive = recrawled["archive"]
    conn = sqlite3.connect(archive / "archive.db")
    ids = [cid for (cid,) in conn.execute("select id from crawls order by id")]
    second = ids[1]
    own = {n for (n,) in conn.execute("select distinct warc_filename from captures where crawl_id = ?", (second,))}
    originals = {n for (n,) in conn.execute(
        "select distinct o.warc_filename from captures c join captures o on o.warc_record_id = c.refers_to_record_id "
        "where c.crawl_id = ?", (second,))}
    articles = {u for (u,) in conn.execute(
        "select distinct a.url from captures c join articles a on a.url = c.url where c.crawl_id = ? "
        "and c.status = 200", (second,))}
    conn.close()
    all_warcs = {p.name for p in (archive / "warcs").glob("*.warc.gz")}
    assert own and originals and not originals <= own and own | originals < all_warcs
    result = package_wacz(archive, tmp_path / "second.wacz", crawl_id=second)
    assert result.valid is True, result.validation
    assert {p.name for p in result.warcs} == own | originals
    assert {page["url"] for page in pages_in_wacz(tmp_path / "second.wacz")} == articles
    proc = run_cli("package", "--archive", archive, "--wacz", tmp_path / "none.wacz", "--crawl", "999")
    assert proc.returncode == 1 and proc.stderr.strip() == "Error: no articles captured in crawl 999: nothing to package"


def test_reextract_new_reads_only_the_warcs_the_dataset_lacks(recrawled, tmp_path):
    from crawler.reextract import not_extracted, reextract

    archive = recrawled["archive"]
    names = sorted(p.name for p in (archive / "warcs").glob("*.warc.gz"))
    db = tmp_path / "partial.db"
    reextract(archive, db, names=names[:1])  # the dataset knows the first file only
    assert not_extracted(archive, db) == names[1:]
    proc = run_cli("reextract", "--archive", archive, "--db", db, "--new", check=True)
    assert f"WARC files {len(names) - 1}," in proc.stdout
    assert not_extracted(archive, db) == []
    again = run_cli("reextract", "--archive", archive, "--db", db, "--new", check=True)
    assert again.stdout.strip() == f"Nothing new: the dataset has captures of all {len(names)} WARC file(s)"
    full = tmp_path / "full.db"
    reextract(archive, full)
    captures = "select warc_record_id, url, warc_filename, warc_offset from captures order by warc_record_id"
    assert sqlite3.connect(db).execute(captures).fetchall() == sqlite3.connect(full).execute(captures).fetchall()
