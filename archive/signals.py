"""Scrapy signals sent by the WARC middleware.

A signal rather than a return value because the dataset writer must learn about every archived
exchange, including redirects, errors and robots.txt, which never reach a spider callback.
"""

# sent with capture=<archive.capture.Capture>, request=, response= (None for failed fetches), spider=
capture_archived = object()
