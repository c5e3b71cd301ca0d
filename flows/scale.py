"""Beyond one machine: the process stage on a Dask cluster, unchanged.

The process stage's unit of work, `flows.process.process_batch(pages, base)`, is a picklable
function of files, so any `concurrent.futures.Executor` can run it, and
`process_pages(..., executor=...)` already takes one. This module supplies the Dask ones:

- `dask_executor(client)`: an Executor over a `distributed.Client` (a LocalCluster, or a
  scheduler on another machine); every worker must see the raw folder at the same path
  (a shared file system), as every pool worker does on one machine. Each call runs in a
  process of the Dask worker's own, on its main thread: the clean stage's per-page time limit
  is a SIGALRM there, and Dask runs tasks on threads, where it would start a process per page.
  So Dask workers must not be daemonic (`distributed.worker.daemon: false`, or
  `DASK_DISTRIBUTED__WORKER__DAEMON=False` for `dask worker`), as `allow_worker_children()`
  sets for clusters started here.
- `process_executor()`: the executor the process stage should use *by configuration*: the
  cluster of the Dask worker the task is running on (a flow with a `DaskTaskRunner`), else the
  scheduler named by `NEWSFIGURES_DASK_ADDRESS`, else None (the local process pool).
- `dask_task_runner(address=None)`: a prefect-dask `DaskTaskRunner`: on `address` (an
  existing scheduler), or a temporary LocalCluster of single-threaded worker processes
  (trafilatura is not thread-safe).
- `process_raw_dir`: the process stage as a task for such a flow; it runs on a Dask worker
  and fans its batches out over the whole cluster.

Nothing in `flows/process.py` changes; `flows/pipeline.process_source` needs one line to pick
the configured executor (see docs/scaling.md, "The hook").
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NONE

from flows.process import ProcessStats, RunWriter, process_pages, read_manifest

DASK_ADDRESS_ENV = "NEWSFIGURES_DASK_ADDRESS"


class DaskExecutor(Executor):
    """A concurrent.futures Executor whose calls run on the Dask cluster behind a client,
    each in the worker's own single child process (see `run_in_worker_process`)."""

    def __init__(self, client) -> None:
        # pure=False: a batch is work to do, not a value to deduplicate by hashing its pages.
        self._inner = client.get_executor(pure=False)
        # Threads across the cluster: how many batches it runs at once (process_pages keeps
        # a few more than that queued).
        self.max_workers = sum(client.nthreads().values()) or 1

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        return self._inner.submit(run_in_worker_process, fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait)


def dask_executor(client) -> Executor:
    """The process stage's Executor on the Dask cluster behind `client`."""
    return DaskExecutor(client)


_worker_pool: ProcessPoolExecutor | None = None
_worker_pool_lock = threading.Lock()


def run_in_worker_process(fn: Callable, /, *args: Any, **kwargs: Any) -> Any:
    """Run `fn` on the main thread of this Dask worker's child process (started once).

    A child that dies (a pathological page can kill it) is replaced at the next call; the
    failed call raises, and Dask reports it like any task error.
    """
    global _worker_pool
    with _worker_pool_lock:
        if _worker_pool is None:
            context = multiprocessing.get_context("spawn")
            _worker_pool = ProcessPoolExecutor(1, mp_context=context)
        pool = _worker_pool
    try:
        return pool.submit(fn, *args, **kwargs).result()
    except BrokenProcessPool:
        with _worker_pool_lock:
            if _worker_pool is pool:
                _worker_pool = None
        raise


def allow_worker_children() -> None:
    """Let the worker processes of clusters started from this process start a child."""
    import dask

    dask.config.set({"distributed.worker.daemon": False})


def running_on_dask_worker() -> bool:
    try:
        from distributed import get_worker
    except ImportError:  # pragma: no cover - distributed not installed
        return False
    try:
        get_worker()
    except ValueError:
        return False
    return True


@contextmanager
def process_executor() -> Iterator[Executor | None]:
    """The process stage's executor by configuration; None means the local process pool.

    On a Dask worker (a task of a flow with a DaskTaskRunner), the batches go to the same
    cluster through `worker_client()`, which secedes the waiting task from the worker's thread
    pool: with one thread per worker, the task would otherwise hold a slot its batches need.
    A Dask worker process is daemonic and may not start a process pool of its own anyway.
    """
    if running_on_dask_worker():
        from distributed import worker_client

        with worker_client() as client:
            yield dask_executor(client)
        return
    address = os.environ.get(DASK_ADDRESS_ENV, "").strip()
    if address:
        from distributed import Client

        with Client(address) as client:
            yield dask_executor(client)
        return
    yield None


def local_cluster_kwargs(n_workers: int = 2) -> dict[str, Any]:
    """A LocalCluster of single-threaded worker processes (trafilatura is not thread-safe)."""
    return {
        "n_workers": n_workers,
        "processes": True,
        "threads_per_worker": 1,
        "dashboard_address": None,  # no web UI port for a throw-away cluster
    }


