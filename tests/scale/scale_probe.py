"""Functions the Dask tests send to workers: a module of its own, light to import in a child."""

from __future__ import annotations

import os
import threading


def pid() -> int:
    return os.getpid()


def where_batch_ran(pages: list[dict], base: str) -> tuple[int, int, bool]:
    """(the Dask worker's pid, this process's pid, on the main thread) after a real batch."""
    from flows.process import process_batch

    results = process_batch(pages, base)
    if not all("article" in r for r in results):
        raise AssertionError(f"a demo page was rejected: {results}")
    return os.getppid(), os.getpid(), threading.current_thread() is threading.main_thread()
