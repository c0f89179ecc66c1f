"""Run one real Scrapy crawl with the project's settings and the WARC middleware (subprocess entry).

Usage: crawl_helper.py ARCHIVE START_URL OUT.json SETTINGS_JSON
Writes the captures sent by ``capture_archived``, the ``response.meta["warc"]`` pointers seen
by the callbacks, and the crawl stats to OUT.json.
"""

import json
import sys

from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.signals import capture_archived


class LinkSpider(Spider):
    name = "warctest"

    def __init__(self, start_url, pointers, metadata, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.pointers = pointers
        self.metadata = metadata

    async def start(self):
        yield Request(self.start_url)

    def parse(self, response):
        self.pointers.append(response.meta["warc"].to_dict())  # an archive.capture.Capture
        if response.url.endswith("/plain"):  # what the lead's pipeline does per article
            from archive.middleware import warc_writer

            ptr = warc_writer(self.crawler).write_metadata(
                response.url, {"outlink": ["http://x.test/1", "http://x.test/2"], "extraction-status": "ok"},
                concurrent_to=response.meta["warc"].record_id)
            self.metadata.append(dict(ptr, concurrent_to=response.meta["warc"].record_id))
        if b"text/html" in (response.headers.get(b"Content-Type") or b""):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, callback=self.parse)


def main():
    archive, start_url, out, overrides = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(
        {
            "NEWSARCHIVE_ARCHIVE_DIR": archive,
            "ITEM_PIPELINES": {},
            "EXTENSIONS": {},
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "RETRY_TIMES": 0,
            "LOG_LEVEL": "WARNING",
            "CONCURRENT_REQUESTS": 4,
        },
        priority="cmdline",
    )
    settings.update(overrides, priority="cmdline")
    captures, pointers, metadata = [], [], []
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(LinkSpider)

    def on_capture(capture, request, response, spider):
        captures.append(dict(capture.to_dict(), response_is_none=response is None))

    crawler.signals.connect(on_capture, signal=capture_archived)
    process.crawl(crawler, start_url=start_url, pointers=pointers, metadata=metadata)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
    with open(out, "w") as fh:
        json.dump({"captures": captures, "pointers": pointers, "metadata": metadata, "stats": stats}, fh)


if __name__ == "__main__":
    main()
