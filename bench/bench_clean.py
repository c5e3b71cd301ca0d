"""Benchmark of the clean stage on the article-extraction benchmark's 181 real pages.

Compares `articles.clean_pages` (the stage as it runs: decode, trafilatura, metadata, gates,
identity; in a process pool) with `trafilatura.bare_extraction(with_metadata=True)` alone, for
speed (pages per second) and body quality (F1 on word 4-gram shingles, as the benchmark's own
evaluate.py scores it; a rejected page counts as an empty text).

    python -m bench.bench_clean              # speed + quality
    python -m bench.bench_clean --memory 10000   # also: RSS over 10,000 documents in one process

Needs ../shared/corpora/article_html (skips with a message when absent).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import trafilatura

from articles import Article, clean_page
from articles.pool import clean_pages, reset_caches
from articles.quality import corpus_scores, page_counts

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "article_html"


def load_corpus() -> tuple[dict[str, dict], list[str], dict[str, bytes]]:
    truth = json.loads((CORPUS / "ground-truth.json").read_text())
    english = (CORPUS / "english_ids.txt").read_text().split()
    bodies = {i: gzip.decompress((CORPUS / "html" / f"{i}.html.gz").read_bytes()) for i in truth}
    return truth, english, bodies


def scores(truth: dict[str, dict], texts: dict[str, str], ids: list[str]) -> dict[str, float]:
    return corpus_scores(page_counts(truth[i]["articleBody"], texts.get(i, "")) for i in ids)


def baseline(bodies: dict[str, bytes], truth: dict[str, dict]) -> tuple[float, dict[str, str]]:
    """trafilatura's bare_extraction with metadata, its defaults otherwise, one core."""
    texts = {}
    start = time.perf_counter()
    for page_id, body in bodies.items():
        doc = trafilatura.bare_extraction(body, url=truth[page_id]["url"], with_metadata=True)
        texts[page_id] = doc.text if doc is not None and doc.text else ""
    elapsed = time.perf_counter() - start
    reset_caches()
    return len(bodies) / elapsed, texts


def in_process(bodies: dict[str, bytes], truth: dict[str, dict]) -> tuple[float, dict[str, Any]]:
    """clean_page in a loop in this process, one core: the stage's own cost per page."""
    results = {}
    start = time.perf_counter()
    for page_id, body in bodies.items():
        results[page_id] = clean_page(body, url=truth[page_id]["url"])
    elapsed = time.perf_counter() - start
    reset_caches()
    return len(bodies) / elapsed, results


def pooled(truth: dict[str, dict], workers: int) -> tuple[float, dict[str, Any]]:
    """clean_pages over the gzip files, as the pipeline runs it (process start-up included)."""
    pages = [
        {"id": i, "path": str(CORPUS / "html" / f"{i}.html.gz"), "url": truth[i]["url"]}
        for i in truth
    ]
    start = time.perf_counter()
    results = dict(clean_pages(pages, workers=workers, batch_size=16))
    elapsed = time.perf_counter() - start
    return len(pages) / elapsed, results


def texts_of(results: dict[str, Any]) -> dict[str, str]:
    return {i: r.text if isinstance(r, Article) else "" for i, r in results.items()}


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_profile(bodies: dict[str, bytes], truth: dict[str, dict], documents: int) -> dict:
    """RSS after every 1,000 documents of clean_page in one process, caches reset per 64."""
    ids = list(bodies)
    samples = []
    for n in range(documents):
        page_id = ids[n % len(ids)]
        clean_page(bodies[page_id], url=truth[page_id]["url"])
        if (n + 1) % 64 == 0:
            reset_caches()
        if (n + 1) % 1000 == 0:
            gc.collect()
            samples.append((n + 1, round(current_rss_mb(), 1)))
            print(f"  {n + 1:>6} documents: RSS {samples[-1][1]} MB", file=sys.stderr)
    first, last = samples[0][1], samples[-1][1]
    return {"documents": documents, "rss_mb": samples, "growth_mb": round(last - first, 1)}


def run(memory_documents: int = 0) -> dict:
    """Measure speed and quality; returns the numbers the lead's report collects."""
    if not CORPUS.exists():
        return {"stage": "clean", "skipped": f"{CORPUS} is not available"}
    truth, english, bodies = load_corpus()
    clean_page(bodies[english[0]], url=truth[english[0]]["url"])  # warm imports and caches
    baseline_rate, baseline_texts = baseline(bodies, truth)
    single_rate, single_results = in_process(bodies, truth)
    rate_1, _ = pooled(truth, workers=1)
    rate_2, pooled_results = pooled(truth, workers=2)
    ours = texts_of(pooled_results)
    accepted = [i for i in english if isinstance(pooled_results[i], Article)]
    rejects: dict[str, int] = {}
    for result in pooled_results.values():
        if not isinstance(result, Article):
            rejects[result.reason] = rejects.get(result.reason, 0) + 1
    assert texts_of(single_results) == ours, "pool and in-process results differ"
    quality = scores(truth, ours, english)
    report = {
        "stage": "clean",
        "pages": len(bodies),
        # Like for like: the stage on one worker process against bare_extraction on one core.
        "rate": round(rate_1, 1),
        "baseline": "trafilatura.bare_extraction(with_metadata=True), one core",
        "baseline_rate": round(baseline_rate, 1),
        "ratio": round(rate_1 / baseline_rate, 2),
        "rate_in_process": round(single_rate, 1),
        "ratio_in_process": round(single_rate / baseline_rate, 2),
        "rate_2_workers": round(rate_2, 1),
        "speedup_2_workers": round(rate_2 / rate_1, 2),
        "cores": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
        "f1": round(quality["f1"], 3),
        "baseline_f1": round(scores(truth, baseline_texts, english)["f1"], 3),
        "quality_english_160": _rounded(quality),
        "quality_all_181": _rounded(scores(truth, ours, list(truth))),
        "quality_accepted_only": _rounded(scores(truth, ours, accepted)),
        "baseline_quality_english_160": _rounded(scores(truth, baseline_texts, english)),
        "baseline_quality_all_181": _rounded(scores(truth, baseline_texts, list(truth))),
        "rejects": rejects,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "goals": [
            {"key": "ratio_in_process", "op": ">=", "limit": 0.7,
             "label": "clean costs at most ~1.4x bare_extraction per page"},
            {"key": "f1", "op": ">=", "limit": 0.93,
             "label": "body F1 >= 0.93 on the 160 English pages"},
        ],
    }  # fmt: skip
    if memory_documents:
        report["memory"] = memory_profile(bodies, truth, memory_documents)
    return report


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in values.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_clean", description=__doc__)
    parser.add_argument(
        "--memory", type=int, default=0, metavar="N", help="also profile RSS over N documents"
    )
    args = parser.parse_args(argv)
    print(json.dumps(run(args.memory), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
