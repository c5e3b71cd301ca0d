"""Publication dates: structured sources first, sane bounds, provenance recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from articles import clean_page

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
PARAGRAPH = (
    "The company said on Tuesday that its quarterly revenue rose by a fifth to 4.2 billion "
    "dollars, as demand for its phones in India and Europe held up better than analysts had "
    "expected, and it raised its forecast for the rest of the year. "
)


def page(head: str = "", body_extra: str = "") -> bytes:
    return (
        f"<html><head><title>Results</title>{head}</head><body><article><h1>Results</h1>"
        f"{body_extra}<p>{PARAGRAPH * 2}</p><p>{PARAGRAPH}</p></article></body></html>"
    ).encode()


META = '<meta property="article:published_time" content="2019-03-04T10:00:00+01:00">'


def test_listing_date_beats_the_page_metadata():
    article = clean_page(
        page(META),
        url="https://example.com/2018/01/02/results/",
        listing={"published": "Tue, 05 Mar 2019 08:00:00 GMT", "published_source": "feed"},
        now=NOW,
    )
    assert (article.published, article.published_source) == ("2019-03-05T08:00:00Z", "feed")


def test_page_metadata_beats_the_url():
    article = clean_page(page(META), url="https://example.com/2018/01/02/results/", now=NOW)
    assert (article.published, article.published_source) == ("2019-03-04T09:00:00Z", "html_meta")


def test_json_ld_date_published_counts_as_page_metadata():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-05-06T07:08:09Z","dateModified":"2020-05-07T00:00:00Z"}</script>'
    article = clean_page(page(ld), url="https://example.com/results", now=NOW)
    assert (article.published, article.published_source) == ("2020-05-06T07:08:09Z", "html_meta")
    assert article.modified == "2020-05-07T00:00:00Z"


def test_url_date_when_the_page_says_nothing():
    article = clean_page(page(), url="https://example.com/2017/07/07/results/", now=NOW)
    assert (article.published, article.published_source) == ("2017-07-07T00:00:00Z", "url")


def test_future_and_pre_1990_dates_fall_back_to_the_next_source():
    future = '<meta property="article:published_time" content="2031-01-01T00:00:00Z">'
    article = clean_page(
        page(future),
        url="https://example.com/2017/07/07/results/",
        listing={"published": "1970-01-01T00:00:00Z", "published_source": "wp_api"},
        now=NOW,
    )
    assert (article.published, article.published_source) == ("2017-07-07T00:00:00Z", "url")


def test_sitemap_lastmod_is_a_modified_date_not_a_publication_date():
    article = clean_page(
        page(META),
        url="https://example.com/results",
        listing={"published": "2024-01-01T00:00:00Z", "published_source": "sitemap_lastmod"},
        now=NOW,
    )
    assert article.published_source == "html_meta"
    assert article.modified == "2024-01-01T00:00:00Z"


def test_wordpress_date_gmt_is_utc_without_a_zone():
    article = clean_page(
        page(),
        url="https://example.com/results",
        listing={"published": "2014-01-06T01:48:46", "published_source": "wp_api"},
        now=NOW,
    )
    assert article.published == "2014-01-06T01:48:46Z"
