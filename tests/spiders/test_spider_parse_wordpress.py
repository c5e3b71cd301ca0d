"""WordPress REST API pages: real captures paginate as their headers say; cut JSON loses nothing else."""

from __future__ import annotations

import json
import math

import pytest
from spider_fixtures import SHARED, corpus

from spiders.parse.wordpress import (
    next_page_url,
    page_number,
    post_entry,
    posts_url,
    read_posts_page,
)


def _captures() -> list[dict]:
    manifest = json.loads(corpus("wp_json", "rogue_scholar_cassettes", "manifest.json").read_text())
    return [c for c in manifest if c["status"] == 200]


def _header(capture: dict, name: str) -> str | None:
    values = capture["headers"].get(name)
    return values[0] if values else None


def test_captured_pages_read_as_many_posts_as_recorded():
    for capture in _captures():
        body = corpus("wp_json", "rogue_scholar_cassettes", capture["body"]).read_bytes()
        page = read_posts_page(body)
        assert page.problem is None and len(page.posts) == capture["posts"]
        first = post_entry(page.posts[0])
        assert first.url == capture["first_link"]
        assert first.published == capture["first_date_gmt"] + "Z"
        assert first.published_source == "wp_api" and first.authors and first.title


def test_captures_paginate_as_their_headers_say():
    for capture in _captures():
        total_pages = int(_header(capture, "X-WP-TotalPages"))
        per_page = 50
        assert total_pages == math.ceil(int(_header(capture, "X-WP-Total")) / per_page)
        url, seen = capture["uri"], [capture["uri"]]
        while url := next_page_url(
            url,
            total_pages=total_pages,
            link_header=_header(capture, "Link"),
            n_posts=per_page,
            per_page=per_page,
        ):
            seen.append(url)
        assert [page_number(u) for u in seen] == list(range(1, total_pages + 1))
        assert all("rest_route=" in u and "per_page=50" in u for u in seen)


def test_without_total_pages_a_link_header_or_a_full_page_means_more():
    url = "https://x.org/wp-json/wp/v2/posts?per_page=100&page=2"
    assert (
        page_number(
            next_page_url(
                url, total_pages=None, link_header='<...>; rel="next"', n_posts=3, per_page=100
            )
        )
        == 3
    )
    assert page_number(next_page_url(url, total_pages=None, n_posts=100, per_page=100)) == 3
    assert next_page_url(url, total_pages=None, n_posts=99, per_page=100) is None


def test_posts_url_keeps_the_rest_route_form_and_asks_for_embeds():
    url = posts_url(
        "https://blog.example/?rest_route=/wp/v2/posts",
        2,
        after="2026-01-01",
        modified_after="2026-05-01T09:30:00Z",
    )
    assert url.startswith("https://blog.example/?rest_route=/wp/v2/posts&")
    for part in (
        "per_page=100",
        "_embed=1",
        "page=2",
        "after=2026-01-01T00%3A00%3A00Z",
        "modified_after=2026-05-01T09%3A30%3A00Z",
    ):
        assert part in url


def test_seed_post_cut_mid_json_is_a_truncated_json_problem():
    seed = SHARED / "seeds" / "000_140bf886d35b26a4.txt"
    if not seed.exists():
        pytest.skip("seed 000 is absent")
    page = read_posts_page(seed.read_bytes())
    assert page.posts == [] and page.problem.reason == "truncated_json"
    assert "no complete post could be salvaged" in page.problem.detail


def test_complete_posts_before_a_cut_are_salvaged():
    posts = [
        {"id": n, "link": f"https://x.org/{n}/", "date_gmt": "2024-05-01T00:00:00"}
        for n in range(3)
    ]
    body = json.dumps(posts).encode()
    page = read_posts_page(body[: len(body) - 20])
    assert [p["id"] for p in page.posts] == [0, 1]
    assert (
        page.problem.reason == "truncated_json"
        and "salvaged the 2 complete posts" in page.problem.detail
    )


def test_garbage_inside_is_malformed_json_and_posts_before_it_are_kept():
    page = read_posts_page(b'[{"id": 1, "link": "https://x.org/1/"}, {"id": 2, oops}, {"id": 3}]')
    assert [p["id"] for p in page.posts] == [1]
    assert page.problem.reason == "malformed_json"


def test_past_the_last_page_wordpress_answers_an_error_object():
    body = b'{"code":"rest_post_invalid_page_number","message":"The page number requested is larger than the number of pages available.","data":{"status":400}}'
    assert read_posts_page(body).past_end


def test_bytes_that_are_not_utf8_are_undecodable():
    assert read_posts_page(b'[{"title": "caf\xe9"}]').problem.reason == "undecodable"


def test_terms_and_authors_come_from_embedded_and_titles_are_plain_text():
    posts = read_posts_page(
        corpus(
            "wp_json", "frontity", "libraries", "schemas", "__tests__", "mocks", "post-60.json"
        ).read_bytes()
    ).posts
    entry = post_entry(posts[0])
    assert entry.url == "https://demo.worona.org/the-beauties-of-gullfoss/"
    assert (entry.authors, entry.categories, entry.tags) == (
        ["Alan Martin"],
        ["Photography", "Travel"],
        ["Gullfoss", "Iceland", "Nature", "Waterfall"],
    )
    assert entry.published == "2016-11-25T18:31:11Z" and entry.content_html


def test_every_post_list_in_the_corpora_reads_without_an_exception():
    root = corpus("wp_json")
    for path in sorted(root.rglob("*.json")):
        page = read_posts_page(path.read_bytes())
        for post in page.posts:
            entry = post_entry(post)
            assert entry is None or entry.url.startswith("http"), path
