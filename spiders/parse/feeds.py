"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed), read with feedparser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import feedparser

from spiders.parse.dates import iso_utc
from spiders.parse.entry import Entry, ParseProblem

_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


@dataclass(slots=True)
class FeedListing:
    entries: list[Entry] = field(default_factory=list)
    version: str = ""
    problem: ParseProblem | None = None


def read_feed(
    body: bytes, *, url: str | None = None, content_type: str | None = None
) -> FeedListing:
    """The feed's items as entries; a feed nobody could read is a `malformed_xml` problem.

    feedparser recovers from most ill-formed feeds (it sets `bozo`); only a body it cannot
    read as any feed at all is a problem. Items without a link are skipped and counted.
    """
    headers: dict[str, str] = {}
    if url:
        headers["content-location"] = url
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=True
    )
    version = parsed.get("version") or ""
    items = parsed.get("entries") or []
    if not version and not items:
        return FeedListing(
            problem=ParseProblem(_unreadable_reason(parsed), _unreadable_detail(parsed, len(body)))
        )
    entries = [e for e in (item_entry(item) for item in items) if e is not None]
    problem = None
    if len(entries) < len(items):
        problem = ParseProblem(
            "no_link",
            f"{len(items) - len(entries)} of {len(items)} feed items have no link and were skipped",
        )
    return FeedListing(entries=entries, version=version, problem=problem)


def _unreadable_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    if exc is not None and "encoding" in type(exc).__name__.lower():
        return "undecodable"
    return "malformed_xml"


def _unreadable_detail(parsed: Any, size: int) -> str:
    exc = parsed.get("bozo_exception")
    why = f"{type(exc).__name__}: {exc}" if exc is not None else "no feed elements found"
    return f"not a readable RSS/Atom/JSON feed ({size} bytes; {why}); check that the URL still serves the feed"


def item_entry(item: Any) -> Entry | None:
    """One feed item: its link, dates (published, else updated), title, authors, terms, full text."""
    url = _link(item)
    if not url:
        return None
    published = iso_utc(item.get("published_parsed")) or iso_utc(item.get("updated_parsed"))
    modified = iso_utc(item.get("updated_parsed"))
    return Entry(
        url=url,
        published=published,
        published_source="feed" if published else None,
        modified=modified,
        title=(item.get("title") or "").strip() or None,
        authors=_authors(item),
        categories=[t for t in (_term(tag) for tag in item.get("tags") or []) if t],
        content_html=full_content(item),
    )


def _link(item: Any) -> str | None:
    link = item.get("link")
    if link:
        return link.strip()
    for candidate in item.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return candidate["href"].strip()
    guid = item.get("id") or ""
    return guid if item.get("guidislink") and guid.startswith(("http://", "https://")) else None


def _authors(item: Any) -> list[str]:
    names = [a.get("name", "").strip() for a in item.get("authors") or [] if isinstance(a, dict)]
    names = [n for n in names if n]
    if not names and item.get("author"):
        names = [item["author"].strip()]
    return names


def _term(tag: Any) -> str | None:
    term = (tag.get("label") or tag.get("term") or "").strip()
    return term or None


def full_content(item: Any) -> str | None:
    """The item's full HTML (`content:encoded`, Atom `content`, JSON Feed `content_html`), if any."""
    for content in item.get("content") or []:
        value = (content.get("value") or "").strip()
        if value and (content.get("type") or "text/html") in _HTML_TYPES:
            return value
    return None
