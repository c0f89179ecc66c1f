"""The research dataset: one SQLite file researchers can trust, query and browse.

No Scrapy here: the same writer serves live crawls and re-extraction from WARC files.
"""

from crawler.store.errors import StoreError

__all__ = ["StoreError"]
