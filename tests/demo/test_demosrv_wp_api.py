"""The demo site's WordPress REST API behaves like WordPress 6 (shapes, paging, errors)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from demo.server import serve
from demo.site import DemoSite
from tests.demo.demo_http import FIXTURE_CONTENT, fetch


def posts(base: str, query: str = "") -> tuple[int, dict, object]:
    answer = fetch(f"{base}/wp-json/wp/v2/posts{query}")
    return answer.status, answer.headers, json.loads(answer.body)


def test_json_is_written_the_wordpress_way(base):
    raw = fetch(f"{base}/wp-json/wp/v2/posts/1").body
    assert raw.isascii() and b'"link":"http:\\/\\/127.0.0.1:' in raw


def test_lists_posts_newest_first_without_wire_copy(base):
    status, headers, data = posts(base)
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert [p["id"] for p in data] == [3, 1, 4]  # article 2 is plain-text wire copy
    assert headers["X-WP-Total"] == "3"
    assert headers["X-WP-TotalPages"] == "1"
    assert "Link" not in headers


def test_post_has_the_wordpress_fields(base):
    _, _, data = posts(base, "?per_page=1&page=2")
    post = data[0]
    assert post["id"] == 1
    assert post["date_gmt"] == "2024-04-02T03:15:00"
    assert post["date"] == "2024-04-02T11:15:00"  # site time is UTC+8
    assert post["modified_gmt"] == "2024-04-02T03:15:00"
    assert post["slug"] == "acme-phones-q1"
    assert (post["status"], post["type"]) == ("publish", "post")
    assert post["link"] == f"{base}/2024/04/acme-phones-q1/"
    assert post["guid"]["rendered"] == f"{base}/?p=1"
    assert post["title"]["rendered"] == "Acme shipped 12.5 million phones in the first quarter"
    content = post["content"]["rendered"]
    assert "<h2>Regions</h2>" in content
    assert "<table>" in content and "<td>6.1</td>" in content
    assert content.startswith("<p>Acme shipped 12.5 million phones")
    assert post["excerpt"]["rendered"].startswith("<p>Acme shipped")
    assert isinstance(post["author"], int)
    assert post["categories"] and post["tags"]
    assert post["_links"]["self"][0]["href"] == f"{base}/wp-json/wp/v2/posts/1"
    assert "_embedded" not in post
    assert fetch(post["link"]).status == 200


def test_paging_headers_and_links(base):
    status, headers, data = posts(base, "?per_page=1&page=2")
    assert status == 200 and len(data) == 1
    assert headers["X-WP-Total"] == "3"
    assert headers["X-WP-TotalPages"] == "3"
    links = {
        part.split("; ")[1]: part.split("; ")[0].strip("<>") for part in headers["Link"].split(", ")
    }
    assert set(links) == {'rel="prev"', 'rel="next"'}
    next_url = links['rel="next"']
    assert parse_qs(urlsplit(next_url).query) == {"per_page": ["1"], "page": ["3"]}
    assert posts(base, "?" + urlsplit(next_url).query)[2][0]["id"] == 4


def test_page_past_the_last_is_a_400_with_wordpress_error(base):
    status, _, data = posts(base, "?per_page=2&page=3")
    assert status == 400
    assert data == {
        "code": "rest_post_invalid_page_number",
        "message": "The page number requested is larger than the number of pages available.",
        "data": {"status": 400},
    }


@pytest.mark.parametrize("per_page", ["101", "0", "abc"])
def test_per_page_out_of_bounds_is_rest_invalid_param(base, per_page):
    status, _, data = posts(base, f"?per_page={per_page}")
    assert status == 400
    assert data["code"] == "rest_invalid_param"
    assert "per_page" in data["data"]["params"]


def test_per_page_100_is_allowed(base):
    assert posts(base, "?per_page=100")[0] == 200


def test_after_filters_on_date_gmt(base):
    _, headers, data = posts(base, "?after=2024-04-02T03:15:00")
    assert [p["id"] for p in data] == [3]  # strictly after, as WordPress does
    assert headers["X-WP-Total"] == "1"
    _, _, data = posts(base, "?after=2024-01-01T00:00:00Z")
    assert [p["id"] for p in data] == [3, 1]


def test_modified_after_sees_touched_posts(site, base):
    _, _, data = posts(base, "?modified_after=2024-06-01T00:00:00")
    assert data == []
    site.touch(4, "2024-07-01T12:00:00Z")
    _, _, data = posts(base, "?modified_after=2024-06-01T00:00:00")
    assert [p["id"] for p in data] == [4]
    assert data[0]["modified_gmt"] == "2024-07-01T12:00:00"
    assert data[0]["modified"] == "2024-07-01T20:00:00"


def test_invalid_date_is_rest_invalid_param(base):
    status, _, data = posts(base, "?after=yesterday")
    assert status == 400 and data["code"] == "rest_invalid_param"


def test_embed_adds_author_and_terms(base):
    _, _, data = posts(base, "?_embed&per_page=1&page=2")
    embedded = data[0]["_embedded"]
    assert embedded["author"][0]["name"] == "Jane Doe"
    assert embedded["author"][0]["slug"] == "jane-doe"
    categories, tags = embedded["wp:term"]
    assert [(c["name"], c["slug"], c["taxonomy"]) for c in categories] == [
        ("Smartphones", "smartphones", "category")
    ]
    assert [(t["name"], t["taxonomy"]) for t in tags] == [
        ("Acme", "post_tag"),
        ("shipments", "post_tag"),
    ]
    assert [c["id"] for c in categories] == data[0]["categories"]


def test_rest_route_form_answers_the_same(base):
    pretty = fetch(f"{base}/wp-json/wp/v2/posts?per_page=1")
    plain = fetch(f"{base}/?rest_route=/wp/v2/posts&per_page=1")
    assert plain.status == 200
    assert plain.headers["X-WP-Total"] == pretty.headers["X-WP-Total"] == "3"
    assert [p["id"] for p in json.loads(plain.body)] == [p["id"] for p in json.loads(pretty.body)]
    assert plain.headers["Link"].startswith(f"<{base}/?rest_route=/wp/v2/posts&")


def test_without_pretty_permalinks_wp_json_redirects_to_rest_route():
    site = DemoSite(FIXTURE_CONTENT, pretty_permalinks=False)
    with serve(site) as base:
        answer = fetch(f"{base}/wp-json/wp/v2/posts?per_page=2&page=1")
        assert answer.status == 301
        assert answer.headers["Location"] == f"{base}/?rest_route=/wp/v2/posts&per_page=2&page=1"
        followed = fetch(answer.headers["Location"])
        assert followed.status == 200 and len(json.loads(followed.body)) == 2


def test_single_post_and_unknown_ids(base):
    answer = fetch(f"{base}/wp-json/wp/v2/posts/4")
    assert answer.status == 200 and json.loads(answer.body)["slug"] == "bolt-chips-capex"
    for missing in (2, 77):  # 2 is wire copy, not a post
        answer = fetch(f"{base}/wp-json/wp/v2/posts/{missing}")
        assert answer.status == 404
        assert json.loads(answer.body)["code"] == "rest_post_invalid_id"
    assert json.loads(fetch(f"{base}/wp-json/wp/v2/nothing").body)["code"] == "rest_no_route"


def test_categories_tags_and_users(base):
    categories = json.loads(fetch(f"{base}/wp-json/wp/v2/categories?per_page=100").body)
    by_name = {c["name"]: c for c in categories}
    assert by_name["Smartphones"]["count"] == 2
    assert by_name["Chips"]["slug"] == "chips" and by_name["Chips"]["taxonomy"] == "category"
    tags = json.loads(fetch(f"{base}/wp-json/wp/v2/tags?per_page=100").body)
    assert {t["name"] for t in tags} >= {"Acme", "shipments", "Bolt"}
    users = json.loads(fetch(f"{base}/wp-json/wp/v2/users").body)
    assert {u["name"] for u in users} == {"Jane Doe", "Wire Desk", "Partner Wire", "Li Wei"}
    post = json.loads(fetch(f"{base}/wp-json/wp/v2/posts/1").body)
    assert post["author"] in {u["id"] for u in users if u["name"] == "Jane Doe"}


def test_extra_pages_are_posts_too():
    site = DemoSite(FIXTURE_CONTENT, extra_pages=2000)
    with serve(site) as base:
        answer = fetch(f"{base}/wp-json/wp/v2/posts?per_page=100")
        assert answer.headers["X-WP-Total"] == "2003"  # 3 real posts + 2000 generated ones
        assert answer.headers["X-WP-TotalPages"] == "21"
        assert len(json.loads(answer.body)) == 100
        last = fetch(f"{base}/wp-json/wp/v2/posts?per_page=100&page=21")
        assert len(json.loads(last.body)) == 3
