"""Cleaning many pages: batches in a pool of processes, a time limit per document.

trafilatura is not thread-safe (concurrent extract() calls can segfault), so parallelism is one
process per worker. Each worker runs its documents on its own main thread, where SIGALRM can
interrupt a pathological page; a page that hangs inside C code (where a signal cannot land)
is caught by a second, per-batch limit in the parent, which kills the pool and retries the
batch one document at a time. trafilatura's caches are reset after every batch so memory
stays flat over long runs.
"""

from __future__ import annotations

import gzip
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from articles.clean import clean_page, reject
from articles.records import Article
from spiders.records import RawPage, Reject

DEFAULT_TIMEOUT = 20.0  # seconds per document: real pages take 10-100 ms
# Extra seconds the parent grants a batch beyond its documents' limits (process start-up,
# imports) before it concludes a worker is stuck where SIGALRM cannot reach.
HARD_LIMIT_MARGIN = 30.0
STARTUP_LIMIT = 300.0  # seconds for a fresh pool's workers to start and import

Result = Article | Reject


class DocumentTimeout(BaseException):
    """Raised by SIGALRM inside a document's cleaning.

    A BaseException, not an Exception: trafilatura and lxml code catch `Exception` broadly and
    would swallow the timeout.
    """


def _on_alarm(signum, frame):
    raise DocumentTimeout


@contextmanager
def _alarm(seconds: float):
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def timeout_reject(url: str, seconds: float, meta: dict | None = None) -> Reject:
    return reject(
        url,
        "timeout",
        f"cleaning took longer than {seconds:g} s and was stopped; the page may be "
        "pathologically large or deeply nested",
        meta,
    )


def error_reject(url: str, error: Exception, meta: dict | None = None) -> Reject:
    return reject(
        url,
        "error",
        f"cleaning failed with {type(error).__name__}: {error}; keep the raw page and report "
        "it: a bug in the clean stage or a page shape it does not know",
        meta,
    )


def clean_page_limited(
    body: bytes, *, url: str, timeout: float = DEFAULT_TIMEOUT, **kwargs: Any
) -> Result:
    """`clean_page` with a time limit, for one document in this process.

    On the main thread the limit is SIGALRM; elsewhere (a thread-pool task runner) signals
    cannot be delivered, so the page is cleaned in a one-off worker process instead.
    """
    if _can_alarm():
        meta = _listing_meta(kwargs.get("listing"))
        try:
            with _alarm(timeout):
                return clean_page(body, url=url, **kwargs)
        except DocumentTimeout:
            return timeout_reject(url, timeout, meta)
        except Exception as error:  # one page's surprise must not stop a run
            return error_reject(url, error, meta)
    task = {"id": url, "body": body, "url": url, **_task_options(kwargs)}
    return next(iter(clean_pages([task], workers=1, timeout=timeout)))[1]


def _task_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    listing = kwargs.get("listing")
    return {
        "kind": kwargs.get("kind", "html"),
        "content_type": kwargs.get("content_type"),
        "listing": _listing_meta(listing),
        "now": kwargs.get("now"),
    }


def _listing_meta(listing: RawPage | dict | None) -> dict[str, Any]:
    if listing is None:
        return {}
    return listing.to_dict() if isinstance(listing, RawPage) else dict(listing)


# --- worker side -----------------------------------------------------------------------------


def read_body(path: str | Path) -> bytes:
    """A raw page's bytes; gzip-compressed files (by name or magic number) are decompressed."""
    data = Path(path).read_bytes()
    if str(path).endswith(".gz") or data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    return data


def _clean_task(task: dict[str, Any], timeout: float) -> Result:
    listing = task.get("listing") or {}
    url = task.get("url") or listing.get("url") or Path(task.get("path") or "page").as_uri()
    try:
        body = task["body"] if task.get("body") is not None else read_body(task["path"])
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        return reject(url, "unreadable", f"could not read the raw page: {error}", listing)
    try:
        with _alarm(timeout):
            return clean_page(
                body,
                url=url,
                kind=task.get("kind") or "html",
                content_type=task.get("content_type"),
                listing=listing,
                now=task.get("now"),
            )
    except DocumentTimeout:
        return timeout_reject(url, timeout, listing)
    except Exception as error:  # one page's surprise must not cost the rest of the batch
        return error_reject(url, error, listing)


def reset_caches() -> None:
    """Empty trafilatura's (and htmldate's, courlan's) caches: memory stays flat over runs."""
    from trafilatura.meta import reset_caches as reset_trafilatura

    # htmldate 1.9 logs an ERROR for one cache it cannot clear with this trafilatura: noise.
    logging.getLogger("htmldate.meta").setLevel(logging.CRITICAL)
    reset_trafilatura()


