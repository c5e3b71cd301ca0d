"""The stages as Prefect tasks: one task per stage and source, never one per article."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from flows import progress
from flows.process import ProcessStats, RunWriter, process_pages, read_manifest
from flows.scale import process_executor
from flows.settings import Paths
from spiders.sources import Source


class CrawlFailed(RuntimeError):
    """A crawl subprocess that failed outright; the task retries it in a fresh subprocess."""


@dataclass(slots=True)
class SourceOutcome:
    """What happened to one source in a run, for the summary and the final state."""

    name: str
    crawl_status: str = "not run"
    pages: int = 0
    crawl_rejects: int = 0
    crawl_seconds: float = 0.0
    process: dict[str, Any] = field(default_factory=dict)
    process_seconds: float = 0.0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "crawl_status": self.crawl_status,
            "pages": self.pages,
            "crawl_rejects": self.crawl_rejects,
            "crawl_seconds": round(self.crawl_seconds, 2),
            "process": self.process,
            "process_seconds": round(self.process_seconds, 2),
            "error": self.error,
        }


@task(
    name="crawl",
    retries=2,
    retry_delay_seconds=[5, 30],
    task_run_name="crawl-{source.name}",
    cache_policy=NONE,
)
def crawl_source(
    source: Source, out_dir: Path, state: dict[str, Any] | None, timeout: float, polite: bool
) -> dict[str, Any]:
    from spiders.crawl import run_crawl

    logger = get_run_logger()
    if out_dir.exists():  # a retry starts from nothing: half a crawl is not a state to resume
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    progress.report("crawl", source.name, 0)
    result = run_crawl(source, out_dir, state, timeout=timeout, polite=polite)
    progress.report("crawl", source.name, result.pages, result.pages)
    logger.info("scrapy stats for %s: %s", source.name, json.dumps(result.stats, default=str))
    if result.status == "failed":
        raise CrawlFailed(f"crawl of {source.name} exited {result.returncode}: {result.log_tail}")
    return {
        "status": result.status,
        "pages": result.pages,
        "rejects": result.rejects,
        "seconds": result.duration,
        "stats": result.stats,
    }


@task(name="process", task_run_name="process-{source_name}", cache_policy=NONE)
def process_source(
    source_name: str, raw_dir: Path, writer: RunWriter, workers: int | None = None
) -> dict[str, Any]:
    """Clean and extract one source's pages; its crawl rejects join the run's rejects."""
    from prefect.artifacts import create_progress_artifact, update_progress_artifact

    stats = ProcessStats()
    writer.add_rejects(read_manifest(raw_dir / "rejects.jsonl"))
    pages = read_manifest(raw_dir / "pages.jsonl")
    if not pages:
        return stats.to_dict()
    artifact = create_progress_artifact(0.0, description=f"processing {source_name}")
    chunk: list[dict[str, Any]] = []
    # The local process pool, or a Dask cluster when the flow runs on one (flows/scale.py).
    with process_executor() as executor:
        results = process_pages(pages, raw_dir, workers, executor=executor)
        for done, result in enumerate(results, start=1):
            chunk.append(result)
            progress.report("process", source_name, done, len(pages))
            if len(chunk) >= 200:
                writer.add_results(chunk, stats)
                chunk = []
                update_progress_artifact(artifact, 100.0 * done / len(pages))
    writer.add_results(chunk, stats)
    update_progress_artifact(artifact, 100.0)
    return stats.to_dict()


@task(name="load", retries=2, retry_delay_seconds=[5, 30], cache_policy=NONE)
def load_run(private_db: Path, run_dir: Path) -> dict[str, Any]:
    from warehouse import load_run as load
    from warehouse.lake import configured_lake, load_lake_run

    lake = configured_lake()
    if lake is not None:  # the warehouse is a DuckLake: several writers may load at once
        return load_lake_run(lake, run_dir).to_dict()
    stats = load(private_db, run_dir)
    return stats.to_dict() if hasattr(stats, "to_dict") else dict(vars(stats))


@task(name="publish", cache_policy=NONE)
def publish(private_db: Path, published_db: Path) -> str:
    from warehouse import publish as publish_copy
    from warehouse.lake import configured_lake

    if configured_lake() is not None:  # readers attach the lake itself: no copy to publish
        return "ducklake"

    return str(publish_copy(private_db, published_db))


def crawl_state(paths: Paths, source: str) -> dict[str, Any] | None:
    """The source's state from earlier runs, as the warehouse remembers it."""
    from warehouse.lake import configured_lake, lake_crawl_state

    if (lake := configured_lake()) is not None:
        return lake_crawl_state(lake, source)
    if not paths.private_db.exists():
        return None
    from warehouse import crawl_state as read_state

    return read_state(paths.private_db, source)


def copy_crawl_state(raw_dir: Path, run_dir: Path, source: str) -> None:
    state = raw_dir / "state.json"
    if state.exists():
        (run_dir / "state").mkdir(exist_ok=True)
        shutil.copyfile(state, run_dir / "state" / f"{source}.json")


def write_run_json(run_dir: Path, info: dict[str, Any]) -> None:
    (run_dir / "run.json").write_text(json.dumps(info, indent=2, default=str), encoding="utf-8")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.monotonic()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.start
