"""WordPress REST API spider: walks the posts endpoint page by page; each post is a `wp_json` page."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

from scrapy.http import Response

from spiders.kinds.base import SourceSpider
from spiders.parse.wordpress import (
    PER_PAGE,
    header_int,
    next_page_url,
    post_entry,
    posts_url,
    read_posts_page,
)


class WordPressSpider(SourceSpider):
    name = "wordpress"
    # WordPress answers 400 `rest_post_invalid_page_number` one page past the end.
    listing_statuses: ClassVar[list[int]] = [304, 400]

    async def start(self) -> AsyncIterator[Any]:
        url = posts_url(
            self.source.start_url, 1, after=self.oldest, modified_after=self.state.newest
        )
        yield self.listing_request(url, self.parse_posts)

    def parse_posts(self, response: Response) -> Iterator[Any]:
        if self.listing_unchanged(response):
            return
        page = read_posts_page(response.body)
        if response.status == 400 and not page.past_end:
            yield self.reject_item(
                response.url,
                "http_400",
                f"HTTP 400 from the posts endpoint: {response.text[:200]!r}; check the source's start_url and query",
            )
            return
        if page.past_end:
            self.crawler.stats.inc_value("newsfigures/wp_past_last_page")
            return
        if page.problem:
            yield self.problem_item(response.url, page.problem)
        for post in page.posts:
            if item := self.post_item(post):
                yield item
        n_posts = PER_PAGE if page.problem and not page.posts else len(page.posts)
        following = next_page_url(
            response.url,
            total_pages=header_int(response.headers.get(b"X-WP-TotalPages")),
            link_header=(response.headers.get(b"Link") or b"").decode("latin-1"),
            n_posts=n_posts,
            per_page=PER_PAGE,
        )
        if following and self.budget <= 0:
            self.state.complete = False  # stopped by max_pages, not by the last page
        elif following:
            yield self.listing_request(following, self.parse_posts)

    def post_item(self, post: dict[str, Any]) -> Any:
        entry = post_entry(post)
        if entry is None:
            return self.reject_item(
                self.source.start_url, "no_link", f"post {post.get('id')!r} has no link; skipped"
            )
        if not self.wanted(entry):
            return None
        self.budget -= 1
        body = json.dumps(post, ensure_ascii=False).encode("utf-8")
        return self.page_item(
            entry, body, kind="wp_json", content_type="application/json; charset=utf-8"
        )
