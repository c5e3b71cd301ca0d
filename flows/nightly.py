"""The flows: `nightly` (all enabled sources), `backfill` (one source, a date range) and
`reprocess` (kept raw pages through clean, extract and load again, without crawling)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner

from flows import pipeline, report
from flows.settings import Paths, new_run_id, paths
from flows.sources import select_sources
from ops.canary import apply_canary
from spiders.sources import Source

CRAWL_TIMEOUT = 1800.0


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def _flow_run_id() -> str | None:
    from prefect.runtime import flow_run

    return flow_run.id


def run_pipeline(
    flow_name: str,
    sources: list[Source],
    *,
    crawl_timeout: float = CRAWL_TIMEOUT,
    polite: bool = True,
    workers: int | None = None,
    incremental: bool = True,
    home: Path | None = None,
    crawl_retries: int = 2,
) -> dict[str, Any]:
    """Crawl every source (in parallel, bounded), process each, load once, publish once."""
    where = paths(home)
    run_id = new_run_id(flow_name)
    run_dir = where.run_dir(run_id)
    started = pipeline.utc_now()
    outcomes = {s.name: pipeline.SourceOutcome(s.name) for s in sources}

    crawl = pipeline.crawl_source.with_options(retries=crawl_retries)
    futures = {}
    for source in sources:
        state = pipeline.crawl_state(where, source.name) if incremental else None
        out_dir = where.raw_dir(run_id, source.name)
        futures[source.name] = crawl.submit(source, out_dir, state, crawl_timeout, polite)
    _collect_crawls(futures, outcomes)

    from figures import EXTRACTOR_VERSION

    writer = pipeline.RunWriter(run_dir, run_id, EXTRACTOR_VERSION)
    for source in sources:
        _process(source.name, where, run_id, writer, outcomes[source.name], workers)

    info = {
        "run_id": run_id,
        "flow": flow_name,
        "flow_run_id": _flow_run_id(),
        "started_at": started,
        "finished_at": pipeline.utc_now(),
        "extractor_version": EXTRACTOR_VERSION,
        "sources": [s.to_dict() for s in sources],
        "crawls": {name: o.to_dict() for name, o in outcomes.items()},
    }
    return _load_and_publish(where, run_dir, info, outcomes)


def _collect_crawls(futures: dict, outcomes: dict[str, pipeline.SourceOutcome]) -> None:
    for name, future in futures.items():
        future.wait()
        outcome = outcomes[name]
        if future.state.is_completed():
            result = future.result()
            outcome.crawl_status = result["status"]
            outcome.pages, outcome.crawl_rejects = result["pages"], result["rejects"]
            outcome.crawl_seconds = result["seconds"]
        else:
            outcome.crawl_status = "failed"
            outcome.error = str(future.state.message or "crawl failed")


def _process(
    name: str,
    where: Paths,
    run_id: str,
    writer: pipeline.RunWriter,
    outcome: pipeline.SourceOutcome,
    workers: int | None,
) -> None:
    raw_dir = where.raw_dir(run_id, name)
    if not raw_dir.exists():
        return
    clock = pipeline.Stopwatch()
    outcome.process = pipeline.process_source(name, raw_dir, writer, workers)
    outcome.process_seconds = clock.seconds
    pipeline.copy_crawl_state(raw_dir, writer.run_dir, name)


def _load_and_publish(
    where: Paths, run_dir: Path, info: dict[str, Any], outcomes: dict[str, pipeline.SourceOutcome]
) -> dict[str, Any]:
    pipeline.write_run_json(run_dir, info)
    where.private_db.parent.mkdir(parents=True, exist_ok=True)
    info["recovered"] = _reload_incomplete(where)
    info["load"] = pipeline.load_run(where.private_db, run_dir)
    info["published"] = pipeline.publish(where.private_db, where.published_db)
    pipeline.write_run_json(run_dir, info)
    report.publish_artifacts(info, run_dir)
    return info


def _reload_incomplete(where: Paths) -> list[str]:
    """A load killed midway left its run `loading`: load that run's folder again, once."""
    from warehouse.state import incomplete_runs

    recovered = []
    for run_id in incomplete_runs(where.private_db):
        if (where.run_dir(run_id) / "run.json").exists():
            pipeline.load_run(where.private_db, where.run_dir(run_id))
            recovered.append(run_id)
    if recovered:
        logging.getLogger(__name__).warning("reloaded runs a crash left incomplete: %s", recovered)
    return recovered


