"""``newsarchive report``: one self-contained HTML file of what an archive holds and how its
crawls went, built from the dataset alone so it can be rebuilt at any time.

``figures`` runs the report's queries (the same SQL ``browse`` offers as canned queries),
``svg`` draws the charts as inline SVG (no script, no network at view time), ``page`` lays the
page out.
"""

from crawler.report.build import build_report, write_report

__all__ = ["build_report", "write_report"]
