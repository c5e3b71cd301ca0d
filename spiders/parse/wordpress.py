"""WordPress REST API (`/wp-json/wp/v2/posts` or `?rest_route=/wp/v2/posts`): pages of posts.

Pure functions: build page URLs, read one page of posts (salvaging what precedes a cut), turn
a post object into an `Entry`, and decide the next page from the response headers.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from spiders.parse.dates import iso_utc
from spiders.parse.entry import Entry, ParseProblem

PER_PAGE = 100
_TAG = re.compile(r"<[^>]+>")


@dataclass(slots=True)
class PostsPage:
    """One page of the posts endpoint: the posts read, and what went wrong if anything."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    problem: ParseProblem | None = None
    past_end: bool = False  # WordPress's 400 `rest_post_invalid_page_number`


def posts_url(
    start_url: str,
    page: int = 1,
    *,
    per_page: int = PER_PAGE,
    after: str | None = None,
    modified_after: str | None = None,
) -> str:
    """The URL of one page of posts; keeps the start URL's own query (e.g. `rest_route`)."""
    parts = urlsplit(start_url)
    replaced = {"page", "per_page", "_embed", "after", "modified_after"}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in replaced]
    query += [("per_page", str(per_page)), ("_embed", "1"), ("page", str(page))]
    if after:
        query.append(("after", _wp_date(after)))
    if modified_after:
        query.append(("modified_after", _wp_date(modified_after)))
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def _wp_date(value: str) -> str:
    """WordPress wants `after` as ISO 8601; a bare date means its midnight UTC."""
    return iso_utc(value) or value


def page_number(url: str) -> int:
    for key, value in parse_qsl(urlsplit(url).query):
        if key == "page" and value.isdigit():
            return int(value)
    return 1


def next_page_url(
    url: str,
    *,
    total_pages: int | None,
    link_header: str | None = None,
    n_posts: int,
    per_page: int,
) -> str | None:
    """The next page's URL, or None after the last page.

    `X-WP-TotalPages` decides when present; else a `Link: <...>; rel="next"`; else a full page
    suggests there may be more (WordPress answers 400 past the last page, which ends the walk).
    """
    current = page_number(url)
    if total_pages is not None:
        return _with_page(url, current + 1) if current < total_pages else None
    if link_header and 'rel="next"' in link_header:
        return _with_page(url, current + 1)
    if n_posts >= per_page > 0:
        return _with_page(url, current + 1)
    return None


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query, safe="/")))


def header_int(value: str | bytes | None) -> int | None:
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    return int(text) if text.isdigit() else None


def read_posts_page(body: bytes) -> PostsPage:
    """The posts in one API response body; a cut or broken body keeps the complete posts before it."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return PostsPage(
            problem=ParseProblem(
                "undecodable",
                f"posts page is not UTF-8 ({exc}); the API always answers UTF-8, so this is not a WordPress response",
            )
        )
    try:
        data = json.loads(text, strict=False)
    except json.JSONDecodeError as exc:
        return _salvaged(text, exc)
    if isinstance(data, dict) and data.get("code") == "rest_post_invalid_page_number":
        return PostsPage(past_end=True)
    if isinstance(data, dict) and "id" in data and "link" in data:
        return PostsPage(posts=[data])
    if isinstance(data, dict) and "code" in data:
        return PostsPage(
            problem=ParseProblem(
                "wp_error",
                f"WordPress answered an error: {data.get('code')}: {data.get('message')}",
            )
        )
    if not isinstance(data, list):
        return PostsPage(
            problem=ParseProblem(
                "malformed_json", f"expected a list of posts, got a JSON {type(data).__name__}"
            )
        )
    posts = [p for p in data if isinstance(p, dict)]
    problem = None
    if len(posts) != len(data):
        problem = ParseProblem(
            "malformed_json",
            f"{len(data) - len(posts)} of {len(data)} list items are not post objects; kept the {len(posts)} that are",
        )
    return PostsPage(posts=posts, problem=problem)


def _salvaged(text: str, exc: json.JSONDecodeError) -> PostsPage:
    """Complete posts before the point where the JSON breaks, and whether it was cut or garbled."""
    posts = _complete_list_items(text)
    truncated = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
    reason = "truncated_json" if truncated else "malformed_json"
    what = "ends early" if truncated else "is not valid JSON"
    detail = f"posts page {what} at character {exc.pos} of {len(text)} ({exc.msg})"
    if posts:
        detail += f"; salvaged the {len(posts)} complete posts before the break"
    else:
        detail += "; no complete post could be salvaged"
    detail += "; if this repeats, the server or a proxy cuts responses"
    return PostsPage(posts=posts, problem=ParseProblem(reason, detail))


def _complete_list_items(text: str) -> list[dict[str, Any]]:
    decoder = json.JSONDecoder(strict=False)
    pos = _skip_ws(text, 0)
    if pos >= len(text) or text[pos] != "[":
        return []
    pos += 1
    items: list[dict[str, Any]] = []
    while True:
        pos = _skip_ws(text, pos)
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            return items
        if isinstance(item, dict):
            items.append(item)
        pos = _skip_ws(text, pos)
        if pos >= len(text) or text[pos] != ",":
            return items
        pos += 1


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def post_entry(post: dict[str, Any]) -> Entry | None:
    """What the API says about one post, or None if it has no link to name it by."""
    url = post.get("link")
    if not isinstance(url, str) or not url:
        return None
    authors, categories, tags = _embedded_names(post)
    return Entry(
        url=url,
        published=iso_utc(post.get("date_gmt")) or iso_utc(post.get("date")),
        published_source="wp_api",
        modified=iso_utc(post.get("modified_gmt")) or iso_utc(post.get("modified")),
        title=_text(_rendered(post.get("title"))),
        authors=authors,
        categories=categories,
        tags=tags,
        content_html=_rendered(post.get("content")),
        raw=post,
    )


def _rendered(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else None


def _text(fragment: str | None) -> str | None:
    if fragment is None:
        return None
    return html.unescape(_TAG.sub("", fragment)).strip() or None


def _embedded_names(post: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    embedded = post.get("_embedded") or {}
    if not isinstance(embedded, dict):
        return [], [], []
    authors = [
        name
        for a in embedded.get("author") or []
        if isinstance(a, dict) and (name := _text(a.get("name")))
    ]
    categories: list[str] = []
    tags: list[str] = []
    for group in embedded.get("wp:term") or []:
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or not (name := _text(term.get("name"))):
                continue
            if term.get("taxonomy") == "category":
                categories.append(name)
            elif term.get("taxonomy") == "post_tag":
                tags.append(name)
    return authors, categories, tags
