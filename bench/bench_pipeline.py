"""End to end: a backfill of the demo site through crawl, clean, extract, load and publish.

The demo site is served (in a process of its own, as a real site would be elsewhere) with
generated extra articles so that about 1,000 and then about 10,000 pages exist; each size is
backfilled through the real pipeline (`flows.nightly.run_pipeline` inside a Prefect flow, the
sitemap source, politeness off, a fresh data home). Reported per size: pages per second end to
end, the stages' times (from the run's run.json), and the peak resident memory of the whole
process tree (this process, the Scrapy subprocess, the process pool, the Prefect server).
Then the process stage alone over the small run's raw pages with 1 and with 2 workers.

    python -m bench.bench_pipeline                  # 1,000 and 10,000 pages
    python -m bench.bench_pipeline --pages 2000 --small 500

Rows: `pipeline` (the big run; goals: at most 600 s, at most 1 GB), `pipeline 1k` (the small
run), `pipeline memory` (peak RSS big / small; goal at most 1.2), `process 2 vs 1 workers`
(goal at least 1.7).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import REPO, TreeMemory, isolate_prefect, warm_prefect

SOURCE_NAME = "demo-news"
DEMO_ARTICLES = 44  # the hand-written articles of demo/content; the rest are generated


class DemoProcess:
    """`python -m demo.server --extra-pages N` on a free port; its base URL once it listens."""

    def __init__(self, extra_pages: int) -> None:
        self.extra_pages = extra_pages
        self.process: subprocess.Popen | None = None
        self.base = ""

    def __enter__(self) -> DemoProcess:
        command = [sys.executable, "-m", "demo.server", "--port", "0"]
        command += ["--extra-pages", str(self.extra_pages)]
        env = os.environ | {"PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True
        )
        line = self.process.stderr.readline()  # "Demo Tech Daily: N articles at http://.../"
        if " at http" not in line:
            self.process.kill()
            raise RuntimeError(f"demo server did not start: {line!r}")
        self.base = line.split(" at ", 1)[1].split("/ ", 1)[0].rstrip("/")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def backfill_source(base: str):
    """The demo's news-sitemap source, without the per-run page cap (a backfill takes all)."""
    from spiders.sources import Source

    return Source(
        name=SOURCE_NAME,
        kind="sitemap",
        start_url=f"{base}/sitemap_index.xml",
        allowed_domains=("127.0.0.1", "localhost"),
        allow_private=True,
        demo=True,
        max_pages=1_000_000,
    )


def _bench_flow():
    from prefect import flow

    from flows.nightly import run_pipeline

    @flow(name="bench-backfill", log_prints=False)
    def bench_backfill(base: str, home: str, workers: int | None = None) -> dict[str, Any]:
        return run_pipeline(
            "backfill",
            [backfill_source(base)],
            crawl_timeout=1800,
            polite=False,
            workers=workers,
            incremental=False,
            home=Path(home),
        )

    return bench_backfill


