"""Records the collect stage hands on: raw pages (with what the listing said) and rejects.

Both travel as JSON lines: `pages.jsonl` and `rejects.jsonl` in a crawl's output folder.
Every stage writes rejects in the same shape, so one loader takes them all.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PageKind = Literal["html", "wp_json", "text"]
Stage = Literal["crawl", "clean", "extract", "load"]
DateSource = Literal[
    "wp_api", "feed", "news_sitemap", "sitemap_lastmod", "html_meta", "url", "text_header"
]


def page_id(url: str) -> str:
    """Stable short id of a fetched URL; names the raw body file."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class RawPage:
    """One fetched page, its body stored gzip-compressed at `path` (relative to pages.jsonl)."""

    id: str
    source: str
    url: str
    kind: PageKind
    path: str
    status: int = 200
    fetched_at: str | None = None
    content_type: str | None = None
    body_sha256: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    # What the listing (API, feed item, sitemap entry) already said about the page.
    published: str | None = None
    published_source: DateSource | None = None
    modified: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RawPage:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(slots=True)
class Reject:
    """Something that did not become data, with a reason a person can act on.

    `reason` is a short code (`http_404`, `http_429`, `timeout`, `dns`, `tls`, `truncated_json`,
    `malformed_xml`, `undecodable`, `oversize`, `blocked`, `offsite`, `private_address`,
    `not_article`, `too_short`, `language`, `paywall`, `empty`, ...); `detail` says more.
    """

    url: str
    stage: Stage
    reason: str
    detail: str = ""
    source: str | None = None
    raw_path: str | None = None
    at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reject:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
