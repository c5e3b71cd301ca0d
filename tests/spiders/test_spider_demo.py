"""End to end: the three kinds of spider crawl the bundled demo site over HTTP through `run_crawl`.

One demo server per source; each source is crawled once, then again with the state the
first crawl returned (nothing new: no article page is fetched again), then once more after an
article was edited (that article, and only it, is fetched again).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from spider_fixtures import FAST, Fixture, Route, page_body, read_jsonl, run_all, serve

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


NAMES = ("demo-wp", "demo-feed", "demo-news", "demo-faults")
EXTRA = ("redirected", "fulltext")  # WordPress without pretty permalinks; the full-text feed


@dataclass
class Demo:
    """One demo server per source, so each request log holds one source's crawls only."""

    site: object
    base: str
    source: Source


@pytest.fixture(scope="module")
def demos():
    sources = {s.name: s for s in load_sources(REPO / "sources.toml") if s.demo}
    sites = {name: demo_site.DemoSite() for name in NAMES}
    sites["redirected"] = demo_site.DemoSite(pretty_permalinks=False)
    sites["fulltext"] = demo_site.DemoSite()
    with contextlib.ExitStack() as stack:
        bases = {name: stack.enter_context(demo_server.serve(site)) for name, site in sites.items()}
        demos = {
            name: Demo(sites[name], bases[name], sources[name].with_demo_url(bases[name]))
            for name in NAMES
        }
        wp = sources["demo-wp"].with_demo_url(bases["redirected"])
        demos["redirected"] = Demo(sites["redirected"], bases["redirected"], wp)
        full = dataclasses.replace(
            sources["demo-feed"], name="demo-feed-full", start_url="{demo}/feed/full/"
        )
        demos["fulltext"] = Demo(
            sites["fulltext"], bases["fulltext"], full.with_demo_url(bases["fulltext"])
        )
        yield demos


def _crawls(
    demos: dict[str, Demo], names, tmp_path_factory, label: str, states: dict | None = None
):
    """Crawls the named sources side by side: (result, paths requested, (path, status) answers)."""
    outs = {name: tmp_path_factory.mktemp(f"{name}-{label}") for name in names}
    for name in names:
        demos[name].site.reset_log()

    def crawl(name: str):
        state = (states or {}).get(name)
        result = run_crawl(demos[name].source, outs[name], state, timeout=120, settings=FAST)
        assert result.status == "ok", result.log_tail
        return result

    results = run_all({name: (lambda name=name: crawl(name)) for name in names})
    logs = {name: demos[name].site.requests for name in names}
    return {
        name: (results[name], [p for _, p, _ in logs[name]], [(p, s) for _, p, s in logs[name]])
        for name in names
    }


# A crawl's hard timeout: short for a test, long enough for Scrapy to start on a busy machine.
HARD_TIMEOUT = 20


def _hanging_site(fixture: Fixture) -> Source:
    """A feed whose second item never answers: only the crawl's hard timeout ends the crawl."""
    b = fixture.base
    items = "".join(
        f"<item><title>{n}</title><link>{b}/{n}</link></item>" for n in ("fast", "hangs")
    )
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    fixture.add("/feed/", body, Content_Type="application/rss+xml")
    fixture.add("/fast", "<html><body><p>fast</p></body></html>")
    fixture.routes["/hangs"] = Route(b"<html></html>", delay=600)
    return Source(name="hanging", kind="feed", start_url=b + "/feed/", allow_private=True)


@pytest.fixture(scope="module")
def first(demos, tmp_path_factory):
    """Every source crawled once, side by side with a crawl that runs into its hard timeout."""
    hanging_out = tmp_path_factory.mktemp("hanging")
    with serve(Fixture()) as fixture:
        source = _hanging_site(fixture)
        hung: list = []
        hanging = threading.Thread(
            target=lambda: hung.append(
                run_crawl(source, hanging_out, None, timeout=HARD_TIMEOUT, settings=FAST)
            )
        )
        fast_served = threading.Event()
        fixture.routes["/fast"].on_answer = fast_served.set
        hanging.start()
        fast_served.wait(60)  # its fast page first, before the other crawls load the machine
        crawls = _crawls(demos, (*NAMES, *EXTRA), tmp_path_factory, "first")
        hanging.join()
    crawls["hanging"] = (hung[0], [fixture.base], [])
    return crawls


@pytest.fixture(scope="module")
def second(demos, first, tmp_path_factory):
    names = ("demo-wp", "demo-feed", "demo-news")
    return _crawls(demos, names, tmp_path_factory, "again", {n: first[n][0].state for n in names})


