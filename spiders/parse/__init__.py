"""Listing parsers: pure functions from response bytes to entries, testable without Scrapy."""

from spiders.parse.entry import Entry, ParseProblem

__all__ = ["Entry", "ParseProblem"]
