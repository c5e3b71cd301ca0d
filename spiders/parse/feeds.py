"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed), read with feedparser."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser

from spiders.parse.dates import iso_utc
from spiders.parse.entry import Entry, ParseProblem

_LEADING_DAY = re.compile(r"^[^\W\d]+\.?,\s*")
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
    if _looks_like_json(body):
        return read_json_feed(body, url=url)
    headers: dict[str, str] = {}
    if url:
        headers["content-location"] = url
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(
        body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    version = parsed.get("version") or ""
    items = parsed.get("entries") or []
    if not version and not items:
        return FeedListing(
            problem=ParseProblem(_unreadable_reason(parsed), _unreadable_detail(parsed, len(body)))
        )
    entries = [e for e in (item_entry(item, base=url) for item in items) if e is not None]
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


def item_entry(item: Any, base: str | None = None) -> Entry | None:
    """One feed item: its link, dates (published, else updated), title, authors, terms, full text."""
    url = _link(item, base)
    if not url:
        return None
    published = _date(item, "published") or _date(item, "updated")
    modified = _date(item, "updated")
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


def _date(item: Any, name: str) -> str | None:
    """feedparser's reading of a date, else a lenient one (e.g. Italian `mer, 16 nov 2022 ...`).

    Read with `dict.get`: feedparser's own `get` quietly answers `updated` with `published`.
    """
    parsed = iso_utc(dict.get(item, f"{name}_parsed"))
    raw = dict.get(item, name)
    if parsed or not isinstance(raw, str) or not raw.strip():
        return parsed
    return iso_utc(_LEADING_DAY.sub("", raw.strip()), naive_is_utc=False)


def _link(item: Any, base: str | None = None) -> str | None:
    """The item's web page: `link`, else an alternate link, else a permalink guid (http(s) only)."""
    candidates = [item.get("link")]
    candidates += [
        c.get("href") for c in item.get("links") or [] if c.get("rel", "alternate") == "alternate"
    ]
    if item.get("guidislink"):
        candidates.append(item.get("id"))
    return _absolute(candidates, base)


def _absolute(candidates: list[Any], base: str | None) -> str | None:
    """The first candidate that is (or, against `base`, resolves to) an http(s) URL."""
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        link = urljoin(base, candidate.strip()) if base else candidate.strip()
        if link.startswith(("http://", "https://")):
            return link
    return None


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


# --- JSON Feed (feedparser 6.0 reads only XML feeds) ------------------------------------------


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_json_feed(body: bytes, *, url: str | None = None) -> FeedListing:
    """A JSON Feed (1.0 or 1.1): items with `url`, `date_published`, `content_html`, authors, tags."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return FeedListing(problem=ParseProblem("undecodable", f"JSON Feed is not UTF-8 ({exc})"))
    except json.JSONDecodeError as exc:
        reason = "truncated_json" if exc.pos >= len(body.rstrip()) - 1 else "malformed_json"
        return FeedListing(
            problem=ParseProblem(
                reason, f"JSON Feed does not parse at character {exc.pos} ({exc.msg})"
            )
        )
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return FeedListing(
            problem=ParseProblem(
                "malformed_json", "JSON document is not a JSON Feed (no jsonfeed.org version)"
            )
        )
    items = [i for i in data.get("items") or [] if isinstance(i, dict)]
    base = data.get("home_page_url") or url
    entries = [e for e in (_json_item(item, base) for item in items) if e is not None]
    problem = None
    if len(entries) < len(items):
        problem = ParseProblem(
            "no_link",
            f"{len(items) - len(entries)} of {len(items)} feed items have no link and were skipped",
        )
    version = "json" + str(data["version"]).rstrip("/").rsplit("/", 1)[-1].replace(".", "")
    return FeedListing(entries=entries, version=version, problem=problem)


def _json_item(item: dict[str, Any], base: str | None) -> Entry | None:
    url = _absolute([item.get("url"), item.get("external_url"), item.get("id")], base)
    if not url:
        return None
    published = (
        iso_utc(item.get("date_published")) if isinstance(item.get("date_published"), str) else None
    )
    modified = (
        iso_utc(item.get("date_modified")) if isinstance(item.get("date_modified"), str) else None
    )
    people = item.get("authors") or (
        [item["author"]] if isinstance(item.get("author"), dict) else []
    )
    content = item.get("content_html")
    return Entry(
        url=url,
        published=published or modified,
        published_source="feed" if (published or modified) else None,
        modified=modified,
        title=(item.get("title") or "").strip() or None
        if isinstance(item.get("title"), str)
        else None,
        authors=[
            p["name"].strip()
            for p in people
            if isinstance(p, dict) and isinstance(p.get("name"), str) and p["name"].strip()
        ],
        categories=[t for t in item.get("tags") or [] if isinstance(t, str) and t.strip()],
        content_html=content.strip() if isinstance(content, str) and content.strip() else None,
    )