def clean_batch(tasks: list[dict[str, Any]], timeout: float) -> list[tuple[str, Result]]:
    """Worker entry point: clean a batch, then reset trafilatura's caches."""
    try:
        return [(task["id"], _clean_task(task, timeout)) for task in tasks]
    finally:
        reset_caches()


def _warm_up() -> None:
    import articles.clean  # noqa: F401  (the heavy imports: trafilatura, lxml, htmldate)


# --- parent side -----------------------------------------------------------------------------


def _task(page: RawPage | dict[str, Any], base_dir: Path | None, now: datetime | None) -> dict:
    data = page.to_dict() if isinstance(page, RawPage) else dict(page)
    path = data.get("path")
    if path and base_dir is not None and not Path(path).is_absolute():
        path = str(base_dir / path)
    listing = {k: v for k, v in data.items() if k != "body"}
    listing["path"] = data.get("path")
    return {
        "id": str(data.get("id") or path or data.get("url")),
        "path": path,
        "body": data.get("body"),
        "url": data.get("url"),
        "kind": data.get("kind") or "html",
        "content_type": data.get("content_type"),
        "listing": listing,
        "now": now,
    }


def _batches(tasks: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for task in tasks:
        batch.append(task)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Pool:
    """A ProcessPoolExecutor that can be killed and replaced when a worker is stuck."""

    def __init__(self, workers: int):
        self.workers = workers
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        # spawn: forking a process that runs threads (Prefect, HTTP servers) can deadlock.
        executor = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn")
        )
        # Start the workers and import trafilatura before any batch is timed, so the hard
        # limit measures cleaning, not process start-up on a busy machine.
        for ready in [executor.submit(_warm_up) for _ in range(self.workers)]:
            ready.result(timeout=STARTUP_LIMIT)
        return executor

    def submit(self, batch: list[dict], timeout: float) -> Future:
        return self.executor.submit(clean_batch, batch, timeout)

    def restart(self) -> None:
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        for process in processes:
            process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def clean_pages(
    pages: Iterable[RawPage | dict[str, Any]],
    workers: int | None = None,
    batch_size: int = 64,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    base_dir: str | Path | None = None,
    now: datetime | None = None,
) -> Iterator[tuple[str, Result]]:
    """Clean pages in a process pool; yield (id, Article or Reject) in input order.

    Each page is a `RawPage` or a dict with `path` (readable; relative paths are resolved
    against `base_dir`, e.g. the crawl folder holding pages.jsonl) or `body` (bytes), and
    optionally `id`, `url`, `kind`, `content_type` and the listing's metadata.
    """
    workers = max(1, workers or os.cpu_count() or 1)
    base = Path(base_dir) if base_dir is not None else None
    batches = _batches((_task(p, base, now) for p in pages), max(1, batch_size))
    pool = _Pool(workers)
    pending: deque[tuple[list[dict], Future]] = deque()
    try:
        while True:
            while len(pending) < 2 * workers:
                batch = next(batches, None)
                if batch is None:
                    break
                pending.append((batch, pool.submit(batch, timeout)))
            if not pending:
                return
            batch, future = pending.popleft()
            yield from _collect(pool, batch, future, pending, timeout)
    finally:
        pool.close()


def _collect(
    pool: _Pool,
    batch: list[dict],
    future: Future,
    pending: deque[tuple[list[dict], Future]],
    timeout: float,
) -> Iterator[tuple[str, Result]]:
    limit = timeout * len(batch) + HARD_LIMIT_MARGIN
    try:
        yield from future.result(timeout=limit)
        return
    except (FutureTimeout, BrokenProcessPool):
        pass
    # A worker is stuck beyond SIGALRM's reach, or died: start over with a fresh pool, this
    # batch one document at a time (so one bad page costs only itself), the others as they were.
    pool.restart()
    for index, (other, _) in enumerate(pending):
        pending[index] = (other, pool.submit(other, timeout))
    for task in batch:
        single = pool.submit([task], timeout)
        try:
            yield from single.result(timeout=timeout + HARD_LIMIT_MARGIN)
            continue
        except FutureTimeout:
            result = timeout_reject(task["url"] or task["id"], timeout, task["listing"])
        except BrokenProcessPool:
            result = reject(
                task["url"] or task["id"],
                "crashed",
                "the worker process died while cleaning this page (a crash in a C library)",
                task["listing"],
            )
        pool.restart()
        for index, (other, _) in enumerate(pending):
            pending[index] = (other, pool.submit(other, timeout))
        yield task["id"], result
