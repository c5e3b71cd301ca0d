"""Crawl state between runs: what counts as unchanged, validators, and the watermark."""

from __future__ import annotations

from spiders.crawl import rebuilt_state
from spiders.state import CrawlState

URL = "https://news.example/a"


def test_a_page_is_fresh_until_its_listing_reports_a_newer_change():
    state = CrawlState.from_dict(
        {"pages": {URL: {"modified": "2024-05-01T09:30:00Z", "body_sha256": "x"}}}, "s"
    )
    assert state.is_fresh(URL, "2024-05-01T09:30:00Z")
    assert state.is_fresh(URL, "2024-05-01T11:30:00+02:00")  # the same moment
    assert state.is_fresh(URL, None)  # no date: no evidence of a change
    assert not state.is_fresh(URL, "2024-05-02T00:00:00Z")
    assert not state.is_fresh("https://news.example/b", None)


def test_a_page_seen_without_a_date_is_refetched_when_a_date_appears():
    state = CrawlState.from_dict({"pages": {URL: {"modified": None}}}, "s")
    assert not state.is_fresh(URL, "2024-05-02T00:00:00Z")


def test_listing_validators_become_conditional_headers():
    state = CrawlState(source="s")
    state.record_listing(URL, etag='"abc"', last_modified="Wed, 01 May 2024 09:30:00 GMT")
    assert state.conditional_headers(URL) == {
        "Cache-Control": "max-age=0",
        "If-None-Match": '"abc"',
        "If-Modified-Since": "Wed, 01 May 2024 09:30:00 GMT",
    }
    assert state.conditional_headers("https://news.example/other") == {"Cache-Control": "max-age=0"}


def test_watermarks_move_only_when_every_listing_was_read_in_full():
    feed = "https://news.example/feed"
    state = CrawlState.from_dict(
        {"newest": "2024-05-01T00:00:00Z", "listings": {feed: {"etag": '"old"'}}}, "s"
    )
    state.record_page(URL, modified="2024-06-01T00:00:00Z", body_sha256="x")
    state.record_listing(feed, etag='"new"', last_modified=None)
    assert state.to_dict()["newest"] == "2024-06-01T00:00:00Z"
    assert state.to_dict()["listings"][feed] == {"etag": '"new"'}
    state.complete = False  # e.g. max_pages stopped the crawl before the listing's end
    assert state.to_dict()["newest"] == "2024-05-01T00:00:00Z"
    assert state.to_dict()["listings"][feed] == {"etag": '"old"'}  # no 304 hides the rest next time
    assert URL in state.to_dict()["pages"]  # what was fetched is still known


def test_state_survives_a_round_trip_with_untouched_entries():
    data = {
        "source": "s",
        "newest": "2024-05-01T09:30:00Z",
        "pages": {URL: {"modified": "2024-05-01T09:30:00Z", "body_sha256": "x"}},
        "listings": {"https://news.example/feed": {"etag": '"e"'}},
    }
    assert CrawlState.from_dict(data, "s").to_dict() == data


def test_state_of_a_killed_crawl_is_rebuilt_from_its_pages():
    pages = [
        {"url": URL, "modified": None, "published": "2024-07-01T00:00:00Z", "body_sha256": "y"}
    ]
    state = rebuilt_state(
        "s", {"source": "s", "newest": "2024-05-01T00:00:00Z", "pages": {}, "listings": {}}, pages
    )
    assert state["pages"][URL] == {"modified": "2024-07-01T00:00:00Z", "body_sha256": "y"}
    assert state["newest"] == "2024-07-01T00:00:00Z"
