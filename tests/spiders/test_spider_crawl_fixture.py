"""Each spider kind crawls a small fixture site over real HTTP through `run_crawl`."""

from __future__ import annotations

import hashlib
import json

import pytest
from spider_fixtures import FAST, Fixture, Route, page_body, read_jsonl, run_all, serve

from spiders.crawl import crawl_command, run_crawl
from spiders.records import RawPage, Reject
from spiders.sources import Source

ROBOTS = "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n"


def _post(base: str, n: int, modified_day: int | None = None) -> dict:
    day = modified_day or n
    return {
        "id": n,
        "date_gmt": f"2024-05-0{n}T09:00:00",
        "modified_gmt": f"2024-05-0{day}T10:00:00",
        "link": f"{base}/p/{n}/",
        "title": {"rendered": f"Post &amp; {n}"},
        "content": {"rendered": f"<p>Body {n}</p>"},
        "_embedded": {
            "author": [{"name": "Ann Writer"}],
            "wp:term": [
                [{"taxonomy": "category", "name": "Chips"}],
                [{"taxonomy": "post_tag", "name": "TSMC"}],
            ],
        },
    }


def _source(base: str, kind: str, path: str, **extra) -> Source:
    return Source(
        name=f"t-{kind}",
        kind=kind,
        start_url=base + path,
        allowed_domains=("127.0.0.1",),
        allow_private=True,
        **extra,
    )


def _wp_site(fixture: Fixture) -> Source:
    """A three-page posts endpoint whose second page is cut off mid-JSON."""
    base = fixture.base
    pages = {
        1: [_post(base, 1), _post(base, 2)],
        2: [_post(base, 3), _post(base, 4)],
        3: [_post(base, 5)],
    }
    fixture.add("/robots.txt", ROBOTS, Content_Type="text/plain")
    for n, posts in pages.items():
        body = json.dumps(posts).encode()
        if n == 2:
            body = body[: len(json.dumps(posts[0])) + 40]  # post 3 complete, post 4 cut
        headers = {
            "Content-Type": "application/json; charset=UTF-8",
            "X-WP-TotalPages": "3",
            "X-WP-Total": "5",
        }
        fixture.routes[f"/wp-json/wp/v2/posts?per_page=100&_embed=1&page={n}"] = Route(
            body, 200, headers
        )
    return _source(base, "wordpress", "/wp-json/wp/v2/posts")


def test_wordpress_keeps_every_post_as_its_own_json_page(crawls):
    result, _ = crawls["wp"]
    out = result.out_dir
    assert result.status == "ok", result.log_tail
    pages = [RawPage.from_dict(p) for p in read_jsonl(out / "pages.jsonl")]
    assert sorted(p.url.rsplit("/", 2)[-2] for p in pages) == ["1", "2", "3", "5"]
    first = next(p for p in pages if p.url.endswith("/p/1/"))
    assert first.kind == "wp_json"
    assert (first.published, first.modified) == ("2024-05-01T09:00:00Z", "2024-05-01T10:00:00Z")
    assert first.published_source == "wp_api"
    assert (first.title, first.authors, first.categories, first.tags) == (
        "Post & 1",
        ["Ann Writer"],
        ["Chips"],
        ["TSMC"],
    )
    body = page_body(out, first.to_dict())
    assert json.loads(body)["content"]["rendered"] == "<p>Body 1</p>"
    assert first.body_sha256 == hashlib.sha256(body).hexdigest()


def test_wordpress_truncated_page_is_a_reject_and_the_walk_goes_on(crawls):
    result, fixture = crawls["wp"]
    out = result.out_dir
    rejects = [Reject.from_dict(r) for r in read_jsonl(out / "rejects.jsonl")]
    assert [(r.reason, r.stage) for r in rejects] == [("truncated_json", "crawl")]
    assert "page=2" in rejects[0].url and "salvaged the 1 complete posts" in rejects[0].detail
    assert any("page=3" in path for path in fixture.fetched("/wp-json/"))
    assert result.pages == 4 and result.rejects == 1


