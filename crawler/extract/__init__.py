"""Article extraction: a pure function of HTML bytes, URL and HTTP headers -> ``Article``.

Used by the crawl pipeline, ``newsarchive extract`` and re-extraction from WARCs, so it must
never touch the network, Scrapy or SQLite, and must never raise on bad input: a broken page
gives an ``Article`` with empty fields and a warning.
"""

from __future__ import annotations

from crawler.extract.article import EXTRACTOR_VERSION, Article, Caption
from crawler.extract.pipeline import extract, extract_dict

__all__ = ["Article", "Caption", "EXTRACTOR_VERSION", "extract", "extract_dict"]
