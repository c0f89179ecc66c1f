"""Every default of newsarchive lives here, in Scrapy's own settings layering.

Scrapy's defaults suit scraping; ours suit news sites and archiving: polite by default,
tolerant of slow servers, careful with memory, and honest about what was fetched.
The CLI maps its flags onto these names; ``-s NAME=VALUE`` overrides any of them.
"""

from __future__ import annotations

import scrapy.downloadermiddlewares.cookies as _cookies
from tldextract import TLDExtract

import archive.location as _location
from crawler import __version__

# Scrapy's cookie middleware would download the Public Suffix List on first use.
_cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- identity and politeness -------------------------------------------------
NEWSARCHIVE_CONTACT_URL = "https://example.org/newsarchive-contact"
USER_AGENT = f"newsarchive/{__version__} (+{NEWSARCHIVE_CONTACT_URL})"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts this many asyncio tasks for *every* response's callback output (default 100);
# our spider yields one item per page, so 100 tasks per page were pure overhead (bench/throughput.py: -1.4 ms CPU/page).
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.5
NEWSARCHIVE_CRAWL_DELAY = True                # honour robots.txt Crawl-delay per host (with ROBOTSTXT_OBEY)
NEWSARCHIVE_MAX_CRAWL_DELAY = 30.0            # ...up to this many seconds; longer ones are capped and logged once per host
NEWSARCHIVE_RETRY_AFTER = True                # a 429/503 with Retry-After holds that host's next request (and the retry)
NEWSARCHIVE_MAX_RETRY_AFTER = 120.0           # ...for at most this many seconds
NEWSARCHIVE_NOARCHIVE = "record"              # pages saying noarchive: "record" (archive, flag the rows) or "skip" (no article row)
NEWSARCHIVE_HOST_MAX_FAILURES = 20            # a host failing this many times in a row is paused for the run (0: never)

STATS_CLASS = "crawler.stats.StatsCollector"  # Scrapy's, without the per-call deprecation shim

# --- robustness --------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 0
# Only encodings that warcio and pywb can decode.
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
    "Accept-Encoding": "gzip, deflate",
}
# The remote-control extension runs arbitrary Python over HTTP.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Archiving must see every response; a cache would bypass or duplicate records.
HTTPCACHE_ENABLED = False
# Non-2xx responses are archived and counted, not silently dropped.
HTTPERROR_ALLOW_ALL = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# Tees the exact bytes of every HTTP/1.1 exchange for the WARC (docs/capture.md); with
# WARC_CAPTURE = "rebuilt" it behaves exactly as Scrapy's own handler.
DOWNLOAD_HANDLERS = {
    "http": "archive.wire.WireHTTPDownloadHandler",
    "https": "archive.wire.WireHTTPDownloadHandler",
}

DOWNLOADER_MIDDLEWARES = {
    # Known articles not due for a refresh are skipped before robots.txt or the network.
    "crawler.refresh.RefreshPolicyMiddleware": 80,
    # Crawl-delay, Retry-After and hosts that keep failing, through the downloader's slots:
    # after robots.txt (100), and before RetryMiddleware (550) reschedules a 429/503.
    "crawler.politeness.PolitenessMiddleware": 560,
    # Above redirects (600), compression (590) and cookies (700) so the raw response is stored.
    "archive.middleware.WarcWriterMiddleware": 950,
}

ITEM_PIPELINES = {
    "crawler.item_pipelines.WarcMetadataPipeline": 300,
    "crawler.item_pipelines.DatasetPipeline": 800,
}

EXTENSIONS = {
    # how each capture was found and its robots directives, into its WARC metadata record
    "crawler.provenance.CaptureProvenance": 50,
    "crawler.extensions.CrawlProgress": 100,
    "crawler.extensions.ByteLimit": 110,
    "crawler.extensions.PostCrawlChecks": 900,
    # scale-out workers only (NotConfigured without NEWSARCHIVE_REDIS_JOB); declared here so that a
    # worker keeps the extensions above: a worker setting EXTENSIONS would replace this dict
    "crawler.scaleout.worker.FrontierDrainedCloser": 200,
}

# --- archive (WARC_*) --------------------------------------------------------
NEWSARCHIVE_ARCHIVE_DIR = _location.DEFAULT_ARCHIVE_DIR  # "archive": archive.db, warcs/, indexes/; never in the source
WARC_ENABLED = True
WARC_DIR = None                               # default: <archive>/warcs
WARC_PREFIX = "newsarchive"
WARC_MAX_SIZE = 1024 ** 3                     # rotate at 1 GB
WARC_CAPTURE = "wire"                         # exact bytes from the socket; "rebuilt" rebuilds from Scrapy's objects
WARC_OPERATOR = ""
WARC_JOB_NAME = ""
WARC_DEDUP = True                             # revisit records for unchanged payloads
WARC_DEDUP_DB = None                          # digest index database (default: <archive>/archive.db)
WARC_WORKER_ID = None                         # extra file-name segment when several processes share warcs/
NEWSARCHIVE_REPLAY_VENV = None                # pywb's own venv (default: the project's .venv-replay)
WARC_FSYNC = False                            # fsync after every record (slower; survives power loss)

