"""The pure parts of politeness and safety: address checks, domains, challenges, retries, rejects."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Headers, HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError
from twisted.python.failure import Failure

from spiders.kinds.base import undecodable, wrap_html
from spiders.middlewares import (
    Refused,
    challenge_marker,
    host_allowed,
    refused_address,
    reject_for_failure,
    retry_after_seconds,
)


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("169.254.169.254", "metadata"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "private"),  # Python counts 0.0.0.0/8 as private ("this network")
    ],
)
def test_non_public_addresses_are_refused(address, why):
    assert why in refused_address(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "not-an-ip"]
)
def test_public_addresses_pass(address):
    assert refused_address(address) is None


def test_allowed_domains_cover_subdomains_but_not_lookalikes():
    allowed = ("theregister.com", "feeds.bbci.co.uk")
    assert host_allowed("www.theregister.com", allowed)
    assert host_allowed("FEEDS.BBCI.CO.UK.", allowed)
    assert not host_allowed("evil-theregister.com", allowed)
    assert not host_allowed("bbci.co.uk", allowed)
    assert host_allowed("127.0.0.1", ("127.0.0.1:8765",))


def _headers(**values: str) -> Headers:
    return Headers({k.replace("_", "-"): v for k, v in values.items()})


def test_challenge_pages_are_recognised_by_header_or_body():
    assert "cf-mitigated" in challenge_marker(_headers(cf_mitigated="challenge"), b"")
    assert "Just a moment" in challenge_marker(
        _headers(), b"<html><head><TITLE>Just a moment...</TITLE>"
    )
    assert "challenge platform" in challenge_marker(
        _headers(), b'<script src="/cdn-cgi/challenge-platform/h/b/x"></script>'
    )
    assert "gokuProps" in challenge_marker(_headers(), b"<script>window.gokuProps = {}</script>")
    assert "awsWafCookieDomainList" in challenge_marker(
        _headers(), b"window.awsWafCookieDomainList = [];"
    )
    assert "Human Verification" in challenge_marker(
        _headers(), b"<title>Human Verification</title>"
    )


def test_an_article_about_cloudflare_is_not_a_challenge():
    body = b"<html><head><title>Cloudflare blocks a record DDoS attack</title></head><body><p>Just a moment of calm.</p></body></html>"
    assert challenge_marker(_headers(server="cloudflare"), body) is None


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 01 May 2024 09:31:00 GMT", now=now) == 60
    assert retry_after_seconds("Wed, 01 May 2024 09:00:00 GMT", now=now) == 0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def _failure(exc: Exception, url: str = "https://news.example/a", **meta) -> Failure:
    failure = Failure(exc)
    failure.request = Request(url, meta=meta)
    return failure


def test_scrapy_download_errors_become_rejects_with_reason_codes():
    assert (
        reject_for_failure(
            _failure(DownloadTimeoutError("Getting x took longer than 30 seconds."))
        ).reason
        == "timeout"
    )
    assert reject_for_failure(_failure(CannotResolveHostError("news.invalid"))).reason == "dns"
    oversize = DownloadCancelledError(
        "Expected to receive 12582955 bytes which is larger than download max size (10485760)"
    )
    assert reject_for_failure(_failure(oversize)).reason == "oversize"
    assert reject_for_failure(_failure(ResponseDataLossError("lost"))).reason == "truncated"
    assert (
        reject_for_failure(_failure(Exception("SSL routines: certificate verify failed"))).reason
        == "tls"
    )


def test_download_failures_become_rejects_with_reason_codes():
    assert reject_for_failure(_failure(DNSLookupError("no such host"))).reason == "dns"
    assert reject_for_failure(_failure(TCPTimedOutError())).reason == "timeout"
    assert reject_for_failure(_failure(ConnectionRefusedError())).reason == "connection"
    assert reject_for_failure(_failure(IgnoreRequest("Forbidden by robots.txt"))).reason == "robots"
    refused = reject_for_failure(
        _failure(Refused("offsite", "evil.example is not allowed")), source="s"
    )
    assert (refused.reason, refused.detail, refused.source, refused.stage) == (
        "offsite",
        "evil.example is not allowed",
        "s",
        "crawl",
    )


def test_http_errors_say_what_happened_and_what_to_do():
    request = Request("https://news.example/a", meta={"retry_times": 3, "retry_after": 1.0})
    response = HtmlResponse("https://news.example/a", status=429, request=request, body=b"")
    failure = _failure(
        HttpError(response, "Ignoring non-200 response"), retry_times=3, retry_after=1.0
    )
    reject = reject_for_failure(failure)
    assert reject.reason == "http_429"
    assert (
        reject.detail
        == "HTTP 429 after 3 retries; Retry-After was 1s; lower the rate or raise the retry budget"
    )


def test_bytes_that_contradict_their_declared_charset_are_undecodable():
    latin1 = "Zürich café".encode("latin-1")
    assert undecodable(latin1, "text/html; charset=utf-8").reason == "undecodable"
    assert undecodable(latin1, "text/html; charset=iso-8859-1") is None
    assert undecodable(b'<meta charset="iso-8859-1">' + latin1, "text/html; charset=utf-8") is None
    assert undecodable(latin1, "text/html") is None  # undeclared: the cleaner detects it


def test_full_text_items_become_a_whole_page():
    page = wrap_html("<p>Revenue rose 5%.</p>", "Q1 & more")
    assert page.startswith(b"<!DOCTYPE html>") and b"<title>Q1 &amp; more</title>" in page
    assert b"<article><p>Revenue rose 5%.</p></article>" in page
