"""What a listing (API page, feed, sitemap) says about one article, and how a listing failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spiders.parse.dates import newest


@dataclass(slots=True)
class Entry:
    """One article as a listing describes it; `content_html` is set when the listing carries the text."""

    url: str
    published: str | None = None
    published_source: str | None = None
    modified: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    content_html: str | None = None
    # The listing's own record for this article (a WordPress post object), kept verbatim.
    raw: dict[str, Any] | None = None

    @property
    def date(self) -> str | None:
        """The newest thing the listing knows: modified if given, else published."""
        return newest(self.modified, self.published)

    def listing_fields(self) -> dict[str, Any]:
        """The RawPage fields this entry fills."""
        return {
            "published": self.published,
            "published_source": self.published_source,
            "modified": self.modified,
            "title": self.title,
            "authors": list(self.authors),
            "categories": list(self.categories),
            "tags": list(self.tags),
        }


@dataclass(slots=True)
class ParseProblem:
    """Why a listing could not be read (fully): a reject reason code and a detail a person can act on."""

    reason: str
    detail: str
