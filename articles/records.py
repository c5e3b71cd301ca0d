"""The clean stage's output: one `Article` per page that is an article."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Article:
    article_id: str  # from the normalised canonical URL
    url: str
    canonical_url: str
    title: str | None
    text: str
    published: str | None  # ISO 8601 UTC, e.g. 2017-07-07T00:00:00Z
    published_source: str | None  # wp_api | feed | news_sitemap | html_meta | url | text_header
    modified: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    content_hash: str = ""  # sha256 of the normalised text
    fingerprint: str = ""  # 64-bit SimHash as 16 hex digits
    word_count: int = 0
    source: str | None = None
    raw_path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
