"""Downloader and spider middlewares, and the extension that applies robots.txt Crawl-delay.

- `GuardMiddleware`: refuses hosts outside the source's allowed domains and private,
  loopback, link-local and cloud-metadata addresses (unless the source allows private ones).
- `BackoffRetryMiddleware`: retries 429/5xx and network errors with exponential backoff,
  waiting at least what Retry-After asks.
- `ChallengeMiddleware`: a Cloudflare or AWS WAF bot challenge is `blocked`, whatever its status.
- `ErrorToRejectMiddleware`: an exception in a spider callback becomes a reject; the crawl goes on.
- `CrawlDelay`: robots.txt `Crawl-delay` becomes the download slot's minimum delay.
- `reject_for_failure`: every download failure as a `Reject` with a code and a useful detail.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders.items import RejectItem
from spiders.records import Reject

logger = logging.getLogger(__name__)

METADATA_HOSTS = {
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "instance-data",
    "instance-data.ec2.internal",
}
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}


class Refused(IgnoreRequest):
    """A request we chose not to make or a response we will not keep, with its reject code."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- Offsite and private addresses ------------------------------------------------------------


def host_allowed(host: str, allowed_domains: Iterable[str]) -> bool:
    """True when `host` is one of the allowed domains or a subdomain of one."""
    host = host.lower().rstrip(".")
    for domain in allowed_domains:
        domain = domain.lower().strip().rstrip(".")
        domain = domain.split(":", 1)[0] if domain.count(":") == 1 else domain
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def refused_address(address: str) -> str | None:
    """Why connecting to this IP address is refused, or None when it is a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    checks = [
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_private, "a private address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "the unspecified address"),
        (ip.is_reserved, "a reserved address"),
    ]
    return next((why for hit, why in checks if hit), None)


async def resolved_addresses(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


class GuardMiddleware:
    """Refuses offsite hosts and (unless the source allows them) non-public addresses.

    Runs before robots.txt, so a refused host never even gets its robots.txt fetched, and
    again for every redirect target, since redirects come back through the whole chain.
    The address check resolves the host itself, before Scrapy connects.
    """

    def __init__(self) -> None:
        self._verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> GuardMiddleware:
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    async def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        allowed = getattr(spider, "allowed_hosts", ())
        if allowed and not host_allowed(host, allowed):
            raise Refused(
                "offsite",
                f"{host} is not among the source's allowed domains ({', '.join(allowed)}); add it to allowed_domains if the link should be followed",
            )
        if getattr(spider, "allow_private", False):
            return
        if host in METADATA_HOSTS:
            raise Refused("private_address", f"{host} is a cloud metadata host; refused")
        verdict = self._verdicts.get(host)
        if host not in self._verdicts:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                addresses = await resolved_addresses(host, port)
            except OSError:
                return  # not cached; the download fails with a DNS error: a `dns` reject
            verdict = self._verdicts[host] = self._verdict(host, addresses)
        if verdict:
            raise Refused("private_address", verdict)

    @staticmethod
    def _verdict(host: str, addresses: list[str]) -> str | None:
        for address in addresses:
            if why := refused_address(address):
                return f"{host} resolves to {address}, {why}; refused (set allow_private only for a source you run yourself)"
        return None


# --- Retries with backoff -----------------------------------------------------------------------


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but waiting `max(Retry-After, base * 2**n)` before retry n+1.

    A Retry-After beyond NEWSFIGURES_BACKOFF_MAX is not waited for: the request gives up at
    once, and the reject says how long the server asked to wait.
    """

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("NEWSFIGURES_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("NEWSFIGURES_BACKOFF_MAX", 60.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None:
            request.meta["retry_after"] = asked
            if asked > self.cap:
                request.meta["retry_gave_up"] = (
                    f"Retry-After asked for {asked:.0f}s, more than the {self.cap:.0f}s we wait"
                )
                return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        await asyncio.sleep(self._delay(request, asked))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await asyncio.sleep(self._delay(request, None))
        return retry

    def _delay(self, request: Request, asked: float | None) -> float:
        backoff = self.base * 2 ** request.meta.get("retry_times", 0)
        return min(max(backoff, asked or 0.0), self.cap)

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = get_retry_request(
            request,
            reason=reason,
            spider=self.crawler.spider,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=logging.INFO,
        )
        if retry is None:
            request.meta["retries_exhausted"] = True
        return retry


# --- Bot challenges -----------------------------------------------------------------------------

_CHALLENGE_MARKERS = (
    (b"<title>just a moment...</title>", "Cloudflare challenge page ('Just a moment...')"),
    (b"/cdn-cgi/challenge-platform/", "Cloudflare challenge platform script"),
    (b"challenge-platform", "Cloudflare challenge platform script"),
    (b"cf-browser-verification", "Cloudflare browser verification"),
    (b"awswafcookiedomainlist", "AWS WAF challenge (awsWafCookieDomainList)"),
    (b"gokuprops", "AWS WAF challenge (gokuProps)"),
    (b"<title>human verification</title>", "AWS WAF 'Human Verification' page"),
)


def challenge_marker(headers: Any, body: bytes) -> str | None:
    """What shows that a response is a bot-challenge interstitial, or None."""
    mitigated = headers.get(b"cf-mitigated") if headers is not None else None
    if mitigated and mitigated.strip().lower() == b"challenge":
        return "Cloudflare challenge (cf-mitigated: challenge header)"
    if headers is not None and headers.get(b"x-amzn-waf-action", b"").strip().lower() in {
        b"challenge",
        b"captcha",
    }:
        return "AWS WAF challenge (x-amzn-waf-action header)"
    head = body[:65536].lower()
    return next((what for marker, what in _CHALLENGE_MARKERS if marker in head), None)


class ChallengeMiddleware:
    """Bot-challenge pages are reported as `blocked`, never kept as (empty) articles."""

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("challenge_ok"):
            return response
        marker = challenge_marker(response.headers, response.body)
        if marker:
            raise Refused(
                "blocked",
                f"HTTP {response.status}: {marker}; the site serves a bot check to us, so this page cannot be crawled without the site's permission",
            )
        return response


# --- Failures as rejects ------------------------------------------------------------------------


def reject_for_failure(failure: Failure, source: str | None = None) -> Reject:
    """A crawl reject for a failed request, with a reason code and what to do about it."""
    exc = failure.value
    request = getattr(failure, "request", None)
    url = request.url if request is not None else getattr(getattr(exc, "response", None), "url", "")
    reason, detail = _classify(exc, request)
    return Reject(url=url, stage="crawl", reason=reason, detail=detail, source=source, at=now_iso())


def _classify(exc: BaseException, request: Request | None) -> tuple[str, str]:
    meta = request.meta if request is not None else {}
    if isinstance(exc, Refused):
        return exc.reason, exc.detail
    if isinstance(exc, HttpError):
        return _http_reject(exc.response, meta)
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in str(exc):
            return "robots", "robots.txt disallows this URL for our User-Agent; it is not fetched"
        return "ignored", f"request dropped: {exc}"
    name = type(exc).__name__
    text = f"{name}: {exc}"
    lowered = text.lower()
    retried = meta.get("retry_times", 0)
    after = f" after {retried} retries" if retried else ""
    if (
        "maxsize" in lowered
        or "max size" in lowered
        or "larger than" in lowered
        or "cancelled" in lowered
    ):
        return (
            "oversize",
            f"response exceeds the download size limit ({text}); raise DOWNLOAD_MAXSIZE if the page is wanted",
        )
    if "timeout" in lowered or "timedout" in lowered:
        return (
            "timeout",
            f"no complete answer in time{after} ({text}); the server is slow or unreachable",
        )
    if "dns" in lowered or "resolve" in lowered or "nodename" in lowered:
        return "dns", f"host name does not resolve ({text}); check the source's URL"
    if "ssl" in lowered or "tls" in lowered or "certificate" in lowered:
        return (
            "tls",
            f"TLS handshake failed ({text}); the site's certificate or TLS setup is broken",
        )
    if "dataloss" in lowered or "partial" in lowered:
        return "truncated", f"the connection closed before the body was complete{after} ({text})"
    return "connection", f"connection failed{after} ({text})"


def _http_reject(response: Response, meta: dict[str, Any]) -> tuple[str, str]:
    status = response.status
    parts = [f"HTTP {status}"]
    if retried := meta.get("retry_times"):
        parts[0] += f" after {retried} retries"
    asked = meta.get("retry_after")
    if asked is not None:
        parts.append(f"Retry-After was {asked:.0f}s")
    if gave_up := meta.get("retry_gave_up"):
        parts.append(gave_up)
    if status == 429:
        parts.append("lower the rate or raise the retry budget")
    elif status >= 500:
        parts.append("the server failed; the page is tried again when a listing names it again")
    elif status in (401, 403):
        parts.append("access is denied to us")
    elif status in (404, 410):
        parts.append("the page is gone; drop it from the listing if this repeats")
    return f"http_{status}", "; ".join(parts)


class ErrorToRejectMiddleware:
    """A spider callback that raises loses nothing: the response becomes a `spider_error` reject."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> ErrorToRejectMiddleware:
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def process_spider_exception(
        self, response: Response, exception: Exception
    ) -> Iterable[Any] | None:
        if isinstance(exception, HttpError):
            return None  # the request's errback reports it
        spider = self.crawler.spider
        logger.exception("spider callback failed on %s", response.url, exc_info=exception)
        reject = Reject(
            url=response.url,
            stage="crawl",
            reason="spider_error",
            detail=f"the spider could not handle this response ({type(exception).__name__}: {exception}); a bug to fix in spiders/",
            source=getattr(spider, "source_name", None),
            at=now_iso(),
        )
        return [RejectItem(reject)]


# --- robots.txt Crawl-delay ----------------------------------------------------------------------


class CrawlDelay:
    """Applies robots.txt `Crawl-delay`, which Scrapy parses but does not apply.

    The delay is the floor of the host's download slot: set when robots.txt is parsed,
    on every request reaching the downloader (slots are created lazily), and after
    AutoThrottle adjusts the slot on each response.
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.delays: dict[str, float] = {}
        ua = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        self.user_agent = ua
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self.enforce, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.enforce, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDelay:
        return cls(crawler)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        try:
            delay = robotparser.crawl_delay(self.user_agent)
        except Exception:  # a parser without crawl_delay support: nothing to apply
            delay = None
        if delay:
            host = urlsplit(request.url).hostname or ""
            self.delays[host] = float(delay)
            self.crawler.stats.set_value(f"robotstxt/crawl_delay/{host}", float(delay))

    def enforce(self, request: Request, spider: Spider | None = None, **_: Any) -> None:
        host = urlsplit(request.url).hostname or ""
        delay = self.delays.get(host)
        if not delay:
            return
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay
            self.crawler.stats.max_value(f"newsfigures/crawl_delay_applied/{key}", delay)
