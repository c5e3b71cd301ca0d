"""Load and query: the DuckDB warehouse (schema and migrations, bulk idempotent loader, views).

The nightly writes a private file (`connect_writer`, `load_run`) and `publish`es a read-only
copy that people query (`query.run_sql`, `newsfigures sql`, the `duckdb` CLI).
"""

from warehouse.db import (
    WarehouseLocked,
    apply_migrations,
    checksum,
    connect_reader,
    connect_writer,
    latest_version,
    schema_version,
)
from warehouse.load import LoadError, LoadStats, load_run
from warehouse.publish import PublishError, publish
from warehouse.query import ReadOnlyError, run_sql, summary
from warehouse.state import crawl_state, incomplete_runs

__all__ = [
    "LoadError",
    "LoadStats",
    "PublishError",
    "ReadOnlyError",
    "WarehouseLocked",
    "apply_migrations",
    "checksum",
    "connect_reader",
    "connect_writer",
    "crawl_state",
    "incomplete_runs",
    "latest_version",
    "load_run",
    "publish",
    "run_sql",
    "schema_version",
    "summary",
]
