"""The warehouse as a DuckLake: the loader's tables in a catalog plus Parquet files, loaded by
several processes, read by several processes, idempotent like the DuckDB-file warehouse."""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

import pytest

from flows.process import ProcessStats, RunWriter
from warehouse.lake import Lake, LakeUnavailable, connect_lake, extension_path, load_lake_run

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_probe

RUN_A = "20260101T020000Z-nightly"
RUN_B = "20260102T020000Z-nightly"


@pytest.fixture(scope="module")
def two_runs(demo_results, tmp_path_factory) -> dict[str, Path]:
    """Two run folders of real demo articles: the first half of the pages, then the rest."""
    from figures import EXTRACTOR_VERSION

    root = tmp_path_factory.mktemp("runs")
    half = len(demo_results) // 2
    runs = {}
    for run_id, results in ((RUN_A, demo_results[:half]), (RUN_B, demo_results[half:])):
        run_dir = root / run_id
        RunWriter(run_dir, run_id, EXTRACTOR_VERSION).add_results(results, ProcessStats())
        meta = {"run_id": run_id, "flow": "nightly", "extractor_version": EXTRACTOR_VERSION}
        meta["sources"] = [{"name": "demo-news", "kind": "sitemap", "start_url": "http://x/"}]
        meta["crawls"] = {}
        (run_dir / "run.json").write_text(json.dumps(meta))
        (run_dir / "state").mkdir()
        state = {
            "source": "demo-news",
            "newest": f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}T00:00:00Z",
            "pages": {r["article"]["url"]: {"modified": None, "body_sha256": "x"} for r in results},
            "listings": {"http://x/sitemap.xml": {"etag": f'"{run_id}"', "last_modified": None}},
        }
        (run_dir / "state" / "demo-news.json").write_text(json.dumps(state))
        runs[run_id] = run_dir
    return runs


def _ids(run_dir: Path) -> set[str]:
    return {json.loads(line)["article_id"] for line in (run_dir / "articles.jsonl").open()}


def _lake(tmp_path: Path) -> Lake:
    return Lake(str(tmp_path / "catalog.ducklake"), str(tmp_path / "data") + "/")


def _count(lake: Lake, sql: str):
    con = connect_lake(lake, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_extension_is_the_installed_package_file_for_this_duckdb():
    import duckdb

    path = extension_path()
    assert path.name == "ducklake.duckdb_extension" and f"v{duckdb.__version__}" in str(path)


def test_two_processes_loading_two_runs_at_once_both_land(two_runs, tmp_path):
    lake = _lake(tmp_path)
    context = multiprocessing.get_context("spawn")
    start = context.Manager().Event()
    with context.Pool(2) as pool:
        pending = [
            pool.apply_async(
                scale_probe.load_into_lake, (lake.catalog, lake.data_path, str(run_dir), start)
            )
            for run_dir in two_runs.values()
        ]
        start.set()
        stats = [p.get(timeout=240) for p in pending]

    assert sorted(s["run_id"] for s in stats) == [RUN_A, RUN_B]
    loaded = {r[0] for r in _count(lake, "SELECT article_id FROM articles")}
    assert loaded == _ids(two_runs[RUN_A]) | _ids(two_runs[RUN_B])
    runs = dict(_count(lake, "SELECT run_id, status FROM runs"))
    assert runs == {RUN_A: "complete", RUN_B: "complete"}
    figures = _count(lake, "SELECT count(*) FROM figures")[0][0]
    assert figures == sum(s["figures"] for s in stats) > 0
    # The rows are Parquet files under the data path, not in the catalog file.
    assert list((tmp_path / "data").rglob("*.parquet"))


def test_loading_a_run_again_changes_nothing(two_runs, tmp_path):
    lake = _lake(tmp_path)
    first = load_lake_run(lake, two_runs[RUN_A])
    tables = ["articles", "article_versions", "article_sources", "figures", "rejects", "sources"]
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*), sum(hash(x))::VARCHAR FROM {t} x" for t in tables
    )
    before = _count(lake, query)
    again = load_lake_run(lake, two_runs[RUN_A])
    assert _count(lake, query) == before
    # A reload classifies the run's articles as the first load did (the loader's contract).
    assert again.to_dict() | {"seconds": 0} == first.to_dict() | {"seconds": 0}


