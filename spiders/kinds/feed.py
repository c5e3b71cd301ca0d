"""Feed spider (RSS 0.9x/1.0/2.0, Atom, JSON Feed): items followed to their pages, or kept whole."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Response

from spiders.kinds.base import SourceSpider, wrap_html
from spiders.parse.feeds import read_feed


class FeedSpider(SourceSpider):
    name = "feed"

    async def start(self) -> AsyncIterator[Any]:
        yield self.listing_request(self.source.start_url, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        if self.listing_unchanged(response):
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
        listing = read_feed(response.body, url=response.url, content_type=content_type)
        if listing.problem:
            yield self.problem_item(response.url, listing.problem)
        for entry in listing.entries:
            if not self.wanted(entry):
                continue
            if entry.content_html:
                # The feed carries the full text: keep it as the page, no request needed.
                self.budget -= 1
                yield self.page_item(
                    entry,
                    wrap_html(entry.content_html, entry.title),
                    kind="html",
                    content_type="text/html; charset=utf-8",
                )
            elif not self.source.follow_items:
                yield self.reject_item(
                    entry.url,
                    "no_full_text",
                    "the feed item has no full text and the source sets follow_items = false",
                )
            elif refusal := self.followable(entry.url):
                yield self.reject_item(refusal.url, refusal.reason, refusal.detail)
            else:
                yield self.article_request(entry)