def dask_task_runner(address: str | None = None, n_workers: int = 2):
    """A DaskTaskRunner on an existing scheduler, or on a temporary LocalCluster."""
    from prefect_dask import DaskTaskRunner

    allow_worker_children()
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster", cluster_kwargs=local_cluster_kwargs(n_workers)
    )


@task(name="process-on-dask", task_run_name="process-{source_name}", cache_policy=NONE)
def process_raw_dir(source_name: str, raw_dir: Path, writer: RunWriter) -> dict[str, Any]:
    """Clean and extract one source's raw pages where the task runs, batches on the cluster.

    The same stage as `flows.pipeline.process_source`, but with the executor chosen by
    `process_executor()`; the run folder must be on storage the task's machine can write.
    """
    stats = ProcessStats()
    writer.add_rejects(read_manifest(raw_dir / "rejects.jsonl"))
    pages = read_manifest(raw_dir / "pages.jsonl")
    chunk: list[dict[str, Any]] = []
    with process_executor() as executor:
        for result in process_pages(pages, raw_dir, executor=executor):
            chunk.append(result)
            if len(chunk) >= 200:
                writer.add_results(chunk, stats)
                chunk = []
    writer.add_results(chunk, stats)
    return stats.to_dict()


# --- spiders sharded by source over work-pool workers ---------------------------------------


def shard_of(source: str, shards: int) -> int:
    """The shard a source belongs to: a stable hash of its name, so adding a source or a
    machine moves no other source's crawl state between shards needlessly."""
    return zlib.crc32(source.encode("utf-8")) % shards


def shard_sources(names: list[str], shards: int) -> dict[str, list[str]]:
    """`shard-<i>` -> the source names it crawls (every name in exactly one shard)."""
    if shards < 1:
        raise ValueError(f"shards must be at least 1, not {shards}")
    plan: dict[str, list[str]] = {f"shard-{i}": [] for i in range(shards)}
    for name in sorted(names):
        plan[f"shard-{shard_of(name, shards)}"].append(name)
    return plan


def shard_deployments(
    names: list[str], shards: int, pool: str = "newsfigures"
) -> list[dict[str, Any]]:
    """prefect.yaml deployments: one nightly per shard, on a work queue of its own, so a
    worker per machine (`prefect worker start --pool <pool> --work-queue shard-<i>`) crawls,
    processes and loads only its shard's sources."""
    return [
        {
            "name": f"nightly-{shard}",
            "entrypoint": "flows/nightly.py:nightly",
            "parameters": {"sources": sources},
            "concurrency_limit": {"limit": 1, "collision_strategy": "CANCEL_NEW"},
            "work_pool": {"name": pool, "work_queue_name": shard, "job_variables": {}},
        }
        for shard, sources in shard_sources(names, shards).items()
        if sources
    ]


def deploy_shards(
    names: list[str], shards: int, pool: str = "newsfigures", source_dir: Path | None = None
) -> list[str]:
    """Create the shard deployments on the Prefect server (PREFECT_API_URL); their ids."""
    from prefect import flow as prefect_flow
    from prefect.client.schemas.objects import ConcurrencyLimitConfig

    from flows.settings import repo_root

    nightly = prefect_flow.from_source(
        source=str(source_dir or repo_root()), entrypoint="flows/nightly.py:nightly"
    )
    ids = []
    for spec in shard_deployments(names, shards, pool):
        deployment_id = nightly.deploy(
            name=spec["name"],
            work_pool_name=pool,
            work_queue_name=spec["work_pool"]["work_queue_name"],
            parameters=spec["parameters"],
            concurrency_limit=ConcurrencyLimitConfig(**spec["concurrency_limit"]),
            print_next_steps=False,
        )
        ids.append(str(deployment_id))
    return ids


def main(argv: list[str] | None = None) -> int:
    """`python -m flows.scale shards N`: the shard deployments for prefect.yaml, as YAML."""
    import argparse

    import yaml

    from spiders.sources import load_sources

    parser = argparse.ArgumentParser(prog="python -m flows.scale")
    sub = parser.add_subparsers(dest="command", required=True)
    shards = sub.add_parser("shards", help="print one nightly deployment per shard of sources")
    shards.add_argument("count", type=int)
    shards.add_argument("--pool", default="newsfigures")
    shards.add_argument("--sources-file", type=Path, default=None)
    shards.add_argument("--all", action="store_true", help="also the sources not enabled")
    args = parser.parse_args(argv)
    every = load_sources(args.sources_file)
    names = [s.name for s in every if (s.enabled or args.all) and not s.demo]
    specs = shard_deployments(names, args.count, args.pool)
    print(yaml.safe_dump({"deployments": specs}, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
