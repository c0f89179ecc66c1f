"""Settings renamed so that code, CLI and docs use one word, "dataset"; the old names still work.

Jobs files, scripts and habits say ``-s STORE_DB=...``: each old name is read as its new one
(unless the new one is set too, at the same or a higher priority), with one warning saying the
new name. ``run_spider`` renames its overrides; ``RenamedSettingsAddon`` does the same for a crawl
started any other way (``scrapy crawl news -s STORE_BATCH_SIZE=100``).
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

RENAMED = {  # old name -> new name
    "STORE_ENABLED": "DATASET_ENABLED",
    "STORE_DB": "DATASET_DB",
    "STORE_BATCH_SIZE": "DATASET_BATCH_SIZE",
    "STORE_FLUSH_SECONDS": "DATASET_FLUSH_SECONDS",
    "STORE_BUSY_TIMEOUT": "DATASET_BUSY_TIMEOUT",
}


def _warn(old: str) -> None:
    logger.warning("setting %s is deprecated: it is read as %s", old, RENAMED[old])


def renamed(overrides: dict | None) -> dict:
    """``overrides`` (``-s`` pairs, a jobs file's settings) with every old name under its new one."""
    out = dict(overrides or {})
    for old, new in RENAMED.items():
        if old in out:
            _warn(old)
            value = out.pop(old)
            out.setdefault(new, value)
    return out


class RenamedSettingsAddon:
    """Copies an old name set at some priority onto its new name, unless the new one is set as high."""

    def update_settings(self, settings) -> None:
        for old, new in RENAMED.items():
            priority = settings.getpriority(old)
            if priority is None:
                continue
            _warn(old)
            if priority > (settings.getpriority(new) or 0):
                settings.set(new, settings[old], priority=priority)