def test_wordpress_state_keeps_its_watermark_when_a_page_was_cut(crawls):
    result, _ = crawls["wp"]
    out = result.out_dir
    state = json.loads((out / "state.json").read_text())
    assert state["newest"] is None  # page 2 was cut: an incremental run must not skip post 4
    assert set(state["pages"]) == {f"{fixture_base(state)}/p/{n}/" for n in (1, 2, 3, 5)}
    assert result.stats["robotstxt/crawl_delay/127.0.0.1"] == 0.2
    # Scrapy parses Crawl-delay but does not apply it; the host's download slot got it.
    assert result.stats["newsfigures/crawl_delay_applied/127.0.0.1"] == 0.2


def fixture_base(state: dict) -> str:
    return next(iter(state["pages"])).rsplit("/p/", 1)[0]


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{b}/</link>
<item><title>One</title><link>{b}/a/1/</link><pubDate>Wed, 01 May 2024 09:30:00 GMT</pubDate><category>Chips</category></item>
<item><title>Two</title><link>{b}/a/2/</link><pubDate>Thu, 02 May 2024 09:30:00 +0200</pubDate></item>
<item><title>Elsewhere</title><link>http://example.com/x</link></item>
<item><title>Private</title><link>{b}/private/x</link></item>
<item><title>Broken</title><link>{b}/fail</link></item>
<item><title>Limited</title><link>{b}/busy</link></item>
<item><title>Challenge</title><link>{b}/cf</link></item>
<item><title>WAF</title><link>{b}/waf</link></item>
<item><title>Empty</title><link>{b}/empty</link></item>
</channel></rss>"""


def _feed_site(fixture: Fixture) -> Source:
    b = fixture.base
    fixture.add("/robots.txt", ROBOTS, Content_Type="text/plain")
    fixture.add("/feed/", FEED.format(b=b), Content_Type="application/rss+xml")
    fixture.add("/a/1/", "<html><head><title>One</title></head><body><p>one</p></body></html>")
    fixture.add("/a/2/", "<html><body><p>two</p></body></html>")
    fixture.add("/fail", "oops", status=500)
    fixture.add("/busy", "slow down", status=429, Retry_After="1")
    fixture.add("/cf", "<html><head><title>Just a moment...</title></head></html>", status=403)
    fixture.add("/waf", "<html><script>window.gokuProps = {};</script></html>", status=200)
    fixture.add("/empty", "")
    return _source(b, "feed", "/feed/")


HANGING = ("hangs1", "hangs2", "hangs3")


def _hanging_site(fixture: Fixture) -> Source:
    """A feed with one quick item and three that never answer (two requests run at a time)."""
    b = fixture.base
    names = (*HANGING, "fast")  # Scrapy's queue is last in, first out: fast goes first
    items = "".join(f"<item><title>{n}</title><link>{b}/{n}</link></item>" for n in names)
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    fixture.add("/feed/", body, Content_Type="application/rss+xml")
    fixture.add("/fast", "<html><body><p>fast</p></body></html>")
    for name in HANGING:
        fixture.routes[f"/{name}"] = Route(b"<html></html>", delay=600)
    return _source(b, "feed", "/feed/")


# Stop after 4 s of crawling (run_crawl sets this to its timeout minus a grace period).
# Two requests at a time in all, so one hanging request is still in the scheduler at the stop.
STOPS_ITSELF = {
    **FAST,
    "CLOSESPIDER_TIMEOUT": 4,
    "DOWNLOAD_TIMEOUT": 8,  # longer than the 4 s: nothing hanging ends before the stop
    "RETRY_ENABLED": False,
    "CONCURRENT_REQUESTS": 2,
}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Each fixture site crawled once, all at the same time; (result, fixture) by name."""
    sites = {
        "wp": (Fixture(), _wp_site),
        "feed": (Fixture(), _feed_site),
        "stops": (Fixture(), _hanging_site),
    }
    with serve(sites["wp"][0]), serve(sites["feed"][0]), serve(sites["stops"][0]):
        sources = {name: build(fixture) for name, (fixture, build) in sites.items()}
        loopback = Source(name="x", kind="feed", start_url="http://127.0.0.1:9/feed")

        def crawl(name: str, source: Source):
            out = tmp_path_factory.mktemp(name)  # in this thread: mktemp is not thread-safe
            settings = STOPS_ITSELF if name == "stops" else FAST
            return lambda: run_crawl(source, out, None, timeout=60, settings=settings)

        jobs = {name: crawl(name, source) for name, source in sources.items()}
        jobs["loopback"] = crawl("loopback", loopback)
        results = run_all(jobs)
        yield {
            name: (result, sites[name][0] if name in sites else None)
            for name, result in results.items()
        }


