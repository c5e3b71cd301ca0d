"""Functions the scale tests run in other processes (Dask workers, concurrent loaders and
readers): a module of its own, light to import in a child."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def pid() -> int:
    return os.getpid()


def where_batch_ran(pages: list[dict], base: str) -> tuple[int, int, bool]:
    """(the Dask worker's pid, this process's pid, on the main thread) after a real batch."""
    from flows.process import process_batch

    results = process_batch(pages, base)
    if not all("article" in r for r in results):
        raise AssertionError(f"a demo page was rejected: {results}")
    return os.getppid(), os.getpid(), threading.current_thread() is threading.main_thread()


def load_into_lake(catalog: str, data_path: str, run_dir: str, start) -> dict:
    """Wait for the start signal, then load one run folder into the lake (another process)."""
    from warehouse.lake import Lake, load_lake_run

    start.wait(timeout=60)
    return load_lake_run(Lake(catalog, data_path), Path(run_dir)).to_dict()


def read_lake_while_others_read(catalog: str, data_path: str, together) -> tuple[int, int]:
    """Attach the lake READ_ONLY, wait until every reader has it attached, then count."""
    from warehouse.lake import Lake, connect_lake

    con = connect_lake(Lake(catalog, data_path), read_only=True, retries=0)
    try:
        together.wait(timeout=60)  # every reader holds the catalog at this point
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        figures = con.execute("SELECT count(*) FROM figures").fetchone()[0]
        together.wait(timeout=60)
    finally:
        con.close()
    return articles, figures
