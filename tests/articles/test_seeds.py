"""The two seed records become articles with the right dates."""

from __future__ import annotations

from articles import Article, clean_page
from spiders.records import Reject
from tests.articles.conftest import seed


def test_truncated_wordpress_post_is_salvaged_with_its_gmt_date():
    article = clean_page(seed("000"), url="https://chinadigitaltimes.net/?p=167317", kind="wp_json")
    assert isinstance(article, Article), article
    assert article.published == "2014-01-06T01:48:46Z"
    assert article.published_source == "wp_api"
    assert article.title == "Xiaomi Sets Sights Higher After Sales Soar in 2013"
    assert article.canonical_url == (
        "https://chinadigitaltimes.net/2014/01/xiaomi-sales-doubled-2013-still-enough"
    )
    assert "sold nearly 19 million phones last year" in article.text
    # JSON escapes are undone: the last paragraph before the cut survives in plain text.
    assert "the Chinese government’s latest effort to promote competition" in article.text
    assert "\\u" not in article.text and "</" not in article.text
    assert article.language == "en"
    assert article.word_count > 200


def test_text_record_takes_its_date_and_title_from_the_header():
    article = clean_page(seed("001"), url="https://example.org/xiaomi-q2", kind="text")
    assert isinstance(article, Article), article
    assert article.published == "2017-07-07T00:00:00Z"
    assert article.published_source == "text_header"
    assert article.title == "Xiaomi achieves record-high quarterly smartphone shipments in Q2"
    lines = article.text.splitlines()
    assert lines[0].startswith("Chinese tech giant Xiaomi posted record-high")
    assert not any(line.startswith("date ") for line in lines)
    assert "23.16 million in Q2" in article.text


def test_a_listing_date_is_preferred_to_the_text_header():
    article = clean_page(
        seed("001"),
        url="https://example.org/xiaomi-q2",
        kind="text",
        listing={"published": "2017-07-07T08:15:00+08:00", "published_source": "feed"},
    )
    assert article.published == "2017-07-07T00:15:00Z"
    assert article.published_source == "feed"


def test_a_wordpress_post_cut_before_its_content_is_rejected_saying_what_survived():
    head = seed("000")[:700]
    result = clean_page(head, url="https://chinadigitaltimes.net/?p=167317", kind="wp_json")
    assert isinstance(result, Reject)
    assert result.reason == "truncated_json"
    assert result.stage == "clean"
    assert "title" in result.detail and "date_gmt" in result.detail
    assert "words of content.rendered" in result.detail


def test_json_that_is_not_a_post_is_malformed():
    result = clean_page(b'{"id": 1 "title": 2}', url="https://x.org/p/1", kind="wp_json")
    assert isinstance(result, Reject)
    assert result.reason == "malformed_json"
    assert "character" in result.detail


def test_a_password_protected_post_is_reported_as_walled():
    post = b'{"id": 9, "title": {"rendered": "Members"}, "content": {"rendered": "", "protected": true}}'
    result = clean_page(post, url="https://x.org/?p=9", kind="wp_json")
    assert isinstance(result, Reject)
    assert result.reason == "paywall" and "password-protected" in result.detail