def final_state(info: dict[str, Any]):
    """Completed with the run's summary, or Failed naming the sources that failed."""
    failed = [
        c["name"] for c in info["crawls"].values() if c["crawl_status"] in ("failed", "timeout")
    ]
    if failed:
        return Failed(message=f"sources failed: {', '.join(failed)}", data=info)
    return Completed(message=f"run {info['run_id']} loaded", data=info)


def _nightly_name() -> str:
    return f"nightly-{_today()}"


@flow(
    name="nightly",
    flow_run_name=_nightly_name,
    task_runner=ThreadPoolTaskRunner(max_workers=2),
    log_prints=True,
)
def nightly(
    sources: list[str] | None = None,
    demo_url: str | None = None,
    sources_file: str | None = None,
    crawl_timeout: float = CRAWL_TIMEOUT,
    polite: bool = True,
    workers: int | None = None,
    crawl_retries: int = 2,
):
    """All enabled sources (or the named ones): crawl, clean, extract, load, publish."""
    chosen = select_sources(sources, demo_url, sources_file)
    get_run_logger().info("nightly over %d sources: %s", len(chosen), [s.name for s in chosen])
    info = run_pipeline(
        "nightly",
        chosen,
        crawl_timeout=crawl_timeout,
        polite=polite,
        workers=workers,
        crawl_retries=crawl_retries,
    )
    # Sites break silently: a source with no new article for days marks the night with a warning.
    return apply_canary(final_state(info), info["published"], [s.name for s in chosen])


def _backfill_name() -> str:
    from prefect.runtime import flow_run

    params = flow_run.parameters
    return f"backfill-{params.get('source')}-{params.get('start')}-{params.get('end') or _today()}"


@flow(name="backfill", flow_run_name=_backfill_name, log_prints=True)
def backfill(
    source: str,
    start: str,
    end: str | None = None,
    demo_url: str | None = None,
    sources_file: str | None = None,
    crawl_timeout: float = CRAWL_TIMEOUT,
    polite: bool = True,
    workers: int | None = None,
):
    """One source over a date range, ignoring what earlier runs saw."""
    (chosen,) = select_sources([source], demo_url, sources_file)
    window = replace(
        chosen, oldest=start, extra=chosen.extra | {"newest": end} if end else chosen.extra
    )
    info = run_pipeline(
        "backfill",
        [window],
        crawl_timeout=crawl_timeout,
        polite=polite,
        workers=workers,
        incremental=False,
    )
    return final_state(info)


@flow(name="reprocess", flow_run_name=lambda: f"reprocess-{_today()}", log_prints=True)
def reprocess(run_ids: list[str] | None = None, workers: int | None = None):
    """Kept raw pages -> articles -> figures -> load again, e.g. after an extractor change."""
    info = reprocess_raw(run_ids, workers)
    return Completed(message=f"reprocessed {info['run_id']}", data=info)


def reprocess_raw(run_ids: list[str] | None, workers: int | None, home: Path | None = None):
    from figures import EXTRACTOR_VERSION

    where = paths(home)
    raw_runs = [p for p in where.raw_runs() if not run_ids or p.name in run_ids]
    run_id = new_run_id("reprocess")
    writer = pipeline.RunWriter(where.run_dir(run_id), run_id, EXTRACTOR_VERSION)
    outcomes: dict[str, pipeline.SourceOutcome] = {}
    # Newest raw pages first, so the latest copy of an article is the one that counts.
    for raw_run in reversed(raw_runs):
        for raw_dir in sorted(p for p in raw_run.iterdir() if p.is_dir()):
            outcome = outcomes.setdefault(raw_dir.name, pipeline.SourceOutcome(raw_dir.name))
            outcome.crawl_status = "kept"
            stats = pipeline.process_source(raw_dir.name, raw_dir, writer, workers)
            outcome.process = _add_stats(outcome.process, stats)
    info = {
        "run_id": run_id,
        "flow": "reprocess",
        "flow_run_id": _flow_run_id(),
        "started_at": pipeline.utc_now(),
        "finished_at": pipeline.utc_now(),
        "extractor_version": EXTRACTOR_VERSION,
        "sources": [],
        "reprocessed": [p.name for p in raw_runs],
        "crawls": {name: o.to_dict() for name, o in outcomes.items()},
    }
    return _load_and_publish(where, writer.run_dir, info, outcomes)


def _add_stats(total: dict[str, Any], more: dict[str, Any]) -> dict[str, Any]:
    if not total:
        return more
    merged = {
        k: total.get(k, 0) + more.get(k, 0) for k in ("pages", "articles", "repeats", "figures")
    }
    rejects = dict(total.get("rejects", {}))
    for reason, count in more.get("rejects", {}).items():
        rejects[reason] = rejects.get(reason, 0) + count
    return merged | {"rejects": rejects}