def test_the_views_answer_questions_over_the_lake(two_runs, tmp_path):
    lake = _lake(tmp_path)
    load_lake_run(lake, two_runs[RUN_A])
    rows = _count(lake, "SELECT count(*), count(DISTINCT article_id) FROM figures_full")
    assert rows[0][0] > 0 and rows[0][1] == len(_ids(two_runs[RUN_A]))


def test_several_processes_read_the_lake_at_once(two_runs, tmp_path):
    lake = _lake(tmp_path)
    for run_dir in two_runs.values():
        load_lake_run(lake, run_dir)
    expected = tuple(
        _count(lake, "SELECT (SELECT count(*) FROM articles), count(*) FROM figures")[0]
    )
    context = multiprocessing.get_context("spawn")
    together = context.Manager().Barrier(3)
    with context.Pool(3) as pool:
        pending = [
            pool.apply_async(
                scale_probe.read_lake_while_others_read, (lake.catalog, lake.data_path, together)
            )
            for _ in range(3)
        ]
        counts = [p.get(timeout=240) for p in pending]
    assert counts == [expected] * 3


def test_a_writer_that_cannot_wait_is_told_who_to_blame(two_runs, tmp_path):
    lake = _lake(tmp_path)
    load_lake_run(lake, two_runs[RUN_A])
    context = multiprocessing.get_context("spawn")
    together = context.Manager().Barrier(2)
    with context.Pool(1) as pool:
        reader = pool.apply_async(
            scale_probe.read_lake_while_others_read, (lake.catalog, lake.data_path, together)
        )
        together.wait(timeout=60)  # the reader holds the catalog now
        with pytest.raises(LakeUnavailable, match="PostgreSQL catalog"):
            load_lake_run(lake, two_runs[RUN_B], retries=0)
        together.wait(timeout=60)
        reader.get(timeout=60)
    assert dict(_count(lake, "SELECT run_id, status FROM runs")) == {RUN_A: "complete"}


def test_a_postgresql_catalog_without_its_extension_package_names_the_package(tmp_path):
    import importlib.util

    if importlib.util.find_spec("duckdb_extension_postgres_scanner"):
        pytest.skip("the postgres extension is installed here")
    lake = Lake("postgres:dbname=lake host=127.0.0.1", str(tmp_path / "data"))
    with pytest.raises(LakeUnavailable, match="pip install duckdb-extension-postgres-scanner=="):
        connect_lake(lake)


def test_the_lake_is_chosen_by_environment_variables(monkeypatch, tmp_path):
    from warehouse.lake import configured_lake

    monkeypatch.delenv("NEWSFIGURES_LAKE_CATALOG", raising=False)
    assert configured_lake() is None
    monkeypatch.setenv("NEWSFIGURES_LAKE_CATALOG", "postgres:dbname=lake host=db")
    with pytest.raises(LakeUnavailable, match="NEWSFIGURES_LAKE_DATA_PATH"):
        configured_lake()
    monkeypatch.setenv("NEWSFIGURES_LAKE_DATA_PATH", "s3://bucket/newsfigures/")
    assert configured_lake() == Lake("postgres:dbname=lake host=db", "s3://bucket/newsfigures/")


def test_the_next_crawl_state_comes_from_the_latest_run_in_the_lake(two_runs, tmp_path):
    from warehouse.lake import lake_crawl_state

    lake = _lake(tmp_path)
    assert lake_crawl_state(lake, "demo-news")["pages"] == {}  # no lake yet: an empty state
    for run_dir in two_runs.values():
        load_lake_run(lake, run_dir)
    latest = json.loads((two_runs[RUN_B] / "state" / "demo-news.json").read_text())
    state = lake_crawl_state(lake, "demo-news")
    assert state["listings"] == latest["listings"]
    assert set(state["pages"]) == set(latest["pages"])
    assert state["newest"] == latest["newest"]
