"""The process stage runs unchanged on a Dask cluster and gives what the local pool gives."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from flows.process import RunWriter, process_pages, read_manifest
from flows.scale import (
    allow_worker_children,
    dask_executor,
    dask_task_runner,
    process_raw_dir,
    running_on_dask_worker,
)

distributed = pytest.importorskip("distributed")
# Functions sent to workers live in a light module of their own; spawned children inherit
# sys.path, so they import it from here whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_probe  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes on this machine, allowed a child process each."""
    allow_worker_children()
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


def _articles_and_figures(results: list[dict]) -> list[tuple]:
    return [
        (r["id"], json.dumps(r.get("article"), sort_keys=True), json.dumps(r.get("figures")))
        for r in results
    ]


def test_the_local_pool_turns_the_crawled_pages_into_articles_with_figures(demo_results):
    articles = [r for r in demo_results if r.get("article")]
    assert len(articles) == len(demo_results) > 0  # every crawled demo page is an article
    assert sum(len(r["figures"]) for r in articles) > 100


def test_a_dask_cluster_gives_the_same_articles_and_figures_in_the_same_order(
    cluster, demo_raw_dir, demo_results
):
    _, client = cluster
    pages = read_manifest(demo_raw_dir / "pages.jsonl")
    on_dask = list(process_pages(pages, demo_raw_dir, executor=dask_executor(client)))
    expected = _articles_and_figures(demo_results)
    got = _articles_and_figures(on_dask)
    differing = [(e, g) for e, g in zip(expected, got, strict=True) if e != g]
    assert not differing, f"{len(differing)} pages differ, first: {differing[0]}"


def test_the_batches_ran_in_both_dask_workers_on_a_main_thread(cluster, demo_raw_dir):
    _, client = cluster
    pages = read_manifest(demo_raw_dir / "pages.jsonl")
    executor = dask_executor(client)
    # Batches of 4 pages: enough futures that both workers take some.
    futures = [
        executor.submit(scale_probe.where_batch_ran, pages[i : i + 4], str(demo_raw_dir))
        for i in range(0, len(pages), 4)
    ]
    places = {f.result() for f in futures}
    worker_pids = set(client.run(scale_probe.pid).values())
    assert {parent for parent, _, _ in places} == worker_pids and len(worker_pids) == 2
    assert all(on_main_thread for _, _, on_main_thread in places)


def test_outside_a_dask_worker_the_stage_keeps_its_local_pool():
    assert running_on_dask_worker() is False


def test_a_flow_with_a_dask_task_runner_runs_the_process_task_on_a_worker(
    prefect_harness, cluster, demo_raw_dir, demo_results, tmp_path
):
    from prefect import flow

    local, _ = cluster

    @flow(task_runner=dask_task_runner(address=local.scheduler_address))
    def process_on_dask(raw_dir: Path, run_dir: Path) -> dict:
        writer = RunWriter(run_dir, "dask-run", "test")
        return process_raw_dir.submit("demo-news", raw_dir, writer).result()

    stats = process_on_dask(demo_raw_dir, tmp_path / "run")

    articles = [json.loads(line) for line in (tmp_path / "run" / "articles.jsonl").open()]
    expected = [r["article"] for r in demo_results if r.get("article")]
    assert [a["article_id"] for a in articles] == [a["article_id"] for a in expected]
    figures = (tmp_path / "run" / "figures.jsonl").read_text().splitlines()
    assert stats["figures"] == len(figures) == sum(len(r["figures"]) for r in demo_results)
    assert stats["pages"] == len(demo_results) and stats["rejects"] == {}
