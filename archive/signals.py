"""Scrapy signals sent by the WARC middleware.

A signal rather than a return value because the dataset writer must learn about every archived
exchange, including redirects, errors and robots.txt, which never reach a spider callback.
"""

# sent just before an exchange is written, with request=, response= (None for a failed fetch),
# spider=; a receiver returns a dict of application/warc-fields (name -> value or list; None
# and "" left out) that the middleware writes in a ``metadata`` record with the exchange, in the
# same write, right after its response (or into the failure's record), so the archive says
# what the crawl knew about the capture (crawler.provenance.CaptureProvenance: how it was found)
capture_metadata = object()

# sent with capture=<archive.capture.Capture>, request=, response= (None for failed fetches),
# spider=, metadata= (the fields capture_metadata's receivers gave, as written; None for none)
capture_archived = object()
