"""A source's crawl state between runs (see docs/contracts.md, "Crawl state")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spiders.parse.dates import iso_utc, newest


@dataclass(slots=True)
class CrawlState:
    source: str
    newest: str | None = None
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    listings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # False when some listing could not be read in full (cut, failed, max_pages reached):
    # then `newest` and the listings' validators stay as they were, or the next run would
    # skip (by date, by a 304, by a sitemap's lastmod) what this one missed.
    complete: bool = True
    newest_before: str | None = None
    listings_before: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, source: str) -> CrawlState:
        data = data or {}
        return cls(
            source=data.get("source") or source,
            newest=data.get("newest"),
            newest_before=data.get("newest"),
            pages={k: dict(v or {}) for k, v in (data.get("pages") or {}).items()},
            listings={k: dict(v or {}) for k, v in (data.get("listings") or {}).items()},
            listings_before={k: dict(v or {}) for k, v in (data.get("listings") or {}).items()},
        )

    def to_dict(self) -> dict[str, Any]:
        newest_date = self.newest if self.complete else self.newest_before
        listings = self.listings if self.complete else self.listings_before
        return {
            "source": self.source,
            "newest": newest_date,
            "pages": self.pages,
            "listings": listings,
        }

    def is_fresh(self, url: str, modified: str | None) -> bool:
        """True when `url` was fetched before and the listing reports no newer change.

        A page seen before whose listing gives no date at all counts as unchanged: without a
        date there is no evidence of a change, and refetching every undated page nightly is
        what this state exists to avoid.
        """
        seen = self.pages.get(url)
        if seen is None:
            return False
        listed = iso_utc(modified) if modified else None
        if listed is None:
            return True
        known = iso_utc(seen.get("modified")) if seen.get("modified") else None
        return known is not None and known >= listed

    def record_page(self, url: str, *, modified: str | None, body_sha256: str | None) -> None:
        self.pages[url] = {"modified": modified, "body_sha256": body_sha256}
        self.newest = newest(self.newest, modified)

    def record_listing(
        self, url: str, *, etag: str | None, last_modified: str | None, lastmod: str | None = None
    ) -> None:
        """Validators of a listing as last fetched (`lastmod`: what a sitemap index said of it)."""
        entry = {
            k: v
            for k, v in (("etag", etag), ("last_modified", last_modified), ("lastmod", lastmod))
            if v
        }
        if entry:
            self.listings[url] = entry
        else:
            self.listings.pop(url, None)

    def conditional_headers(self, url: str) -> dict[str, str]:
        """Headers that let the server answer 304 for a listing unchanged since the last crawl."""
        seen = self.listings.get(url) or {}
        headers = {"Cache-Control": "max-age=0"}
        if seen.get("etag"):
            headers["If-None-Match"] = seen["etag"]
        if seen.get("last_modified"):
            headers["If-Modified-Since"] = seen["last_modified"]
        return headers
