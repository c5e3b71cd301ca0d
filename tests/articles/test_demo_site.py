"""The clean stage on the demo site, fetched over real HTTP from 127.0.0.1."""

from __future__ import annotations

import itertools
import urllib.error
import urllib.request

import pytest

demo_site = pytest.importorskip("demo.site")
demo_server = pytest.importorskip("demo.server")
demo_markup = pytest.importorskip("demo.markup")
demo_pages = pytest.importorskip("demo.pages")

from articles import Article, clean_page  # noqa: E402
from articles.decode import decode_body  # noqa: E402
from articles.identity import is_near_duplicate  # noqa: E402
from spiders.records import Reject  # noqa: E402

# No proxies: nothing in these tests may leave 127.0.0.1.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> tuple[bytes, str | None]:
    try:
        with _OPENER.open(url, timeout=30) as response:
            return response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as error:  # challenge pages come with 403
        return error.read(), error.headers.get("Content-Type")


@pytest.fixture(scope="module")
def site():
    return demo_site.DemoSite()


@pytest.fixture(scope="module")
def base(site):
    with demo_server.serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def cleaned(site, base) -> dict[int, Article]:
    results = {}
    for article in site.articles:
        body, content_type = fetch(base + article.html_path)
        results[article.id] = clean_page(
            body, url=base + article.html_path, content_type=content_type
        )
    return results


def blocks(article) -> tuple[list[str], list[list[str]]]:
    """(paragraph and heading texts, table rows) of a demo article's body."""
    parsed = demo_markup.parse_blocks(article.body)
    texts = [b.text for b in parsed if b.kind != "table"]
    rows = [row for b in parsed if b.kind == "table" for row in b.rows]
    return texts, rows


def test_every_demo_article_page_becomes_an_article(site, cleaned):
    rejected = {i: r for i, r in cleaned.items() if not isinstance(r, Article)}
    assert rejected == {}
    for article in site.articles:
        result = cleaned[article.id]
        assert result.title == article.title
        assert result.authors == [article.author]
        assert result.published == article.published.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert result.published_source == "html_meta"
        assert result.language == "en"


def test_paragraphs_headings_and_table_rows_are_kept(site, cleaned):
    with_tables = 0
    for article in site.articles:
        text = cleaned[article.id].text
        lines = text.splitlines()
        texts, rows = blocks(article)
        for paragraph in texts:
            assert paragraph in lines, f"article {article.id} lost: {paragraph[:60]}"
        for row in rows:
            # A row stays one line, its cells in order.
            assert any(all(cell in line for cell in row) for line in lines), row
        with_tables += bool(rows)
    assert with_tables >= 2


def test_comments_cookie_banner_and_other_boilerplate_are_dropped(site, cleaned):
    boilerplate = [
        "use cookies and similar technologies",
        "Accept all",
        "Join 120,000 readers",
        "Share on LinkedIn",
        "Leave a Reply",
        "says:",
        *demo_pages.COMMENTS,
    ]
    for article in site.articles:
        text = cleaned[article.id].text
        found = [b for b in boilerplate if b in text]
        assert found == [], f"article {article.id} kept {found}"


def test_syndicated_copies_are_near_duplicates_of_their_originals_only(site, cleaned):
    copies = {a.id: a.duplicate_of for a in site.articles if a.duplicate_of}
    assert copies, "the demo site has syndicated copies"
    for copy, original in copies.items():
        assert is_near_duplicate(cleaned[copy].fingerprint, cleaned[original].fingerprint)
        assert cleaned[copy].content_hash != cleaned[original].content_hash
    pairs = {frozenset(p) for p in copies.items()}
    for a, b in itertools.combinations(sorted(cleaned), 2):
        if frozenset((a, b)) not in pairs:
            assert not is_near_duplicate(cleaned[a].fingerprint, cleaned[b].fingerprint), (a, b)


def test_tracking_parameters_do_not_change_the_article_id(site, base, cleaned):
    article = site.articles[0]
    body, content_type = fetch(base + article.html_path)
    tracked = clean_page(
        body,
        url=base + article.html_path + "?utm_source=related&utm_medium=web#comments",
        content_type=content_type,
    )
    assert tracked.article_id == cleaned[article.id].article_id


def test_wordpress_api_post_becomes_the_same_article(site, base, cleaned):
    article = next(a for a in site.articles if a.duplicate_of is None and a.format == "post")
    body, content_type = fetch(f"{base}/wp-json/wp/v2/posts/{article.id}?_embed=1")
    result = clean_page(
        body, url=base + article.html_path, kind="wp_json", content_type=content_type
    )
    assert isinstance(result, Article), result
    assert result.published == article.published.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert result.published_source == "wp_api"
    assert result.title == article.title
    assert result.article_id == cleaned[article.id].article_id
    assert result.content_hash == cleaned[article.id].content_hash


def test_wire_copy_in_plain_text_takes_its_date_from_the_header(site, base):
    wire = next(a for a in site.articles if a.format == "text")
    body, content_type = fetch(base + wire.url_path)
    result = clean_page(body, url=base + wire.url_path, kind="text", content_type=content_type)
    assert isinstance(result, Article), result
    assert result.published == wire.published.strftime("%Y-%m-%dT00:00:00Z")
    assert result.published_source == "text_header"
    assert result.title == wire.title


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("challenge", "blocked"),
        ("challenge-200", "blocked"),
        ("not-article", "not_article"),
        ("empty", "empty"),
        ("gbk", "language"),
    ],
)
def test_fault_pages_are_rejected_with_a_reason(base, fault, reason):
    body, content_type = fetch(f"{base}/faults/{fault}")
    result = clean_page(body, url=f"{base}/faults/{fault}", content_type=content_type)
    assert isinstance(result, Reject)
    assert (result.reason, result.stage) == (reason, "clean")
    assert len(result.detail) > 20


def test_latin1_page_decodes_to_the_right_characters(base):
    body, content_type = fetch(f"{base}/faults/latin1")
    result = clean_page(body, url=f"{base}/faults/latin1", content_type=content_type)
    assert isinstance(result, Article), result
    assert "Zürich" in result.text and "£4.5 million" in result.text
    assert "Ã" not in result.text


def test_undeclared_windows_1252_and_gbk_pages_decode(base):
    body, content_type = fetch(f"{base}/faults/cp1252-undeclared")
    text, _ = decode_body(body, content_type)
    assert "€2.3 billion" in text and "“record quarter”" in text
    body, content_type = fetch(f"{base}/faults/gbk")
    text, _ = decode_body(body, content_type)
    assert "小米第二季度手机出货量创新高" in text
