"""Items that flow spider -> extraction -> dataset.

A ``PageItem`` is what the spider hands on for an article page: the decoded body plus the
pointer to the WARC record that holds it as fetched, and (from the news spider, which extracts
where it parses) the ``article`` dict.  ``WarcMetadataPipeline`` extracts items that arrive without one
and drops the body, so that HTML never reaches the dataset.
"""

import scrapy


class PageItem(scrapy.Item):
    url = scrapy.Field()          # final URL of the response (after redirects)
    status = scrapy.Field()       # HTTP status code
    headers = scrapy.Field()      # dict[str, str]: response headers, names lower-cased, repeats joined by ", "
    body = scrapy.Field()         # bytes: the entity body after content decoding (as Scrapy gives it)
    fetched_at = scrapy.Field()   # ISO 8601 UTC, the WARC-Date of the response record
    warc = scrapy.Field()         # archive.capture.Capture: where the response lies in the WARC, or None if not archived
    hints = scrapy.Field()        # dict: what discovery knew (news sitemap title/date, feed entry, depth, source)
    outlinks = scrapy.Field()     # list[str]: absolute links found on the page (for the WARC metadata record)
    article = scrapy.Field()      # dict: crawler.extract.Article.to_dict(), set by the news spider (or WarcMetadataPipeline)
