"""Every setting the code reads has its default in crawler/settings.py, and the archive directory
has one default that cannot land inside newsarchive's own source (issue 16, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import crawler.settings
from archive.location import DEFAULT_ARCHIVE_DIR, SOURCE_PACKAGES, ArchiveLocationError, archive_location
from crawler.cli import main

ROOT = Path(__file__).resolve().parents[1]
READ = re.compile(r"""\.get(?:int|bool|float|list|dict)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")
# read from os.environ, not from Scrapy's settings
ENVIRONMENT = {"NEWSARCHIVE_JOBS", "NEWSARCHIVE_TESTPOINT", "NEWSARCHIVE_TESTPOINT_FILE",
               "NEWSARCHIVE_REPLAY_VENV", "NEWSARCHIVE_REDIS_URL"}


def settings_read() -> dict[str, str]:
    found = {}
    for package in ("crawler", "spiders", "archive"):
        for path in (ROOT / package).rglob("*.py"):
            for name in READ.findall(path.read_text(encoding="utf-8")):
                found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_every_setting_read_has_its_default_in_settings_py():
    from scrapy.settings import default_settings

    ours = {name for name in dir(crawler.settings) if name.isupper()}
    scrapys = {name for name in dir(default_settings) if name.isupper()}
    read = settings_read()
    assert "NEWSARCHIVE_PROGRESS_INTERVAL" in read and "WARC_MAX_SIZE" in read  # the scan sees them
    missing = {name: where for name, where in read.items()
               if name not in ours | scrapys | ENVIRONMENT}
    assert missing == {}, f"read but without a default in crawler/settings.py: {missing}"


def test_the_archive_default_is_defined_once():
    assert crawler.settings.NEWSARCHIVE_ARCHIVE_DIR == DEFAULT_ARCHIVE_DIR
    literal = re.compile(r"""(default=|or |NEWSARCHIVE_ARCHIVE_DIR", |archive: (?:str|Path \| str) = )["']archive["']""")
    repeated = [str(p.relative_to(ROOT)) for package in ("crawler", "spiders", "archive")
                for p in (ROOT / package).rglob("*.py") if literal.search(p.read_text(encoding="utf-8"))]
    assert repeated == []


@pytest.mark.parametrize("inside", ["archive", "archive/sub", "crawler", "spiders/x"])
def test_an_archive_inside_the_source_is_refused(inside, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(ArchiveLocationError, match="inside newsarchive's own source"):
        archive_location(inside)
    assert all(p.is_dir() for p in SOURCE_PACKAGES)


def test_other_directories_are_kept_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert archive_location("data/demo") == Path("data/demo")
    assert archive_location(tmp_path / "archive") == tmp_path / "archive"
    monkeypatch.chdir(tmp_path)
    assert archive_location(None) == Path(DEFAULT_ARCHIVE_DIR) == archive_location("")


@pytest.mark.parametrize("command", [["crawl", "http://127.0.0.1:9/"], ["search", "x"], ["status"],
                                     ["reextract"], ["worker", "--redis", "redis://127.0.0.1:9/0", "--job", "j"]])
def test_the_default_archive_from_a_checkout_is_one_error_line_and_writes_nothing(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    before = sorted(p.name for p in (ROOT / "archive").iterdir())
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: archive is inside newsarchive's own source"), lines
    assert sorted(p.name for p in (ROOT / "archive").iterdir()) == before


def test_old_dataset_setting_names_still_work(caplog):
    """STORE_* became DATASET_* (one word for the dataset): the old names a user types are read as
    the new ones, with a warning, through the runner's overrides and through the add-on alike."""
    from scrapy.settings import Settings

    from crawler.renamed_settings import RenamedSettingsAddon, renamed
    from crawler.runner import build_settings

    assert renamed({"STORE_DB": "/x.db", "LOG_LEVEL": "INFO"}) == {"DATASET_DB": "/x.db", "LOG_LEVEL": "INFO"}
    assert renamed({"STORE_DB": "/old.db", "DATASET_DB": "/new.db"}) == {"DATASET_DB": "/new.db"}
    assert "crawler.renamed_settings.RenamedSettingsAddon" in crawler.settings.ADDONS

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("STORE_BATCH_SIZE", "7", priority="cmdline")      # scrapy crawl news -s STORE_BATCH_SIZE=7
    settings.set("STORE_FLUSH_SECONDS", "9", priority="cmdline")
    settings.set("DATASET_FLUSH_SECONDS", "3", priority="cmdline")  # the new name set as high wins
    RenamedSettingsAddon().update_settings(settings)
    assert settings.getint("DATASET_BATCH_SIZE") == 7 and settings.getfloat("DATASET_FLUSH_SECONDS") == 3.0
    assert settings.getbool("DATASET_ENABLED") is True  # untouched where the old name is not set
    assert "STORE_BATCH_SIZE is deprecated: it is read as DATASET_BATCH_SIZE" in caplog.text

    built = build_settings(Path("/tmp/a"), renamed({"STORE_ENABLED": "False"}))
    assert built.getbool("DATASET_ENABLED") is False
