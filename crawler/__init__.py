"""newsarchive: a Scrapy news crawler that preserves every exchange as WARC and extracts articles to SQLite."""

__version__ = "0.1.0"
