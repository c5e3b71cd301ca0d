"""HTML pages, wire copy and conditional requests of the demo site."""

from __future__ import annotations

import json
import re
from email.utils import format_datetime

from demo.server import serve
from demo.site import DemoSite
from tests.demo.demo_http import FIXTURE_CONTENT, fetch

ARTICLE = "/2024/04/acme-phones-q1/"


def test_article_page_has_the_story_and_the_boilerplate(base):
    answer = fetch(base + ARTICLE)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/html; charset=UTF-8"
    page = answer.text
    assert f'<link rel="canonical" href="{base}{ARTICLE}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="article:published_time" content="2024-04-02T03:15:00+00:00">' in page
    assert '<meta property="article:modified_time" content="2024-04-02T03:15:00+00:00">' in page
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert ld["@type"] == "NewsArticle" and ld["datePublished"] == "2024-04-02T03:15:00+00:00"
    article = re.search(r"<article id=\"post-1\".*?</article>", page, re.S).group(0)
    assert (
        '<h1 class="entry-title">Acme shipped 12.5 million phones in the first quarter</h1>'
        in article
    )
    assert 'datetime="2024-04-02T03:15:00+00:00"' in article and "Jane Doe" in article
    assert "<h2>Regions</h2>" in article and "<td>India</td>" in article
    assert 'rel="tag">shipments</a>' in article
    # Around the story, outside <article>: navigation, cookies, newsletter, related links, comments.
    outside = page.replace(article, "")
    assert 'id="site-navigation"' in outside and 'class="breadcrumb"' in outside
    assert 'id="cookie-consent"' in outside and "newsletter-signup" in outside
    assert "?utm_source=related" in outside
    comments = re.findall(r'<li id="comment-\d+" class="comment">', outside)
    assert 2 <= len(comments) <= 3
    assert outside.count("<li><a href=") >= 20  # the footer's many links
    assert "comment" not in article


def test_related_links_with_tracking_parameters_reach_the_article(base):
    page = fetch(base + ARTICLE).text
    link = (
        re.search(r'<a href="([^"]+\?utm_source=related[^"]*)"', page)
        .group(1)
        .replace("&amp;", "&")
    )
    assert fetch(base + link).status == 200


def test_wire_copy_is_plain_text_with_a_date_line(base):
    answer = fetch(f"{base}/wire/acme-revenue-wire.txt")
    assert answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.text == (
        "date 2024-05-01 Acme revenue rises 9% to $4.2 billion\n\n"
        "Acme's revenue rose 9 percent to $4.2 billion in the quarter to March, the company said.\n\n"
        "Net profit was $310 million, compared with $250 million a year earlier.\n"
    )
    assert fetch(f"{base}/wire/acme-phones-q1.txt").status == 404  # posts have no wire copy


def test_syndicated_copy_is_served_at_its_own_url(base):
    page = fetch(f"{base}/2024/04/acme-phones-q1-syndicated/").text
    assert f'<link rel="canonical" href="{base}/2024/04/acme-phones-q1-syndicated/">' in page
    assert "This story first appeared on Partner Wire." in page


def test_home_category_and_private_pages_exist(base):
    home = fetch(base + "/").text
    assert home.index("acme-phones-q1-syndicated/") < home.index(
        "bolt-chips-capex/"
    )  # newest first
    category = fetch(f"{base}/category/chips/")
    assert (
        category.status == 200
        and "bolt-chips-capex" in category.text
        and "<article" not in category.text
    )
    assert fetch(f"{base}/private/").status == 200
    assert fetch(f"{base}/private/plans/2025/").status == 200
    assert fetch(f"{base}/category/nothing/").status == 404
    assert fetch(f"{base}/2024/04/no-such-article/").status == 404


def test_permalink_query_and_missing_slash_redirect(base):
    assert fetch(f"{base}/?p=4").headers["Location"] == f"{base}/2023/11/bolt-chips-capex/"
    answer = fetch(f"{base}/2023/11/bolt-chips-capex")
    assert (answer.status, answer.headers["Location"]) == (301, f"{base}/2023/11/bolt-chips-capex/")


def test_head_answers_headers_without_body(base):
    answer = fetch(base + ARTICLE, method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert int(answer.headers["Content-Length"]) == len(fetch(base + ARTICLE).body)


LISTINGS_AND_PAGES = [
    ARTICLE,
    "/wire/acme-revenue-wire.txt",
    "/",
    "/wp-json/wp/v2/posts",
    "/?rest_route=/wp/v2/posts",
    "/wp-json/wp/v2/posts/1",
    "/feed/",
    "/feed/atom/",
    "/sitemap_index.xml",
    "/news-sitemap.xml",
    "/sitemap-posts-1.xml",
    "/category/smartphones/",
]


def test_repeated_conditional_requests_get_304():
    with serve(DemoSite(FIXTURE_CONTENT)) as base:
        for path in LISTINGS_AND_PAGES:
            first = fetch(base + path)
            etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
            assert etag.startswith('"') and last_modified, path
            again = fetch(base + path, {"If-None-Match": etag})
            assert (again.status, again.body) == (304, b""), path
            assert again.headers["ETag"] == etag
            since = fetch(base + path, {"If-Modified-Since": last_modified})
            assert since.status == 304, path
            assert fetch(base + path, {"If-None-Match": '"other"'}).status == 200


def test_last_modified_is_the_newest_modified_date(base):
    assert fetch(base + ARTICLE).headers["Last-Modified"] == "Tue, 02 Apr 2024 03:15:00 GMT"
    assert fetch(base + "/feed/").headers["Last-Modified"] == "Thu, 02 May 2024 10:00:00 GMT"


def test_touch_changes_page_listings_and_validators(site, base):
    before = {
        path: fetch(base + path)
        for path in (ARTICLE, "/wp-json/wp/v2/posts", "/feed/", "/sitemap-posts-1.xml")
    }
    touched = site.touch(1, "2024-06-10T08:00:00Z")
    assert touched.modified.isoformat() == "2024-06-10T08:00:00+00:00"
    assert touched.body.rstrip().endswith("Update: this article was revised on June 10, 2024.")
    for path, old in before.items():
        again = fetch(base + path, {"If-None-Match": old.headers["ETag"]})
        assert again.status == 200, path
        assert again.headers["ETag"] != old.headers["ETag"], path
    page = fetch(base + ARTICLE)
    assert page.headers["Last-Modified"] == format_datetime(touched.modified, usegmt=True)
    assert (
        '<meta property="article:modified_time" content="2024-06-10T08:00:00+00:00">' in page.text
    )
    assert "Update: this article was revised" in page.text
    stale = fetch(base + ARTICLE, {"If-Modified-Since": before[ARTICLE].headers["Last-Modified"]})
    assert stale.status == 200


def test_unknown_paths_are_404_pages(base):
    answer = fetch(f"{base}/no/such/page")
    assert answer.status == 404 and "can&rsquo;t be found" in answer.text
