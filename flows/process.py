"""The process stage: raw pages -> articles -> figures, in a pool of processes over batches.

trafilatura is not thread-safe and a pathological page must not stall a run, so every batch
runs in a worker process; the flow sees one task per source, never one per article.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BATCH_SIZE = 32
# Batches queued per worker beyond the one it runs: enough that none waits for the next.
IN_FLIGHT_PER_WORKER = 3


@dataclass(slots=True)
class ProcessStats:
    pages: int = 0
    articles: int = 0
    repeats: int = 0  # the same article already processed in this run, from another source
    figures: int = 0
    rejects: dict[str, int] = field(default_factory=dict)

    def count_reject(self, reason: str) -> None:
        self.rejects[reason] = self.rejects.get(reason, 0) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "articles": self.articles,
            "repeats": self.repeats,
            "figures": self.figures,
            "rejects": dict(sorted(self.rejects.items())),
        }


def read_manifest(manifest: Path) -> list[dict[str, Any]]:
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _published_day(published: str | None) -> str | None:
    return published[:10] if published else None


def process_page(page: dict[str, Any], base: Path) -> dict[str, Any]:
    """One raw page through clean and extract; always returns a result, never raises."""
    from articles.pool import clean_page_limited, read_body
    from figures import extract
    from spiders.records import RawPage, Reject

    raw = RawPage.from_dict(page)
    body_path = base / raw.path
    try:
        body = read_body(body_path)
    except OSError as error:
        reject = Reject(raw.url, "clean", "raw_missing", f"cannot read {body_path}: {error}")
        return {"id": raw.id, "reject": reject.to_dict() | {"source": raw.source}}
    result = clean_page_limited(
        body, url=raw.url, kind=raw.kind, content_type=raw.content_type, listing=raw
    )
    if isinstance(result, Reject):
        result.source = result.source or raw.source
        result.raw_path = result.raw_path or str(body_path)
        return {"id": raw.id, "reject": result.to_dict()}
    result.source = raw.source
    result.raw_path = str(body_path)
    try:
        found = extract(result.text, published=_published_day(result.published), title=result.title)
    except Exception as error:  # a bug in one rule must not lose the article
        reject = Reject(raw.url, "extract", "extractor_error", f"{type(error).__name__}: {error}")
        reject.source, reject.raw_path = raw.source, str(body_path)
        return {
            "id": raw.id,
            "article": result.to_dict(),
            "figures": [],
            "reject": reject.to_dict(),
        }
    return {"id": raw.id, "article": result.to_dict(), "figures": [f.to_dict() for f in found]}


def process_batch(pages: list[dict[str, Any]], base: str) -> list[dict[str, Any]]:
    results = [process_page(page, Path(base)) for page in pages]
    _reset_caches()
    return results


def _reset_caches() -> None:
    # trafilatura's caches grow with every document; memory must stay flat over a backfill.
    # htmldate logs an ERROR for one cache it cannot clear in this version pairing: noise.
    logging.getLogger("htmldate.meta").setLevel(logging.CRITICAL)
    try:
        from trafilatura.meta import reset_caches
    except ImportError:  # pragma: no cover - older trafilatura
        return
    reset_caches()


def batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def worker_count(requested: int | None = None) -> int:
    return max(1, requested or os.cpu_count() or 1)


def process_pages(
    pages: list[dict[str, Any]], base: Path, workers: int | None = None, executor=None
) -> Iterator[dict[str, Any]]:
    """Results in input order. `executor` lets a caller share one pool across sources."""
    if not pages:
        return
    if executor is not None:
        yield from _in_order(executor, pages, base, ahead=IN_FLIGHT_PER_WORKER * _slots(executor))
        return
    count = worker_count(workers)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        yield from _in_order(pool, pages, base, ahead=IN_FLIGHT_PER_WORKER * count)


def _slots(executor) -> int:
    """How many batches `executor` runs at once (a Dask executor says; a process pool keeps it
    private); this machine's cores when it does not tell."""
    declared = getattr(executor, "max_workers", None) or getattr(executor, "_max_workers", None)
    return declared or worker_count()


def _in_order(
    executor, pages: list[dict[str, Any]], base: Path, ahead: int
) -> Iterator[dict[str, Any]]:
    """Every page's result in input order, with at most `ahead` batches submitted and unread.

    `Executor.map` would submit every batch at once and hold each finished one until its turn:
    memory growing with the run. Keeping a few batches per worker queued keeps them all busy.
    """
    pending: deque[Future] = deque()
    for chunk in batches(pages, BATCH_SIZE):
        pending.append(executor.submit(process_batch, chunk, str(base)))
        if len(pending) >= ahead:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


class RunWriter:
    """Appends a run's processed output to `runs/<run_id>/` in the loader's format."""

    def __init__(self, run_dir: Path, run_id: str, extractor_version: str) -> None:
        self.run_dir = run_dir
        self.run_id = run_id
        self.extractor_version = extractor_version
        self.seen: set[str] = set()
        run_dir.mkdir(parents=True, exist_ok=True)
        for name in ("articles.jsonl", "figures.jsonl", "rejects.jsonl"):
            (run_dir / name).touch()

    def _append(self, name: str, rows: Iterable[dict[str, Any]]) -> None:
        with (self.run_dir / name).open("a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

    def add_rejects(self, rejects: Iterable[dict[str, Any]]) -> None:
        self._append("rejects.jsonl", (r | {"run_id": self.run_id} for r in rejects))

    def add_results(self, results: Iterable[dict[str, Any]], stats: ProcessStats) -> None:
        articles, figures, rejects = [], [], []
        for result in results:
            stats.pages += 1
            if reject := result.get("reject"):
                stats.count_reject(reject["reason"])
                rejects.append(reject)
            article = result.get("article")
            if article is None:
                continue
            articles.append(article | {"run_id": self.run_id})
            if article["article_id"] in self.seen:
                stats.repeats += 1  # its figures were taken from the first source that had it
                continue
            self.seen.add(article["article_id"])
            stats.articles += 1
            for ordinal, figure in enumerate(result.get("figures", [])):
                figures.append(
                    figure
                    | {
                        "article_id": article["article_id"],
                        "ordinal": ordinal,
                        "extractor_version": self.extractor_version,
                    }
                )
            stats.figures += len(result.get("figures", []))
        self._append("articles.jsonl", articles)
        self._append("figures.jsonl", figures)
        self.add_rejects(rejects)
