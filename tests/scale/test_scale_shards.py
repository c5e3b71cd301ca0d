"""Spiders sharded by source across work-pool workers: one nightly deployment per shard, on a
work queue of its own, so each machine's worker picks only its shard's runs."""

from __future__ import annotations

import pytest

from flows.scale import deploy_shards, shard_deployments, shard_of, shard_sources

SOURCES = ["demo-faults", "demo-feed", "demo-news", "demo-wp", "techcrunch", "theregister"]


def test_every_source_is_in_exactly_one_shard():
    plan = shard_sources(SOURCES, 3)
    assert sorted(name for names in plan.values() for name in names) == sorted(SOURCES)
    assert list(plan) == ["shard-0", "shard-1", "shard-2"]


def test_a_new_source_moves_no_other_source_to_another_shard():
    before = {name: shard_of(name, 2) for name in SOURCES}
    after = shard_sources([*SOURCES, "a-new-site"], 2)
    assert {name: int(shard[-1]) for shard, names in after.items() for name in names} == before | {
        "a-new-site": shard_of("a-new-site", 2)
    }


def test_no_shards_is_an_error_not_an_empty_plan():
    with pytest.raises(ValueError, match="at least 1"):
        shard_sources(SOURCES, 0)


def test_each_shard_deployment_runs_the_nightly_on_its_own_queue_one_at_a_time():
    specs = shard_deployments(SOURCES, 2, pool="scale-pool")
    assert [s["work_pool"]["work_queue_name"] for s in specs] == ["shard-0", "shard-1"]
    assert all(s["entrypoint"] == "flows/nightly.py:nightly" for s in specs)
    assert all(s["concurrency_limit"]["limit"] == 1 for s in specs)
    assert sorted(n for s in specs for n in s["parameters"]["sources"]) == sorted(SOURCES)


def test_a_worker_on_a_shard_queue_is_offered_only_that_shards_runs(prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.deployments import run_deployment
    from prefect.workers.process import ProcessWorker

    pool = "scale-shards"
    with get_client(sync_client=True) as client:
        template = ProcessWorker.get_default_base_job_template()
        client.create_work_pool(
            WorkPoolCreate(name=pool, type="process", base_job_template=template)
        )
    deploy_shards(SOURCES, 2, pool=pool)
    plan = shard_sources(SOURCES, 2)
    for shard in plan:
        run_deployment(f"nightly/nightly-{shard}", timeout=0)  # scheduled, not run here

    with get_client(sync_client=True) as client:
        for shard, names in plan.items():
            # The call a `prefect worker start --work-queue <shard>` makes to find its work.
            offered = client.get_scheduled_flow_runs_for_work_pool(pool, work_queue_names=[shard])
            assert len(offered) == 1
            assert offered[0].flow_run.parameters == {"sources": names}