def backfill_once(extra_pages: int, home: Path, workers: int | None = None) -> dict[str, Any]:
    """One backfill of a demo site with `extra_pages` generated articles; times and memory."""
    bench_backfill = _bench_flow()
    with DemoProcess(extra_pages) as demo:
        server_pid = demo.process.pid
        with TreeMemory(interval=0.2, exclude={server_pid}) as memory:
            cpu_before = cpu_seconds()
            started = time.perf_counter()
            info = bench_backfill(demo.base, str(home), workers)
            seconds = time.perf_counter() - started
            # Before the demo server exits: its CPU must not count (it is waited for later).
            cpu = cpu_seconds() - cpu_before
    crawl = info["crawls"][SOURCE_NAME]
    process = crawl.get("process") or {}
    load = info.get("load") or {}
    stages = {
        "crawl": crawl["crawl_seconds"],
        "process": crawl["process_seconds"],
        "load": load.get("seconds"),
    }
    stages["other"] = round(seconds - sum(v or 0 for v in stages.values()), 2)
    pages = crawl["pages"]
    return {
        "site_articles": extra_pages + DEMO_ARTICLES,
        "pages": pages,
        "crawl_status": crawl["crawl_status"],
        "crawl_rejects": crawl["crawl_rejects"],
        "articles": process.get("articles"),
        "figures": process.get("figures"),
        "process_rejects": process.get("rejects"),
        "articles_loaded": load.get("articles_new"),
        "figures_loaded": load.get("figures"),
        "seconds": round(seconds, 2),
        "rate": round(pages / seconds, 1) if seconds else None,
        "stage_seconds": stages,
        "stage_rates": {k: round(pages / v, 1) for k, v in stages.items() if k != "other" and v},
        "cpu_seconds": round(cpu, 1),
        "cpu_ms_per_page": round(1000 * cpu / pages, 1) if pages else None,
        "two_core_seconds_at_full_speed": round(cpu / 2, 1),
        "peak_rss_mb": memory.peak_mb,
        "peak_rss_mb_without_prefect_server": memory.peak_without_server_mb,
        "peak_rss_mb_by_role": memory.roles_mb(),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "run_id": info["run_id"],
    }


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished, waited-for descendants.

    On a shared machine the wall time depends on the neighbours; the CPU time much less. The
    crawl subprocess and the pool's workers are waited for by the end of a run; the Prefect
    server (still running) and the demo site (a separate process, waited later) are not in it.
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def process_speedup(raw_dir: Path, repeats: int = 1) -> dict[str, Any]:
    """The process stage alone over one run's raw pages, 1 worker then 2 (pool start included)."""
    from flows.process import process_pages, read_manifest

    pages = read_manifest(raw_dir / "pages.jsonl")
    timings: dict[int, float] = {}
    cpus: dict[int, float] = {}
    outputs: dict[int, int] = {}
    for workers in (1, 2):
        best = float("inf")
        for _ in range(repeats):
            cpu_before = cpu_seconds()
            started = time.perf_counter()
            outputs[workers] = sum(1 for _ in process_pages(pages, raw_dir, workers=workers))
            best = min(best, time.perf_counter() - started)
            cpus[workers] = cpu_seconds() - cpu_before
        timings[workers] = best
    if outputs[1] != outputs[2] or outputs[1] != len(pages):
        raise RuntimeError(f"process stage lost pages: {outputs} of {len(pages)}")
    return {
        "stage": "process 2 vs 1 workers",
        "unit": "pages/s",
        "pages": len(pages),
        "rate": round(len(pages) / timings[2], 1),
        "baseline": "the same stage with 1 worker process",
        "baseline_rate": round(len(pages) / timings[1], 1),
        "ratio": round(timings[1] / timings[2], 3),
        "seconds_1_worker": round(timings[1], 2),
        "seconds_2_workers": round(timings[2], 2),
        "cpu_seconds_1_worker": round(cpus[1], 1),
        "cpu_seconds_2_workers": round(cpus[2], 1),
        # Cores the stage kept busy on average: 2.0 is both cores all the time.
        "cores_used_2_workers": round(cpus[2] / timings[2], 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "cores": os.cpu_count(),
    }


def run(pages: int = 10_000, small: int = 1_000) -> list[dict[str, Any]]:
    """Backfill about `small` then about `pages` demo pages; the rows for the table."""
    isolate_prefect()
    warm_seconds = warm_prefect()
    print(f"prefect server warm in {warm_seconds:.1f}s", file=sys.stderr)
    extra_small = max(0, small - DEMO_ARTICLES)
    extra_big = max(0, pages - DEMO_ARTICLES)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        home_small, home_big = Path(tmp) / "small", Path(tmp) / "big"
        little = backfill_once(extra_small, home_small)
        print(f"small: {json.dumps(little)}", file=sys.stderr, flush=True)
        raw_dir = home_small / "raw" / little["run_id"] / SOURCE_NAME
        speedup = process_speedup(raw_dir)
        print(f"speed-up: {json.dumps(speedup)}", file=sys.stderr, flush=True)
        big = backfill_once(extra_big, home_big)
        print(f"big: {json.dumps(big)}", file=sys.stderr, flush=True)
    rows = [
        {
            "stage": "pipeline",
            "unit": "pages/s",
            **big,
            "baseline": f"the same pipeline over {little['pages']} pages",
            "baseline_rate": little["rate"],
            "ratio": round(big["rate"] / little["rate"], 3) if little["rate"] else None,
        },
        {"stage": f"pipeline {little['pages']}", "unit": "pages/s", **little},
        {
            "stage": "pipeline memory",
            "unit": "MB",
            "rate": big["peak_rss_mb"],
            "baseline": f"peak RSS over {little['pages']} pages",
            "baseline_rate": little["peak_rss_mb"],
            "ratio": round(big["peak_rss_mb"] / little["peak_rss_mb"], 3),
            "peak_rss_mb": big["peak_rss_mb"],
        },
        speedup,
    ]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_pipeline", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--pages", type=int, default=10_000, help="pages of the big backfill")
    parser.add_argument("--small", type=int, default=1_000, help="pages of the small backfill")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.pages, args.small), indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
