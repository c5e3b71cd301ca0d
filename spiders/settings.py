"""Scrapy settings of the newsfigures project (named in scrapy.cfg).

Polite by default: robots.txt (and its Crawl-delay), AutoThrottle, two requests at a time per
domain, an identifying User-Agent. `NEWSFIGURES_POLITE=0` (benchmarks only) turns the
politeness off and raises concurrency. Unattended jobs get no telnet console and no remote
control server.
"""

import os

BOT_NAME = "newsfigures"
SPIDER_MODULES = ["spiders.kinds"]
NEWSPIDER_MODULE = "spiders.kinds"

CONTACT_URL = os.environ.get(
    "NEWSFIGURES_CONTACT_URL", "https://github.com/newsfigures/newsfigures"
)
USER_AGENT = f"newsfigures/0.1 (+{CONTACT_URL})"
ROBOTSTXT_USER_AGENT = "newsfigures"  # the product token robots.txt groups name
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.9,*/*;q=0.8",
    "Accept-Language": "en",
}

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
# Scrapy starts this many asyncio workers for every callback's output; ours yield one item
# per response (or requests from a listing), and 100 idle workers per page cost real time.
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
NEWSFIGURES_BACKOFF_BASE = 1.0  # seconds; doubled per retry, at least Retry-After
NEWSFIGURES_BACKOFF_MAX = 60.0  # a longer Retry-After gives up at once and says so

# Every response reaches the spider: failures become rejects there, not silent drops.
HTTPERROR_ALLOW_ALL = False
REDIRECT_MAX_TIMES = 5
METAREFRESH_ENABLED = False
DEPTH_LIMIT = 0
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # Ours replaces Scrapy's offsite filter so that refusals become rejects with a reason.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "spiders.middlewares.GuardMiddleware": 60,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.BackoffRetryMiddleware": 550,
    "spiders.middlewares.ChallengeMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    "spiders.middlewares.ErrorToRejectMiddleware": 45,
}
EXTENSIONS = {
    "spiders.middlewares.CrawlDelay": 100,
}
ITEM_PIPELINES = {
    "spiders.sink.RawPageSink": 300,
}

# Benchmarks only: no robots.txt, no throttle or delays, high concurrency.
POLITENESS_OFF = {
    "ROBOTSTXT_OBEY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 64,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
}

if os.environ.get("NEWSFIGURES_POLITE", "1").strip().lower() in {"0", "false", "no", "off"}:
    globals().update(POLITENESS_OFF)
    EXTENSIONS = {"spiders.middlewares.CrawlDelay": None}  # no robots.txt, no Crawl-delay
