"""Feed parsing on real and synthetic feeds: no exceptions, links and dates as other parsers read them."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from spider_fixtures import corpus

from spiders.parse.feeds import FeedListing, read_feed

SKIP_NAMES = {"LICENSE", "LICENSE-MIT", "SOURCES.txt"}


def _real_feeds() -> list[Path]:
    root = corpus("feeds", "real")
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.name not in SKIP_NAMES
        and "output" not in p.parts
        and not p.name.endswith(".serde.json")
    )


@functools.cache
def _listing(path: Path) -> FeedListing:
    """Each real feed is parsed once per session (a few are megabytes of podcast XML)."""
    return read_feed(path.read_bytes())


def _second(date: str | None) -> str | None:
    """An expected reading at our precision: whole seconds, UTC `Z`."""
    if not date:
        return None
    return date.split(".", 1)[0].removesuffix("Z") + "Z"


def _same_url(url: str) -> str:
    """A URL as both readers should agree on it: host in lower case, an empty path as `/`."""
    parts = urlsplit(url.strip())
    return urlunsplit(parts._replace(netloc=parts.netloc.lower(), path=parts.path or "/"))


def test_every_real_feed_parses_without_an_exception():
    feeds = _real_feeds()
    assert len(feeds) > 100
    listings = {f: _listing(f) for f in feeds}
    for path, listing in listings.items():
        # A feed with no usable items says why (or is a recognised feed whose items lack links).
        assert listing.entries or listing.problem or listing.version, path
    assert sum(bool(listing.entries) for listing in listings.values()) > 110


def _rss_parser_cases() -> list[tuple[Path, Path]]:
    root = corpus("feeds", "real", "rss-parser")
    inputs = {p.stem: p for p in (root / "input").iterdir()}
    return [(inputs[out.stem], out) for out in sorted((root / "output").glob("*.json"))]


def test_links_and_dates_match_rss_parser_readings():
    compared = 0
    for source, expected_file in _rss_parser_cases():
        raw = expected_file.read_bytes()
        try:
            expected = json.loads(raw)
        except UnicodeDecodeError:  # one reading is stored as Latin-1
            expected = json.loads(raw.decode("latin-1"))
        # Items with an absolute link: without the feed's own URL a relative one cannot resolve.
        items = [
            i
            for i in expected["feed"].get("items", [])
            if (i.get("link") or "").strip().startswith("http")
        ]
        got = [(e.url, e.published) for e in _listing(source).entries]
        want = [(i["link"].strip(), _second(i.get("isoDate"))) for i in items]
        assert got == want, source.name
        compared += len(got)
    assert compared > 1000


def _feed_rs_cases() -> list[tuple[Path, Path]]:
    root = corpus("feeds", "real", "feed-rs")
    cases = []
    for expected in sorted(root.rglob("*.serde.json")):
        stem = expected.name.removesuffix(".serde.json")
        sources = [
            p for p in expected.parent.glob(stem + ".*") if not p.name.endswith(".serde.json")
        ]
        cases += [(sources[0], expected)] if sources else []
    return cases


def test_links_and_dates_match_feed_rs_readings():
    """feed-rs's absolute item links and dates, where it found them, are ours too."""
    compared = 0
    for source, expected_file in _feed_rs_cases():
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        entries = {_same_url(e.url): e for e in _listing(source).entries}
        for item in expected["entries"]:
            links = [
                link["href"]
                for link in item["links"]
                if link["href"].startswith(("http://", "https://"))
            ]
            if not links:
                continue
            entry = entries.get(_same_url(links[0]))
            assert entry is not None, (source.name, links[0])
            date = _second(item.get("published") or item.get("updated"))
            if date:
                assert entry.published == date, (source.name, links[0])
            compared += 1
    assert compared > 60


def test_json_feed_items_carry_their_full_html():
    listing = read_feed(
        corpus("feeds", "real", "trafilatura", "npr_technology_feed.json").read_bytes()
    )
    assert listing.version.startswith("json") and len(listing.entries) == 25
    first = listing.entries[0]
    assert first.url.startswith("https://www.npr.org/2021/10/29/")
    assert first.published == "2021-10-29T14:26:00Z" and first.content_html


def test_rss_content_encoded_is_the_items_full_text():
    listing = read_feed(corpus("feeds", "real", "feedjira", "TechCrunch.xml").read_bytes())
    assert listing.entries and all(e.content_html for e in listing.entries)
    assert all(e.published_source == "feed" and e.published for e in listing.entries)


def test_a_non_english_rfc822_date_is_still_read():
    body = b"""<rss version="2.0"><channel><title>t</title><item><link>https://x.it/a</link>
<pubDate>mer, 16 nov 2022 00:38:15 +0100</pubDate></item></channel></rss>"""
    assert read_feed(body).entries[0].published == "2022-11-15T23:38:15Z"


def test_relative_item_links_resolve_against_the_feed_url():
    body = b"""<rss version="2.0"><channel><title>t</title><item><link>/news/1</link></item></channel></rss>"""
    assert (
        read_feed(body, url="https://example.org/feed/").entries[0].url
        == "https://example.org/news/1"
    )


def test_a_cut_or_garbage_body_is_a_problem_not_an_exception():
    cut = read_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>https://a.b/1</link></item><item><li'
    )
    assert [e.url for e in cut.entries] == ["https://a.b/1"]
    garbage = read_feed(b"\x00\xff\xfe not a feed at all")
    assert garbage.entries == [] and garbage.problem is not None
    assert garbage.problem.reason in {"malformed_xml", "undecodable"}
    broken_json = read_feed(
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "https://a.b/1"'
    )
    assert broken_json.problem is not None and broken_json.problem.reason == "truncated_json"


def _synthetic_sample(step: int = 7) -> list[Path]:
    root = corpus("feeds", "synthetic", "feedparser")
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "LICENSE")
    return files[::step]  # every 7th file: about 300, the same ones every run


@pytest.mark.parametrize("folder", ["wellformed", "illformed", "encoding", "entities", "json"])
def test_synthetic_feeds_never_raise(folder):
    sample = [p for p in _synthetic_sample() if folder in p.parts] or pytest.skip(
        f"no {folder} files sampled"
    )
    for path in sample:
        listing = read_feed(path.read_bytes())
        assert listing.entries or listing.problem is not None or listing.version, path
