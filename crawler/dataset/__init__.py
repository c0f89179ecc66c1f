"""The research dataset: one SQLite file researchers can trust, query and browse.

No Scrapy here: the same writer serves live crawls and re-extraction from WARC files.
"""

from crawler.dataset.errors import DatasetError

__all__ = ["DatasetError"]
