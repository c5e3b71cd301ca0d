"""What every source spider shares: the Source and state it is given, budgets, rejects, pages."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from spiders.items import PageItem, RejectItem
from spiders.middlewares import host_allowed, now_iso, reject_for_failure
from spiders.parse.dates import iso_utc
from spiders.parse.entry import Entry, ParseProblem
from spiders.parse.wordpress import read_posts_page
from spiders.records import RawPage, Reject
from spiders.sources import Source
from spiders.state import CrawlState

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def load_source(path: str | Path) -> Source:
    """The Source from the JSON file the flow wrote (`Source.to_dict()`)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = set(Source.__dataclass_fields__)
    known = {k: v for k, v in data.items() if k in fields}
    known["allowed_domains"] = tuple(known.get("allowed_domains") or ())
    return Source(**known)


def load_state(path: str | Path | None, source: str) -> CrawlState:
    if not path or not Path(path).exists():
        return CrawlState(source=source)
    return CrawlState.from_dict(json.loads(Path(path).read_text(encoding="utf-8") or "{}"), source)


class SourceSpider(scrapy.Spider):
    """Base of the three kinds. Crawl args: `source=<source.json> out=<dir> [state=<state.json>]`."""

    listing_statuses: ClassVar[list[int]] = [304]

    def __init__(
        self,
        source: str | None = None,
        out: str | None = None,
        state: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        if not source or not out:
            raise ValueError(
                "usage: scrapy crawl <kind> -a source=<source.json> -a out=<dir> [-a state=<state.json>]"
            )
        self.source = load_source(source)
        self.source_name = self.source.name
        self.out_dir = Path(out)
        self.state = load_state(state, self.source.name)
        self.allowed_hosts = tuple(self.source.allowed_domains) or (
            urlsplit(self.source.start_url).hostname or "",
        )
        self.allow_private = self.source.allow_private
        self.oldest = iso_utc(self.source.oldest) if self.source.oldest else None
        self.budget = max(0, int(self.source.max_pages))
        self.requested: dict[str, Entry] = {}
        # Article requests still waiting for an answer: a crawl stopped early reports them.
        self.unanswered: set[str] = set()

    # --- listings ---------------------------------------------------------------------------

    def listing_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A conditional request for a listing; a 304 reaches the callback (nothing new)."""
        meta = {
            "listing": True,
            "handle_httpstatus_list": self.listing_statuses,
            **kwargs.pop("meta", {}),
        }
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            headers=self.state.conditional_headers(url),
            meta=meta,
            dont_filter=kwargs.pop("dont_filter", False),
            **kwargs,
        )

    def listing_unchanged(self, response: Response) -> bool:
        """Records the listing's validators; True when the server said 304 Not Modified."""
        if response.status == 304:
            self.crawler.stats.inc_value("newsfigures/listings_not_modified")
            return True
        # Keyed by the URL we asked for (before redirects): the next crawl asks for it again.
        url = (
            response.meta.get("redirect_urls")
            or [response.request.url if response.request else response.url]
        )[0]
        self.state.record_listing(
            url,
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
            lastmod=response.meta.get("index_lastmod"),
        )
        self.crawler.stats.inc_value("newsfigures/listings_fetched")
        return False

    # --- what to fetch --------------------------------------------------------------------------

    def wanted(self, entry: Entry) -> bool:
        """Whether to fetch (or keep) a listed article; skips are counted in the stats."""
        stats = self.crawler.stats
        if self.oldest and entry.published and entry.published < self.oldest:
            stats.inc_value("newsfigures/skipped_too_old")
            return False
        if entry.url in self.requested:
            # Listed twice (a news sitemap and a posts sitemap): one fetch, the richer metadata.
            merge_entry(self.requested[entry.url], entry)
            stats.inc_value("newsfigures/skipped_listed_twice")
            return False
        if self.state.is_fresh(entry.url, entry.date):
            stats.inc_value("newsfigures/skipped_unchanged")
            return False
        if self.budget <= 0:
            stats.inc_value("newsfigures/skipped_max_pages")
            self.state.complete = False
            return False
        return True

    def followable(self, url: str) -> Reject | None:
        """A reject when `url` is not an http(s) link on an allowed host, else None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return self.reject(
                url, "offsite", f"not an http(s) link ({parts.scheme or 'no scheme'}); not followed"
            )
        if not host_allowed(parts.hostname or "", self.allowed_hosts):
            return self.reject(
                url,
                "offsite",
                f"{parts.hostname} is outside the source's allowed domains ({', '.join(self.allowed_hosts)}); not followed",
            )
        return None

    def article_request(self, entry: Entry, **kwargs: Any) -> scrapy.Request:
        self.budget -= 1
        self.requested[entry.url] = entry
        self.unanswered.add(entry.url)
        return scrapy.Request(
            entry.url,
            callback=self.parse_article,
            errback=self.on_error,
            cb_kwargs={"entry": entry},
            **kwargs,
        )

    # --- results --------------------------------------------------------------------------------

    def parse_article(self, response: Response, entry: Entry) -> Iterator[Any]:
        """An article page, kept raw with what the listing said about it."""
        self.unanswered.discard(entry.url)
        content_type = _header(response, b"Content-Type")
        if not response.body.strip():
            yield self.reject_item(
                entry.url, "empty", f"HTTP {response.status} with an empty body; nothing to keep"
            )
            return
        mime = (content_type or "").split(";", 1)[0].strip().lower()
        if mime == "application/json" or mime.endswith("+json"):
            yield self.json_reject(entry.url, response.body)
            return
        if mime and not mime.startswith(_TEXT_TYPES):
            yield self.reject_item(
                entry.url,
                "unsupported_type",
                f"Content-Type {mime} is not an article page (HTML or text)",
            )
            return
        problem = undecodable(response.body, content_type)
        if problem:
            yield RejectItem(self.reject(entry.url, problem.reason, problem.detail))
            return
        kind = "text" if mime == "text/plain" else "html"
        yield self.page_item(entry, response.body, kind=kind, response=response)

    def json_reject(self, url: str, body: bytes) -> RejectItem:
        """A JSON document where an article page was expected: broken, or just not an article."""
        problem = read_posts_page(body).problem
        if problem is not None and problem.reason in (
            "truncated_json",
            "malformed_json",
            "undecodable",
        ):
            return self.reject_item(url, problem.reason, problem.detail)
        return self.reject_item(
            url,
            "unsupported_type",
            "a JSON document, not an article page; if it is a WordPress API, crawl it as a wordpress source",
        )

    def page_item(
        self,
        entry: Entry,
        body: bytes,
        *,
        kind: str,
        response: Response | None = None,
        content_type: str | None = None,
    ) -> PageItem:
        page = RawPage(
            id="",
            source=self.source.name,
            url=entry.url,
            kind=kind,  # type: ignore[arg-type]
            path="",
            status=response.status if response is not None else 200,
            fetched_at=now_iso(),
            content_type=_header(response, b"Content-Type")
            if response is not None
            else content_type,
            etag=_header(response, b"ETag") if response is not None else None,
            last_modified=_header(response, b"Last-Modified") if response is not None else None,
            **entry.listing_fields(),
        )
        return PageItem(page=page, body=body)

    def reject(self, url: str, reason: str, detail: str) -> Reject:
        return Reject(
            url=url,
            stage="crawl",
            reason=reason,
            detail=detail,
            source=self.source.name,
            at=now_iso(),
        )

    def unfinished_rejects(self, reason: str) -> list[Reject]:
        """Rejects for the article requests a crawl stopped early (`reason`) never got answers to."""
        detail = (
            f"the crawl stopped ({reason}) before this page was fetched; the next run fetches it"
        )
        return [self.reject(url, "unfinished", detail) for url in sorted(self.unanswered)]

    def reject_item(self, url: str, reason: str, detail: str) -> RejectItem:
        return RejectItem(self.reject(url, reason, detail))

    def problem_item(self, url: str, problem: ParseProblem) -> RejectItem:
        """A reject for a listing that could not be read in full."""
        self.state.complete = False
        return self.reject_item(url, problem.reason, problem.detail)

    def on_error(self, failure: Failure) -> Iterator[RejectItem]:
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("listing"):
            self.state.complete = False
        if request is not None and (entry := request.cb_kwargs.get("entry")) is not None:
            self.unanswered.discard(entry.url)
        yield RejectItem(reject_for_failure(failure, self.source.name))


# How much a listing's date is worth: a news sitemap's publication date is the article's own.
_DATE_RANK = {"wp_api": 3, "news_sitemap": 3, "feed": 2, "sitemap_lastmod": 1, None: 0}


def merge_entry(kept: Entry, other: Entry) -> None:
    """Fills `kept` (whose request may still be in flight) with what `other` knows better."""
    if _DATE_RANK.get(other.published_source, 0) > _DATE_RANK.get(kept.published_source, 0):
        kept.published, kept.published_source = other.published, other.published_source
    kept.modified = kept.modified or other.modified
    kept.title = kept.title or other.title
    for name in ("authors", "categories", "tags"):
        values = getattr(kept, name)
        values.extend(v for v in getattr(other, name) if v not in values)


def _header(response: Response | None, name: bytes) -> str | None:
    if response is None:
        return None
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """The charsets the HTTP header and an HTML meta tag declare, header first."""
    found: list[str] = []
    if content_type and "charset=" in content_type.lower():
        value = content_type.lower().split("charset=", 1)[1].split(";", 1)[0].strip(" \"'")
        if value:
            found.append(value)
    if meta := _CHARSET.search(body[:4096]):
        found.append(meta.group(1).decode("ascii").lower())
    return list(dict.fromkeys(found))


def undecodable(body: bytes, content_type: str | None) -> ParseProblem | None:
    """A problem when the bytes are in none of their declared charsets, nor UTF-8.

    A page mislabelled as UTF-8 but in its meta-declared charset is fine; so is an undeclared
    page in any charset (cleaning detects it). Only declarations the bytes contradict, with no
    reading left, lose text and are rejected.
    """
    declared = declared_charsets(body, content_type)
    if not declared:
        return None
    error: UnicodeDecodeError | None = None
    for candidate in dict.fromkeys([*declared, "utf-8"]):
        try:
            body.decode(candidate)
            return None
        except LookupError:
            return None  # an unknown charset name: leave detection to the cleaner
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    return ParseProblem(
        "undecodable",
        f"bytes are not valid {declared[0]} as declared, nor UTF-8 ({error.reason} at byte {error.start}); the site mislabels its encoding",
    )


def wrap_html(fragment: str, title: str | None) -> bytes:
    """A full-text feed item as a page of its own, in the shape article extractors expect."""
    head = f"<title>{html.escape(title)}</title>" if title else ""
    return f'<!DOCTYPE html><html><head><meta charset="utf-8">{head}</head><body><article>{fragment}</article></body></html>'.encode()
