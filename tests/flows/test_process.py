"""The run's processed output: what the loader reads."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from flows.process import (
    BATCH_SIZE,
    IN_FLIGHT_PER_WORKER,
    ProcessStats,
    RunWriter,
    batches,
    process_pages,
)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _article(article_id: str, source: str) -> dict:
    return {"article_id": article_id, "source": source, "title": "t", "text": "x"}


def test_an_article_met_through_two_sources_has_its_figures_counted_once(tmp_path):
    writer = RunWriter(tmp_path / "run", "r1", "v1")
    figure = {"value": 5.0, "unit": "count", "surface": "5 phones"}
    stats = ProcessStats()
    writer.add_results(
        [{"id": "p1", "article": _article("a1", "wp"), "figures": [figure, figure]}], stats
    )
    writer.add_results(
        [{"id": "p2", "article": _article("a1", "feed"), "figures": [figure]}], stats
    )

    articles = _lines(tmp_path / "run" / "articles.jsonl")
    figures = _lines(tmp_path / "run" / "figures.jsonl")
    assert [a["source"] for a in articles] == ["wp", "feed"]
    assert [(f["article_id"], f["ordinal"], f["extractor_version"]) for f in figures] == [
        ("a1", 0, "v1"),
        ("a1", 1, "v1"),
    ]
    assert stats.to_dict() == {"pages": 2, "articles": 1, "repeats": 1, "figures": 2, "rejects": {}}


def test_rejects_keep_their_reason_and_carry_the_run(tmp_path):
    writer = RunWriter(tmp_path / "run", "r1", "v1")
    stats = ProcessStats()
    reject = {"url": "u", "stage": "clean", "reason": "too_short", "detail": "12 words"}
    writer.add_results([{"id": "p", "reject": reject}], stats)
    (row,) = _lines(tmp_path / "run" / "rejects.jsonl")
    assert row["reason"] == "too_short" and row["run_id"] == "r1"
    assert stats.rejects == {"too_short": 1}


def test_an_empty_run_still_leaves_the_three_files(tmp_path):
    RunWriter(tmp_path / "run", "r1", "v1")
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == [
        "articles.jsonl",
        "figures.jsonl",
        "rejects.jsonl",
    ]


def test_batches_cover_every_item_in_order():
    items = [{"i": i} for i in range(70)]
    chunks = list(batches(items, 32))
    assert [len(c) for c in chunks] == [32, 32, 6]
    assert [x for c in chunks for x in c] == items


class CountingPool(ThreadPoolExecutor):
    """A real one-thread pool that counts the batches handed to it."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_the_stage_keeps_only_a_few_batches_in_flight_and_yields_every_page_in_order(tmp_path):
    # Raw bodies that are not on disk: each page becomes a quick `raw_missing` reject.
    pages = [
        {"id": f"p{i}", "source": "s", "url": f"http://127.0.0.1/{i}", "kind": "html",
         "path": f"missing/{i}.html.gz"}
        for i in range(20 * BATCH_SIZE)
    ]  # fmt: skip
    with CountingPool() as pool:
        results = process_pages(pages, tmp_path, executor=pool)
        first = next(results)
        in_flight_at_first_result = pool.submitted
        rest = list(results)
    assert in_flight_at_first_result == IN_FLIGHT_PER_WORKER
    assert pool.submitted == 20
    assert [r["id"] for r in [first, *rest]] == [p["id"] for p in pages]
    assert {r["reject"]["reason"] for r in rest} == {"raw_missing"}
