"""End to end: the nightly flow crawls the demo site over real HTTP, under Prefect's test
harness, and the published DuckDB file holds what a user would query."""

from __future__ import annotations

import re

import duckdb
import pytest

from demo.server import serve
from demo.site import DemoSite
from flows.nightly import nightly

pytestmark = pytest.mark.slow

ARTICLE_PAGE = re.compile(r"^/\d{4}/\d{2}/[^/]+/$")


def _run(url: str):
    state = nightly(demo_url=url, polite=False, crawl_timeout=300, workers=2, return_state=True)
    return state, state.result(raise_on_failure=False)


@pytest.fixture(scope="module")
def two_nights(prefect_harness, tmp_path_factory):
    """The first night on the demo site, then a second night with nothing new."""
    home = tmp_path_factory.mktemp("home")
    patch = pytest.MonkeyPatch()
    patch.setenv("NEWSFIGURES_HOME", str(home))
    site = DemoSite()
    with serve(site) as url:
        first_state, first = _run(url)
        first_requests = list(site.requests)
        site.reset_log()
        second_state, second = _run(url)
        second_requests = list(site.requests)
    patch.undo()
    db = duckdb.connect(str(home / "newsfigures.duckdb"), read_only=True)
    yield {
        "site": site,
        "first": (first_state, first, first_requests),
        "second": (second_state, second, second_requests),
        "db": db,
    }
    db.close()


def _scalar(db, sql: str):
    return db.execute(sql).fetchone()[0]


def test_first_night_completes_and_loads_every_demo_article(two_nights):
    state, info, _ = two_nights["first"]
    assert state.is_completed(), state.message
    site_articles = len(two_nights["site"].articles)
    loaded = _scalar(two_nights["db"], "SELECT count(*) FROM articles")
    # every demo article, plus the fault pages that are real articles (Latin-1, flaky, 429...)
    assert loaded >= site_articles
    assert info["load"]["articles_new"] == loaded


def test_every_source_contributes_articles(two_nights):
    rows = dict(
        two_nights["db"]
        .execute("SELECT source, count(DISTINCT article_id) FROM article_sources GROUP BY source")
        .fetchall()
    )
    assert set(rows) == {"demo-wp", "demo-feed", "demo-news", "demo-faults"}
    assert min(rows[s] for s in ("demo-wp", "demo-feed", "demo-news")) >= 40


def test_figures_are_loaded_and_the_xiaomi_question_has_answers(two_nights):
    db = two_nights["db"]
    assert _scalar(db, "SELECT count(*) FROM figures") > 300
    quarters = db.execute(
        "SELECT DISTINCT period FROM figures_full WHERE entity = 'Xiaomi' "
        "AND metric = 'shipments' AND period LIKE '____-Q_'"
    ).fetchall()
    assert len(quarters) >= 4


def test_faults_become_rejects_with_actionable_reasons(two_nights):
    db = two_nights["db"]
    reasons = {r for (r,) in db.execute("SELECT DISTINCT reason FROM rejects").fetchall()}
    assert {"http_500", "blocked", "oversize", "truncated_json"} <= reasons
    assert _scalar(db, "SELECT count(*) FROM rejects WHERE detail IS NULL OR detail = ''") == 0


def test_syndicated_copies_are_recorded_as_duplicates_of_the_earlier_article(two_nights):
    site = two_nights["site"]
    by_id = {a.id: a for a in site.articles}
    expected = {
        (by_id[a.id].url_path, by_id[a.duplicate_of].url_path)
        for a in site.articles
        if a.duplicate_of
    }
    pairs = (
        two_nights["db"]
        .execute(
            "SELECT d.canonical_url, o.canonical_url FROM articles d "
            "JOIN articles o ON d.duplicate_of = o.article_id"
        )
        .fetchall()
    )
    found = {(_path(dup), _path(original)) for dup, original in pairs}
    assert expected and expected <= found
    assert len(found) == len(expected)  # no other demo article is taken for a copy


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3].rstrip("/") + "/"


def test_second_night_with_nothing_new_fetches_no_article_page(two_nights):
    state, info, requests = two_nights["second"]
    assert state.is_completed(), state.message
    article_requests = [path for _, path, _ in requests if ARTICLE_PAGE.match(path.split("?")[0])]
    assert article_requests == []
    assert info["load"]["articles_new"] == 0
    assert info["load"]["figures"] == 0


def test_the_runs_table_links_runs_to_prefect(two_nights):
    rows = (
        two_nights["db"].execute("SELECT flow_run_id, status FROM runs ORDER BY run_id").fetchall()
    )
    assert len(rows) == 2
    assert all(flow_run_id and status == "complete" for flow_run_id, status in rows)
