"""Run one real ``news`` crawl in this process and write what came out as JSON.

Run as a subprocess by the tests (a Twisted reactor runs once per process):
``python spider_crawl_runner.py OUT_DIR '{"args": {...spider args}, "settings": {...}}'``.
Writes ``OUT_DIR/items.jsonl`` (one line per yielded item, by a test-local pipeline) and
``OUT_DIR/result.json`` (close reason and final stats).  Everything else is the project's settings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings


class JsonLinesPipeline:
    def __init__(self, path: str):
        self.path = path

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("TEST_ITEMS_PATH"))

    def process_item(self, item, spider=None):
        warc = item.get("warc")
        record = {"url": item["url"], "status": item["status"], "hints": item["hints"],
                  "fetched_at": item["fetched_at"], "content_type": item["headers"].get("content-type"),
                  "body_len": len(item["body"]), "warc_fetched_at": getattr(warc, "fetched_at", None),
                  "warc_url": getattr(warc, "url", None)}
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
        return item


def main() -> None:
    out = Path(sys.argv[1])
    config = json.loads(sys.argv[2])
    settings = get_project_settings()
    settings.setdict({
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_ENABLED": False,
        "WARC_ENABLED": False, "EXTENSIONS": {}, "LOG_LEVEL": "INFO", "DOWNLOAD_TIMEOUT": 10,
        "ITEM_PIPELINES": {"spider_crawl_runner.JsonLinesPipeline": 100},
        "TEST_ITEMS_PATH": str(out / "items.jsonl"),
        **config.get("settings", {}),
    }, priority="cmdline")
    (out / "items.jsonl").touch()
    from spiders.news import NewsSpider

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    result: dict = {}

    def closed(spider, reason):
        result["reason"] = reason

    crawler.signals.connect(closed, signals.spider_closed, weak=False)
    process.crawl(crawler, **config.get("args", {}))
    process.start()
    result["stats"] = crawler.stats.get_stats()
    (out / "result.json").write_text(json.dumps(result, default=str, indent=1))


if __name__ == "__main__":
    main()