@pytest.fixture(scope="module")
def after_touch(demos, second, tmp_path_factory):
    names = ("demo-wp", "demo-news")
    touched = {}
    for name in names:
        site = demos[name].site
        touched[name] = site.touch(site.posts[3].id, TOUCHED_AT)
    crawls = _crawls(
        demos, names, tmp_path_factory, "touched", {n: second[n][0].state for n in names}
    )
    return touched, crawls


def _pages(result) -> dict[str, RawPage]:
    return {p["url"]: RawPage.from_dict(p) for p in read_jsonl(result.out_dir / "pages.jsonl")}


def _article_requests(paths: list[str]) -> list[str]:
    return [p for p in paths if not p.startswith(LISTING_PATHS)]


def test_wordpress_source_keeps_every_post_with_the_apis_metadata(demos, first):
    site, base = demos["demo-wp"].site, demos["demo-wp"].base
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


def test_feed_source_follows_items_to_their_pages(demos, first):
    site, base = demos["demo-feed"].site, demos["demo-feed"].base
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


def test_full_text_feed_items_are_kept_without_fetching_their_pages(demos, first):
    demo = demos["fulltext"]
    result, paths, _ = first["fulltext"]
    listed = demo.site.newest_first[:50]
    pages = _pages(result)
    assert set(pages) == {demo.base + a.url_path for a in listed}
    assert _article_requests(paths) == []
    article = listed[0]
    page = pages[demo.base + article.url_path]
    assert (
        page.kind == "html"
        and page.published == _iso(article.published)
        and page.published_source == "feed"
    )
    body = page_body(result.out_dir, page.to_dict()).decode()
    assert (
        body.startswith("<!DOCTYPE html>")
        and "<article>" in body
        and article.body.split()[0] in body
    )


def test_news_sitemap_source_fetches_each_article_once_with_its_news_date(demos, first):
    site, base = demos["demo-news"].site, demos["demo-news"].base
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


def test_fault_sitemap_turns_every_fault_into_a_page_or_a_reasoned_reject(demos, first):
    base = demos["demo-faults"].base
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


def test_an_edited_article_is_fetched_again_and_nothing_else(demos, after_touch):
    touched_by_source, crawls = after_touch
    touched = touched_by_source["demo-wp"]
    url = demos["demo-wp"].base + touched.url_path
    wp_result, wp_paths, _ = crawls["demo-wp"]
    assert list(_pages(wp_result)) == [url]
    assert _pages(wp_result)[url].modified == TOUCHED_AT
    assert _article_requests(wp_paths) == []
    touched = touched_by_source["demo-news"]
    url = demos["demo-news"].base + touched.url_path
    news_result, news_paths, _ = crawls["demo-news"]
    assert list(_pages(news_result)) == [url]
    assert _article_requests(news_paths) == [touched.url_path]
    assert news_result.state["pages"][url]["modified"] == TOUCHED_AT
    assert news_result.state["newest"] == TOUCHED_AT


def test_a_crawl_past_its_hard_timeout_is_killed_and_keeps_what_it_wrote(first):
    result, (base,), _ = first["hanging"]
    assert result.status == "timeout" and result.returncode is None
    assert [p["url"] for p in read_jsonl(result.out_dir / "pages.jsonl")] == [base + "/fast"]
    state = json.loads((result.out_dir / "state.json").read_text())
    assert list(state["pages"]) == [base + "/fast"]  # rebuilt from the pages it kept


def test_every_crawl_writes_stats_and_state(demos, first):
    for name in (*NAMES, *EXTRA):
        result = first[name][0]
        assert (result.out_dir / "stats.json").exists() and (result.out_dir / "state.json").exists()
        assert result.stats["finish_reason"] == "finished", name
        state = json.loads((result.out_dir / "state.json").read_text())
        assert state["source"] == demos[name].source.name


def test_wordpress_without_pretty_permalinks_is_followed_to_the_rest_route_form(demos, first):
    demo = demos["redirected"]
    result, _, answers = first["redirected"]
    assert answers[1][0].startswith("/wp-json/wp/v2/posts?") and answers[1][1] == 301
    assert answers[2][0].startswith("/?rest_route=%2Fwp%2Fv2%2Fposts") or answers[2][0].startswith(
        "/?rest_route=/wp/v2/posts"
    )
    assert set(_pages(result)) == {demo.base + a.url_path for a in demo.site.posts}


def test_demo_sources_are_what_the_tests_crawl(demos):
    sources = [demos[name].source for name in NAMES]
    assert {s.kind for s in sources} == {"wordpress", "feed", "sitemap"}
    assert all(isinstance(s, Source) and s.allow_private for s in sources)
