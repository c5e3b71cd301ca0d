"""End to end: the three kinds of spider crawl the bundled demo site over HTTP through `run_crawl`.

One demo server for the module; each source is crawled once, then again with the state the
first crawl returned (nothing new: no article page is fetched again), then once more after an
article was edited (that article, and only it, is fetched again).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spider_fixtures import FAST, page_body, read_jsonl

from spiders.crawl import run_crawl
from spiders.records import RawPage
from spiders.sources import Source, load_sources

demo_site = pytest.importorskip("demo.site")
demo_server = pytest.importorskip("demo.server")

REPO = Path(__file__).resolve().parents[2]
LISTING_PATHS = (
    "/robots.txt",
    "/wp-json/",
    "/feed",
    "/sitemap",
    "/news-sitemap",
    "/faults/sitemap.xml",
)
TOUCHED_AT = "2026-11-20T12:00:00Z"


def _iso(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def demo():
    site = demo_site.DemoSite()
    with demo_server.serve(site) as base:
        sources = {
            s.name: s.with_demo_url(base) for s in load_sources(REPO / "sources.toml") if s.demo
        }
        yield site, base, sources


def _crawl(demo, name: str, out: Path, state: dict | None = None):
    site, _, sources = demo
    site.reset_log()
    result = run_crawl(sources[name], out, state, timeout=120, settings=FAST)
    assert result.status == "ok", result.log_tail
    return result, [path for _, path, _ in site.requests], [(p, s) for _, p, s in site.requests]


@pytest.fixture(scope="module")
def first(demo, tmp_path_factory):
    names = ("demo-wp", "demo-feed", "demo-news", "demo-faults")
    return {name: _crawl(demo, name, tmp_path_factory.mktemp(name)) for name in names}


@pytest.fixture(scope="module")
def second(demo, first, tmp_path_factory):
    names = ("demo-wp", "demo-feed", "demo-news")
    return {
        name: _crawl(demo, name, tmp_path_factory.mktemp(name + "-again"), first[name][0].state)
        for name in names
    }


@pytest.fixture(scope="module")
def after_touch(demo, second, tmp_path_factory):
    site = demo[0]
    touched = site.touch(site.posts[3].id, TOUCHED_AT)
    names = ("demo-wp", "demo-news")
    crawls = {
        name: _crawl(demo, name, tmp_path_factory.mktemp(name + "-touched"), second[name][0].state)
        for name in names
    }
    return touched, crawls


def _pages(result) -> dict[str, RawPage]:
    return {p["url"]: RawPage.from_dict(p) for p in read_jsonl(result.out_dir / "pages.jsonl")}


def _article_requests(paths: list[str]) -> list[str]:
    return [p for p in paths if not p.startswith(LISTING_PATHS)]


def test_wordpress_source_keeps_every_post_with_the_apis_metadata(demo, first):
    site, base, _ = demo
    result, paths, _ = first["demo-wp"]
    pages = _pages(result)
    assert set(pages) == {base + a.url_path for a in site.posts}
    assert _article_requests(paths) == []  # the API carries the articles: no page is fetched
    article = site.posts[0]
    page = pages[base + article.url_path]
    assert page.kind == "wp_json" and page.published_source == "wp_api"
    assert (page.published, page.modified) == (_iso(article.published), _iso(article.modified))
    # WordPress renders titles with typographic quotes (wptexturize).
    assert page.title.replace("\u2019", "'") == article.title and page.authors == [article.author]
    assert page.categories == list(article.categories) and page.tags == list(article.tags)
    post = json.loads(page_body(result.out_dir, page.to_dict()))
    assert post["id"] == article.id and post["content"]["rendered"]
    assert result.rejects == 0


def test_feed_source_follows_items_to_their_pages(demo, first):
    site, base, _ = demo
    result, paths, _ = first["demo-feed"]
    pages = _pages(result)
    listed = site.newest_first[:50]
    assert set(pages) == {base + a.url_path for a in listed}
    assert sorted(_article_requests(paths)) == sorted(a.url_path for a in listed)
    for article in listed:
        page = pages[base + article.url_path]
        assert page.published == _iso(article.published) and page.published_source == "feed"
        assert page.kind == ("text" if article.url_path.endswith(".txt") else "html")
    assert result.rejects == 0


def test_news_sitemap_source_fetches_each_article_once_with_its_news_date(demo, first):
    site, base, _ = demo
    result, paths, _ = first["demo-news"]
    pages = _pages(result)
    assert set(pages) == {base + a.url_path for a in site.articles}
    assert sorted(_article_requests(paths)) == sorted(a.url_path for a in site.articles)
    for article in site.articles:
        page = pages[base + article.url_path]
        assert page.published_source == "news_sitemap" and page.published == _iso(article.published)
        assert page.modified == _iso(article.modified)
        assert page.title == article.title
    html = next(p for p in pages.values() if p.kind == "html")
    assert b"<html" in page_body(result.out_dir, html.to_dict())


def test_fault_sitemap_turns_every_fault_into_a_page_or_a_reasoned_reject(demo, first):
    _, base, _ = demo
    result, paths, _ = first["demo-faults"]
    rejects = {r["url"].replace(base, ""): r for r in read_jsonl(result.out_dir / "rejects.jsonl")}
    assert {url: r["reason"] for url, r in rejects.items()} == {
        "/faults/500": "http_500",
        "/faults/404": "http_404",
        "/faults/truncated.json": "truncated_json",
        "/faults/wp-json/wp/v2/posts": "unsupported_type",
        "/faults/huge": "oversize",
        "/faults/challenge": "blocked",
        "/faults/challenge-200": "blocked",
        "/faults/empty": "empty",
    }
    assert "Cloudflare" in rejects["/faults/challenge"]["detail"]
    assert "AWS WAF" in rejects["/faults/challenge-200"]["detail"]
    assert "after 3 retries" in rejects["/faults/500"]["detail"]
    kept = {url.replace(base, "") for url in _pages(result)}
    # flaky (500 then fine) and 429 (Retry-After: 1, then fine) succeed on retry.
    assert kept == {
        "/faults/slow?seconds=2",
        "/faults/flaky",
        "/faults/429",
        "/faults/latin1",
        "/faults/cp1252-undeclared",
        "/faults/gbk",
        "/faults/not-article",
    }
    assert paths.count("/faults/429") == 2 and paths.count("/faults/500") == 4


def test_second_crawl_fetches_no_article_again_and_listings_answer_304(second):
    for name, (result, paths, _) in second.items():
        assert _article_requests(paths) == [], name
        assert result.pages == 0 and result.rejects == 0, name
    assert second["demo-feed"][2] == [("/robots.txt", 200), ("/feed/", 304)]
    assert second["demo-news"][2] == [("/robots.txt", 200), ("/sitemap_index.xml", 304)]


def test_second_crawl_returns_the_state_it_was_given(first, second):
    for name, (result, _, _) in second.items():
        before = first[name][0].state
        assert result.state["pages"] == before["pages"], name
        assert result.state["newest"] == before["newest"], name


def test_an_edited_article_is_fetched_again_and_nothing_else(demo, after_touch):
    _, base, _ = demo
    touched, crawls = after_touch
    url = base + touched.url_path
    wp_result, wp_paths, _ = crawls["demo-wp"]
    assert list(_pages(wp_result)) == [url]
    assert _pages(wp_result)[url].modified == TOUCHED_AT
    assert _article_requests(wp_paths) == []
    news_result, news_paths, _ = crawls["demo-news"]
    assert list(_pages(news_result)) == [url]
    assert _article_requests(news_paths) == [touched.url_path]
    assert news_result.state["pages"][url]["modified"] == TOUCHED_AT
    assert news_result.state["newest"] == TOUCHED_AT


def test_every_crawl_writes_stats_and_state(first):
    for name, (result, _, _) in first.items():
        assert (result.out_dir / "stats.json").exists() and (result.out_dir / "state.json").exists()
        assert result.stats["finish_reason"] == "finished", name
        assert json.loads((result.out_dir / "state.json").read_text())["source"] == name


def test_demo_sources_are_what_the_tests_crawl(demo):
    _, _, sources = demo
    assert {s.kind for s in sources.values()} == {"wordpress", "feed", "sitemap"}
    assert all(isinstance(s, Source) and s.allow_private for s in sources.values())