# --- browser capture (NEWSARCHIVE_BROWSER*; docs/capture.md, needs the `browser` extra) ---
NEWSARCHIVE_BROWSER = "off"                   # "auto": app-shell pages with no body again in Chromium; "always": every article page
NEWSARCHIVE_BROWSER_EXECUTABLE = "/usr/bin/chromium"  # Debian's Chromium; no browser is downloaded
NEWSARCHIVE_BROWSER_HOSTS = []                # empty: any host; else only pages of these hosts
NEWSARCHIVE_BROWSER_PAGES = 2                 # pages open in the browser at once
NEWSARCHIVE_BROWSER_TIMEOUT = 30.0            # seconds for a page to load in the browser
NEWSARCHIVE_BROWSER_SCREENSHOT = True         # a PNG of the viewport as a urn:view: resource record
ADDONS = {
    "crawler.browser.BrowserAddon": 0,               # switches the download handler when the browser is on
    "crawler.renamed_settings.RenamedSettingsAddon": 0,  # STORE_* (old names) read as DATASET_*
}

# --- extraction (EXTRACT_*) --------------------------------------------------
EXTRACT_ENABLED = True
EXTRACT_WORKERS = 1                           # page parsing + extraction: 0 in the reactor thread; N a process pool (1 suits 2 cores: reactor + 1 worker)

# --- dataset (DATASET_*; the old STORE_* names still work: crawler/renamed_settings.py) ---
DATASET_ENABLED = True
DATASET_DB = None                               # default: <archive>/archive.db
DATASET_BATCH_SIZE = 500
DATASET_FLUSH_SECONDS = 2.0
DATASET_BUSY_TIMEOUT = 30.0                     # seconds a writer waits for another writer's lock

# --- recurring jobs (REFRESH_*) ---------------------------------------------
REFRESH_ENABLED = False                       # jobs turn it on; a plain `crawl` refetches everything
REFRESH_BACKOFF = "1h,6h,1d,7d"               # wait after the 1st, 2nd, ... capture; then never again
NEWSARCHIVE_MAX_BYTES = 0                     # close the crawl after this many response bytes (0: no limit)
NEWSARCHIVE_POST_CRAWL_CHECKS = True          # index this crawl's WARCs and verify them at the end
NEWSARCHIVE_REPORT = True                     # write ARCHIVE/reports/crawl-N.html after each crawl
NEWSARCHIVE_INDEX_MERGE_AT = 16               # merge CDXJ files within this factor of each other in size (0: never)
NEWSARCHIVE_PROGRESS = False                  # the CLI draws a live progress line on terminals
NEWSARCHIVE_PROGRESS_INTERVAL = 1.0           # seconds between redraws of that line

# --- scale-out (scrapy-redis; the `worker` command sets these) ----------------
NEWSARCHIVE_REDIS_JOB = None                  # job whose shared frontier this worker serves
NEWSARCHIVE_REDIS_RUN = 0                     # run number of that job (see crawler/scaleout/frontier.py)
NEWSARCHIVE_REDIS_HEARTBEAT = 1.0             # seconds between a worker's busy/idle heartbeats
REDIS_URL = None                              # scrapy-redis's: set by `newsarchive worker --redis`

# --- spider (NEWS_*) ---------------------------------------------------------
NEWS_MAX_PAGES = 0                            # pages answered (not requisites, robots.txt, sitemaps, feeds); 0: no limit
NEWS_MAX_DEPTH = 3                            # link hops from the seeds
NEWS_FOLLOW_LINKS = True                      # follow in-scope <a> links
NEWS_FOLLOW_ARTICLE_FEEDS = False             # feeds of one article (its comment feed), found on it: not followed
NEWS_FETCH_EMBEDS = True                      # fetch in-scope images, scripts, stylesheets (for replay)
NEWS_ROBOTS_SITEMAPS = False                  # also read the Sitemap: lines of robots.txt
NEWS_ALLOWED_DOMAINS = []                     # empty: the seeds' domains (subdomains included)
NEWS_INCLUDE = []                             # URL regexes a followed page must match
NEWS_EXCLUDE = []                             # URL regexes never followed
