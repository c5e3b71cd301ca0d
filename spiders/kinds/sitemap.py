"""Sitemap spider: indexes (recursively), urlsets, Google News sitemaps, text and gzip sitemaps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Response

from spiders.kinds.base import SourceSpider
from spiders.parse.dates import iso_utc
from spiders.parse.sitemaps import read_sitemap

MAX_DEPTH = 4  # index -> index -> ... ; deeper nesting is a loop or a mistake


class SitemapSpider(SourceSpider):
    name = "sitemap"

    async def start(self) -> AsyncIterator[Any]:
        yield self.listing_request(
            self.source.start_url, self.parse_sitemap, meta={"sitemap_depth": 0}
        )

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if self.listing_unchanged(response):
            return
        listing = read_sitemap(response.body, url=response.url)
        if listing.problem:
            yield self.problem_item(response.url, listing.problem)
        depth = response.meta.get("sitemap_depth", 0)
        for child in listing.sitemaps:
            yield from self.child_sitemap(child.url, child.modified, depth + 1)
        for entry in listing.entries:
            if not self.wanted(entry):
                continue
            if refusal := self.followable(entry.url):
                yield self.reject_item(refusal.url, refusal.reason, refusal.detail)
                continue
            yield self.article_request(entry)

    def child_sitemap(self, url: str, lastmod: str | None, depth: int) -> Iterator[Any]:
        if depth > MAX_DEPTH:
            yield self.reject_item(
                url,
                "sitemap_depth",
                f"sitemap nested deeper than {MAX_DEPTH} indexes; not followed",
            )
            return
        if refusal := self.followable(url):
            yield self.reject_item(refusal.url, refusal.reason, refusal.detail)
            return
        seen = self.state.listings.get(url) or {}
        if lastmod and seen.get("lastmod") and iso_utc(seen["lastmod"]) >= lastmod:
            # The index says this sitemap has not changed since we last read it.
            self.crawler.stats.inc_value("newsfigures/sitemaps_unchanged_by_lastmod")
            return
        yield self.listing_request(
            url, self.parse_sitemap, meta={"sitemap_depth": depth, "index_lastmod": lastmod}
        )
