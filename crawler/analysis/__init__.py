"""Scrapy-free page analysis: what one fetched page is (classify), what it links to (page,
discovery) and whether a URL is in the crawl's scope (scope).

The crawl's spider and the offline rebuild (``crawler.reextract``) both need these, so they live
apart from ``spiders/`` and import nothing Scrapy-side.
"""
