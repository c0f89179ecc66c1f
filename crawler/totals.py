"""The archive's totals: WARC files on disk and the dataset's row counts and verdicts.

``status``, the crawl report and anything else that prints totals read them here, so that
they cannot disagree; kept apart from ``crawler.status`` (which also reads the jobs) so that the
report does not import the jobs machinery.
"""

from __future__ import annotations

import os
from pathlib import Path

from crawler.accounting import format_verdicts
from crawler.dataset import schema


def warc_totals(archive: Path) -> tuple[int, int]:
    """WARC files (finished and still open) and their bytes on disk: one ``stat`` a file (as
    ``glob("*.warc.gz*")`` counted them), without building and sorting a Path for each, which
    was most of ``status``'s own time at a thousand WARCs."""
    files = size = 0
    try:
        with os.scandir(archive / "warcs") as entries:
            for entry in entries:
                if ".warc.gz" in entry.name and not entry.name.startswith("."):
                    files += 1
                    size += entry.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        pass
    return files, size


def dataset_totals(conn) -> dict[str, int]:
    """The dataset's row counts, as ``status`` and the report print them."""
    counts = dataset_counts(conn)
    return {"articles": counts.get("articles", 0), "versions": counts.get("article_versions", 0),
            "captures": counts.get("captures", 0), "crawls": counts.get("crawls", 0)}


def dataset_counts(conn) -> dict[str, int]:
    """The totals status shows: the rows of the ``counts`` table its triggers keep (migration 5),
    one indexed read however large the archive; counted row by row in a file status found older
    (status never upgrades a file)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (schema.COUNTS_TABLE,)).fetchone():
        return dict(conn.execute(f"SELECT name, n FROM [{schema.COUNTS_TABLE}]").fetchall())
    if "verdict" in {c[1] for c in conn.execute("PRAGMA table_info(articles)")}:  # migration 4
        return dict(conn.execute(f"SELECT name, sum(n) FROM ({schema.ACTUAL_COUNTS}) GROUP BY name").fetchall())
    return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in schema.COUNTED_TABLES}


def dataset_verdicts(conn) -> str | None:
    """The current versions' extraction verdicts over the whole dataset; None before migration 4
    or without articles."""
    counts = dataset_counts(conn)
    verdicts = {k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("verdict:") and n}
    if not verdicts:
        return None
    reasons = {k.split(":", 1)[1]: n for k, n in counts.items() if k.startswith("reason:") and n}
    return format_verdicts(verdicts.get("ok", 0), verdicts.get("suspect", 0), reasons, verdicts.get("", 0))
