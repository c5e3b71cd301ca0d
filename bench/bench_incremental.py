"""An incremental night is cheap: a second nightly on an unchanged demo site.

The demo site (about 1,000 articles: the hand-written ones plus generated extras, and its
fault pages) is served in this process, so its request log shows what each night fetched.
The `nightly` flow runs twice over every demo source (politeness off, a fresh data home);
the second night must fetch no article page, load no article and no figure, and take at most
a tenth of the first night's time. Both times are the flow's wall time with the Prefect
server already running.

    python -m bench.bench_incremental            # about 1,000 pages
    python -m bench.bench_incremental --pages 300
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import TreeMemory, isolate_prefect, warm_prefect

DEMO_ARTICLES = 44
# An article's own page: its HTML permalink or its plain-text wire copy (not listings, not APIs).
ARTICLE_PAGE = re.compile(r"^/(\d{4}/\d{2}/[^/]+/|wire/[^/]+\.txt)$")


def article_requests(requests: list[tuple[str, str, int]]) -> list[str]:
    return [path for _, path, _ in requests if ARTICLE_PAGE.match(path.split("?")[0])]


def one_night(url: str, site) -> dict[str, Any]:
    """One nightly over the demo sources; its time, what it fetched and what it loaded."""
    from flows.nightly import nightly

    site.reset_log()
    with TreeMemory(interval=0.25) as memory:
        started = time.perf_counter()
        state = nightly(
            demo_url=url, polite=False, crawl_timeout=1200, workers=None, return_state=True
        )
        seconds = time.perf_counter() - started
    info = state.result(raise_on_failure=False)
    if not isinstance(info, dict):
        raise RuntimeError(f"nightly ended {state.type}: {state.message}")
    requests = site.requests
    load = info.get("load") or {}
    return {
        "state": str(state.type.value),
        "seconds": round(seconds, 2),
        "requests": len(requests),
        "article_requests": len(article_requests(requests)),
        "pages": sum(c["pages"] for c in info["crawls"].values()),
        "articles_new": load.get("articles_new", 0),
        "articles_updated": load.get("articles_updated", 0),
        "figures_loaded": load.get("figures", 0),
        "rejects_recorded": load.get("rejects", 0),
        "stage_seconds": {
            name: {"crawl": c["crawl_seconds"], "process": c["process_seconds"]}
            for name, c in info["crawls"].items()
        }
        | {"load": load.get("seconds")},
        "peak_rss_mb": memory.peak_mb,
    }


def run(pages: int = 1_000) -> dict[str, Any]:
    """First and second nightly on an unchanged demo site of about `pages` articles."""
    isolate_prefect()
    warm_prefect()
    from demo.server import serve
    from demo.site import DemoSite

    site = DemoSite(extra_pages=max(0, pages - DEMO_ARTICLES))
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as home, serve(site) as url:
        os.environ["NEWSFIGURES_HOME"] = str(Path(home) / "data")
        first = one_night(url, site)
        print(f"first night: {json.dumps(first)}", file=sys.stderr, flush=True)
        second = one_night(url, site)
        print(f"second night: {json.dumps(second)}", file=sys.stderr, flush=True)
    rows_loaded = second["articles_new"] + second["articles_updated"] + second["figures_loaded"]
    return {
        "stage": "incremental",
        "unit": "s",
        "site_articles": len(site.articles),
        "rate": second["seconds"],
        "baseline": "the first night's time",
        "baseline_rate": first["seconds"],
        "ratio": round(second["seconds"] / first["seconds"], 3),
        "article_requests": second["article_requests"],
        "rows_loaded": rows_loaded,
        "first": first,
        "second": second,
        "peak_rss_mb": max(first["peak_rss_mb"], second["peak_rss_mb"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_incremental", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--pages", type=int, default=1_000, help="articles on the demo site")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.pages), indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