def test_feed_items_are_followed_to_their_pages_with_the_items_dates(crawls):
    first, _ = crawls["feed"]
    assert first.status == "ok", first.log_tail
    pages = {p["url"].rsplit("/", 2)[-2]: p for p in read_jsonl(first.out_dir / "pages.jsonl")}
    assert set(pages) == {"1", "2"}
    assert pages["1"]["kind"] == "html" and pages["1"]["published_source"] == "feed"
    assert pages["1"]["published"] == "2024-05-01T09:30:00Z" and pages["1"]["categories"] == [
        "Chips"
    ]
    assert pages["2"]["published"] == "2024-05-02T07:30:00Z"
    assert page_body(first.out_dir, pages["2"]) == b"<html><body><p>two</p></body></html>"


def test_feed_failures_become_rejects_with_reasons(crawls):
    first, fixture = crawls["feed"]
    rejects = read_jsonl(first.out_dir / "rejects.jsonl")
    by_url = {r["url"].replace(fixture.base, ""): r for r in rejects}
    assert {url: r["reason"] for url, r in by_url.items()} == {
        "http://example.com/x": "offsite",
        "/private/x": "robots",
        "/fail": "http_500",
        "/busy": "http_429",
        "/cf": "blocked",
        "/waf": "blocked",
        "/empty": "empty",
    }
    assert all(r["stage"] == "crawl" and r["source"] == "t-feed" for r in rejects)
    busy = by_url["/busy"]["detail"]
    assert "after 3 retries" in busy and "Retry-After was 1s" in busy and "lower the rate" in busy
    assert fixture.fetched("/busy") == ["/busy"] * 4  # the first try and three retries
    assert fixture.fetched("/private/") == []
    assert "example.com" not in " ".join(fixture.fetched())


def test_crawl_command_names_the_kind_and_its_arguments(tmp_path):
    source_json = tmp_path / "source.json"
    source_json.write_text(json.dumps(_source("http://127.0.0.1:1", "sitemap", "/s.xml").to_dict()))
    command = crawl_command(source_json, tmp_path / "out", tmp_path / "state.json", polite=False)
    assert command[1:5] == ["-m", "scrapy", "crawl", "sitemap"]
    assert f"source={source_json}" in command and f"state={tmp_path / 'state.json'}" in command
    assert "ROBOTSTXT_OBEY=False" in command


def test_loopback_is_refused_unless_the_source_allows_private_addresses(crawls):
    result, _ = crawls["loopback"]
    assert result.status == "ok"  # a refused listing is a reject; the crawl itself finishes
    rejects = read_jsonl(result.out_dir / "rejects.jsonl")
    assert [r["reason"] for r in rejects] == ["private_address"]
    assert "127.0.0.1" in rejects[0]["detail"] and "loopback" in rejects[0]["detail"]


def test_a_crawl_that_stops_itself_in_time_keeps_its_pages_and_its_old_watermarks(crawls):
    result, fixture = crawls["stops"]
    assert (result.status, result.returncode) == ("timeout", 0)
    assert result.stats["finish_reason"] == "closespider_timeout"
    assert [p["url"] for p in read_jsonl(result.out_dir / "pages.jsonl")] == [
        fixture.base + "/fast"
    ]
    state = json.loads((result.out_dir / "state.json").read_text())
    assert list(state["pages"]) == [fixture.base + "/fast"]
    assert state["listings"] == {}  # the feed was not worked through: no 304 may hide it next run
    # Nothing lost: requests in flight end in a timeout, those still queued are reported too.
    rejects = {
        r["url"].replace(fixture.base, ""): r for r in read_jsonl(result.out_dir / "rejects.jsonl")
    }
    assert set(rejects) == {f"/{name}" for name in HANGING}
    assert {r["reason"] for r in rejects.values()} <= {"timeout", "unfinished"}
    unfinished = [r for r in rejects.values() if r["reason"] == "unfinished"]
    assert unfinished and all("closespider_timeout" in r["detail"] for r in unfinished)
