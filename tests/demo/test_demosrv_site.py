"""Loading articles, generated extras, touch() and the request log of the demo site."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from demo.server import serve
from demo.site import CONTENT_DIR, ContentError, DemoSite
from tests.demo.demo_http import FIXTURE_CONTENT, fetch

REPO = Path(__file__).resolve().parents[2]


def test_loads_fixture_articles_sorted_with_typed_fields(site):
    assert [a.id for a in site.articles] == [1, 2, 3, 4]
    first, wire, copy, _ = site.articles
    assert first.published == datetime(2024, 4, 2, 3, 15, tzinfo=UTC)
    assert first.modified == first.published  # no `modified` in the front matter
    assert first.categories == ("Smartphones",) and first.tags == ("Acme", "shipments")
    assert first.url_path == "/2024/04/acme-phones-q1/"
    assert first.body.startswith("Acme shipped 12.5 million phones")
    assert (wire.format, wire.url_path) == ("text", "/wire/acme-revenue-wire.txt")
    assert wire.modified == datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    assert copy.duplicate_of == 1


def test_a_broken_content_file_is_named_in_the_error(tmp_path):
    (tmp_path / "001-good.md").write_text((FIXTURE_CONTENT / "001-acme-phones-q1.md").read_text())
    (tmp_path / "002-bad.md").write_text('+++\nid = 2\ntitle = "No date"\n+++\nBody.\n')
    with pytest.raises(ContentError, match=r"002-bad\.md: front matter lacks 'published'"):
        DemoSite(tmp_path)
    (tmp_path / "002-bad.md").write_text("no front matter at all\n")
    with pytest.raises(ContentError, match=r"002-bad\.md: does not start"):
        DemoSite(tmp_path)


def test_a_missing_content_folder_is_an_error_and_an_empty_one_a_site_without_articles(tmp_path):
    with pytest.raises(ContentError, match="no such content folder"):
        DemoSite(tmp_path / "nowhere")
    empty = DemoSite(tmp_path)
    assert empty.articles == []
    with serve(empty) as base:
        assert fetch(f"{base}/wp-json/wp/v2/posts").headers["X-WP-Total"] == "0"
        assert fetch(f"{base}/feed/").status == fetch(f"{base}/sitemap_index.xml").status == 200
        assert fetch(f"{base}/faults/flaky").status == 500
        assert fetch(f"{base}/faults/flaky").status == 200  # a placeholder article


def test_two_articles_with_one_id_are_refused(tmp_path):
    text = (FIXTURE_CONTENT / "001-acme-phones-q1.md").read_text()
    (tmp_path / "001-a.md").write_text(text)
    (tmp_path / "002-b.md").write_text(text.replace('slug = "acme-phones-q1"', 'slug = "other"'))
    with pytest.raises(ContentError, match="id 1 is used twice"):
        DemoSite(tmp_path)


def test_touch_updates_modified_and_body_of_one_article(site):
    before = site.by_id[3]
    after = site.touch(3, "2024-08-01T00:00:00+02:00")
    assert after.modified == datetime(2024, 7, 31, 22, 0, tzinfo=UTC)
    assert after.body.startswith(before.body.rstrip()) and "Update:" in after.body
    assert site.by_id[3] is after and site.articles[2] is after
    assert [a.id for a in site.articles] == [1, 2, 3, 4]
    with pytest.raises(KeyError):
        site.touch(99, "2024-08-01T00:00:00Z")


def test_extra_pages_are_deterministic_distinct_and_spread_over_years():
    site = DemoSite(FIXTURE_CONTENT, extra_pages=300)
    again = DemoSite(FIXTURE_CONTENT, extra_pages=300)
    extras = [a for a in site.articles if a.id >= 100_000]
    assert [a.id for a in extras] == list(range(100_000, 100_300))
    assert extras == [a for a in again.articles if a.id >= 100_000]
    assert len({a.slug for a in extras}) == len({a.body for a in extras}) == 300
    assert len({a.url_path for a in site.articles}) == len(site.articles)
    assert {a.published.year for a in extras} == set(range(2015, 2026))
    assert all(a.format == "post" and a.duplicate_of is None for a in extras)
    # Numbers are varied, not copied: the template's figures appear in only some variants.
    assert sum("12.5 million" in a.body for a in extras) < 100


def test_request_log_records_method_path_and_status(site, base):
    fetch(f"{base}/wp-json/wp/v2/posts?per_page=2")
    fetch(f"{base}/faults/404")
    fetch(f"{base}/robots.txt", method="HEAD")
    assert site.requests == [
        ("GET", "/wp-json/wp/v2/posts?per_page=2", 200),
        ("GET", "/faults/404", 404),
        ("HEAD", "/robots.txt", 200),
    ]
    site.reset_log()
    assert site.requests == []
    etag = fetch(f"{base}/feed/").headers["ETag"]
    fetch(f"{base}/feed/", {"If-None-Match": etag})
    assert [status for _, _, status in site.requests] == [200, 304]
    # "No article page was requested" is a question the log can answer.
    assert not any(re.match(r"/\d{4}/\d\d/", path) for _, path, _ in site.requests)


def test_the_bundled_content_loads_and_every_listed_url_answers():
    if not any(CONTENT_DIR.glob("*.md")):
        pytest.skip("demo/content has no articles yet")
    site = DemoSite()
    assert [a.id for a in site.articles] == sorted(a.id for a in site.articles)
    with serve(site) as base:
        urls = fetch(f"{base}/sitemap.txt").text.split()
        assert len(urls) == len(site.articles)
        assert all(fetch(url).status == 200 for url in urls)
        for article in site.articles:
            if article.duplicate_of is not None:
                assert article.duplicate_of in site.by_id, article.id


def test_command_line_server_answers():
    process = subprocess.Popen(
        [sys.executable, "-m", "demo.server", "--port", "0", "--content-dir", str(FIXTURE_CONTENT)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        assert "4 articles" in line
        assert fetch(f"{base}/robots.txt").status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
