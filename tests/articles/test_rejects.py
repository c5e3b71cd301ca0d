"""Pages that are not usable articles are rejected with a reason a person can act on."""

from __future__ import annotations

from articles import Article, clean_page
from spiders.records import RawPage, Reject

SENTENCE = (
    "The chipmaker said revenue rose 12% to $4.1 billion in the quarter, helped by demand "
    "for data-centre processors, and it expects margins to improve again next year. "
)
GERMAN = (
    "Der Chiphersteller teilte mit, dass der Umsatz im Quartal um zwölf Prozent auf 4,1 "
    "Milliarden Dollar gestiegen ist, und er erwartet, dass sich die Margen im nächsten Jahr "
    "wieder verbessern werden, wie das Unternehmen am Dienstag sagte. "
)


def prose(n: int, sentence: str = SENTENCE) -> list[str]:
    """n distinct paragraphs (extractors drop repeated identical ones)."""
    return [sentence.replace("12%", f"{12 + i}%").replace("zwölf", f"{12 + i}") for i in range(n)]


def page(paragraphs: list[str], head: str = "", extra: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<html><head><title>News</title><meta property="og:type" content="article">{head}'
        f"</head><body><article><h1>News</h1>{body}</article>{extra}</body></html>"
    ).encode()


def rejected(result, reason: str) -> Reject:
    assert isinstance(result, Reject), result
    assert result.reason == reason, result
    assert result.stage == "clean"
    return result


def test_a_short_page_says_how_many_words_it_had():
    result = rejected(clean_page(page([SENTENCE]), url="https://x.org/n/1"), "too_short")
    assert "only 28 words" in result.detail and "80" in result.detail


def test_german_text_is_rejected_as_a_language_we_do_not_read():
    result = clean_page(page(prose(6, GERMAN)), url="https://x.org/n/2")
    assert "'de'" in rejected(result, "language").detail


def test_english_articles_are_marked_english():
    result = clean_page(page(prose(6)), url="https://x.org/n/3")
    assert isinstance(result, Article)
    assert result.language == "en"


def test_a_teaser_behind_a_subscription_wall_is_a_paywall():
    wall = '<div class="paywall-overlay"><p>Subscribe to continue reading.</p></div>'
    result = clean_page(page(prose(4), extra=wall), url="https://x.org/n/4")
    assert "subscription wall" in rejected(result, "paywall").detail


def test_a_metered_page_that_serves_the_full_text_is_kept():
    ld = '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false}</script>'
    result = clean_page(page(prose(14), head=ld), url="https://x.org/n/5")
    assert isinstance(result, Article)


def test_a_cloudflare_challenge_is_blocked_but_an_article_about_cloudflare_is_not():
    challenge = (
        b"<html><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript"
        b"</noscript><script src='/cdn-cgi/challenge-platform/h/b/orchestrate'></script></body></html>"
    )
    result = rejected(clean_page(challenge, url="https://x.org/n/6"), "blocked")
    assert "Cloudflare" in result.detail
    about = page(
        [*prose(8), "Visitors saw a 'Just a moment...' page and challenge-platform scripts."]
    )
    assert isinstance(clean_page(about, url="https://x.org/n/7"), Article)


def test_tag_and_home_pages_are_not_articles():
    listing = page(prose(6)).replace(b'<meta property="og:type" content="article">', b"")
    result = rejected(clean_page(listing, url="https://x.org/tag/chips/"), "not_article")
    assert "/tag/chips/" in result.detail
    rejected(clean_page(listing, url="https://x.org/"), "not_article")


def test_a_page_of_links_without_article_markup_is_not_an_article():
    links = "".join(
        f'<li><a href="/n/{i}">Chip story number {i} of the week</a></li>' for i in range(60)
    )
    html = f"<html><head><title>Chips</title></head><body><ul>{links}</ul><p>{SENTENCE}</p></body></html>"
    result = rejected(clean_page(html.encode(), url="https://x.org/chips-hub"), "not_article")
    assert "link text" in result.detail


def test_empty_and_blank_bodies_are_empty():
    rejected(clean_page(b"", url="https://x.org/n/8"), "empty")
    rejected(clean_page(b"  \n ", url="https://x.org/n/9"), "empty")
    rejected(clean_page(b"<html><body></body></html>", url="https://x.org/n/10"), "empty")


def test_rejects_carry_the_listing_source_and_raw_path():
    listing = RawPage(
        id="p1", source="demo-wp", url="https://x.org/n/11", kind="html", path="pages/p1.gz"
    )
    result = rejected(clean_page(b"", url="https://x.org/n/11", listing=listing), "empty")
    assert (result.source, result.raw_path, result.url) == (
        "demo-wp",
        "pages/p1.gz",
        "https://x.org/n/11",
    )


def test_listing_metadata_is_preferred_to_the_page():
    listing = {
        "title": "Chipmaker lifts outlook",
        "authors": ["A. Writer"],
        "categories": ["Chips"],
        "tags": ["results"],
        "source": "demo-feed",
        "path": "pages/abc.gz",
    }
    result = clean_page(page(prose(6)), url="https://x.org/n/12", listing=listing)
    assert (result.title, result.authors, result.categories, result.tags) == (
        "Chipmaker lifts outlook",
        ["A. Writer"],
        ["Chips"],
        ["results"],
    )
    assert (result.source, result.raw_path) == ("demo-feed", "pages/abc.gz")


def test_a_feed_item_s_full_text_fragment_is_cleaned_with_the_feed_s_metadata():
    fragment = "".join(f"<p>{p}</p>" for p in prose(6)).encode()
    listing = {
        "title": "Chipmaker lifts outlook",
        "published": "Tue, 05 Mar 2019 08:00:00 +0000",
        "published_source": "feed",
    }
    result = clean_page(fragment, url="https://x.org/feed-item", listing=listing)
    assert isinstance(result, Article), result
    assert result.text.splitlines()[0] == prose(1)[0].strip()
    assert (result.title, result.published, result.published_source) == (
        "Chipmaker lifts outlook",
        "2019-03-05T08:00:00Z",
        "feed",
    )
