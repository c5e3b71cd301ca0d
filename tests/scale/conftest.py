"""Shared material for the scale tests: a few real demo pages crawled over HTTP, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.server import serve
from demo.site import DemoSite
from spiders.crawl import run_crawl
from spiders.sources import Source

PAGES = 16  # real pages: one 32-page batch of the stage, or four 4-page batches in the tests


@pytest.fixture(scope="session")
def demo_raw_dir(tmp_path_factory) -> Path:
    """The raw folder of a real crawl of the demo site's news sitemap (PAGES article pages)."""
    out = tmp_path_factory.mktemp("raw") / "demo-news"
    with serve(DemoSite()) as base:
        source = Source(
            name="demo-news",
            kind="sitemap",
            start_url=f"{base}/sitemap_index.xml",
            allowed_domains=("127.0.0.1",),
            allow_private=True,
            demo=True,
            max_pages=PAGES,
        )
        result = run_crawl(source, out, None, timeout=240, polite=False)
    assert result.status == "ok", result.log_tail
    assert result.pages == PAGES
    return out


@pytest.fixture(scope="session")
def demo_results(demo_raw_dir) -> list[dict]:
    """The crawled pages through clean and extract in the local process pool (the reference)."""
    from flows.process import process_pages, read_manifest

    pages = read_manifest(demo_raw_dir / "pages.jsonl")
    return list(process_pages(pages, demo_raw_dir, workers=2))
