"""Where an archive lives: the default directory, defined once, and never inside newsarchive's source.

The default is relative (``./archive``), so run from a checkout of newsarchive it would be the
``archive/`` source package itself, with archive.db and warcs/ written among the modules. A
directory inside one of newsarchive's packages is refused, whether it is the default or was given.
Scrapy-free and import-light: the CLI reads it for its ``--archive`` default.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_ARCHIVE_DIR = "archive"
_SOURCE = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = tuple(_SOURCE / name for name in ("archive", "crawler", "spiders"))


class ArchiveLocationError(ValueError):
    """The archive directory would be inside newsarchive's own source."""


def archive_location(value: str | Path | None = None) -> Path:
    """The archive directory ``value`` names (the default when empty), as given (relative stays
    relative); ArchiveLocationError when it lies inside one of newsarchive's packages."""
    path = Path(value) if value not in (None, "") else Path(DEFAULT_ARCHIVE_DIR)
    resolved = path.resolve()
    for package in SOURCE_PACKAGES:
        if (package / "__init__.py").exists() and (resolved == package or package in resolved.parents):
            raise ArchiveLocationError(f"{path} is inside newsarchive's own source ({package}): "
                                       "give the archive a directory of its own (--archive DIR)")
    return path
