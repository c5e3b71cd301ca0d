"""`newsfigures doctor`: what a person checks first when a night went wrong."""

from __future__ import annotations

import os
import sys
import urllib.request
from collections.abc import Iterator
from importlib import metadata

from flows.settings import paths
from spiders.sources import sources_path

Check = tuple[str, bool, str]
PACKAGES = (
    "scrapy",
    "trafilatura",
    "duckdb",
    "prefect",
    "feedparser",
    "lxml",
    "duckdb-extension-fts",
)


def versions() -> Iterator[Check]:
    yield "python", sys.version_info[:2] == (3, 11), sys.version.split()[0]
    for name in PACKAGES:
        try:
            yield name, True, metadata.version(name)
        except metadata.PackageNotFoundError:
            yield name, False, "not installed"


def locations() -> Iterator[Check]:
    where = paths()
    yield "data home", where.root.exists(), f"{where.root} (NEWSFIGURES_HOME)"
    yield "published warehouse", where.published_db.exists(), str(where.published_db)
    source_file = sources_path()
    yield "sources file", source_file.exists(), f"{source_file.resolve()} (NEWSFIGURES_SOURCES)"


def warehouse_lock() -> Check:
    """Whether the nightly could open its private file now, and if not, who holds it."""
    private = paths().private_db
    if not private.exists():
        return "warehouse lock", True, f"{private} does not exist yet (first run creates it)"
    from warehouse.db import WarehouseLocked, open_with_retries

    try:
        open_with_retries(private, read_only=False, retries=0, backoff=0).close()
    except WarehouseLocked as locked:
        return "warehouse lock", False, str(locked)
    return "warehouse lock", True, f"{private} is free"


def prefect_api() -> Check:
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        from prefect.settings import PREFECT_API_URL

        url = PREFECT_API_URL.value()
    if not url:
        return (
            "prefect api",
            True,
            "none configured: flows run in ephemeral mode (no schedules, no UI)",
        )
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=3) as response:
            return "prefect api", response.status == 200, f"{url} answers {response.status}"
    except OSError as error:
        return "prefect api", False, f"{url} does not answer: {error}"


def checks() -> list[Check]:
    return [*versions(), *locations(), warehouse_lock(), prefect_api()]
