"""Read-only SQL against the published warehouse: `newsfigures sql` and the demo summary."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb

from warehouse.db import OFFLINE_CONFIG, connect_reader

FORMATS = ("table", "csv", "json")
CHUNK_ROWS = 1000
TABLE_LIMIT = 1000  # the table format renders in memory; csv/json stream everything
ALLOWED_TYPES = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?(\([^)]*\)\s*)?", re.IGNORECASE)


class ReadOnlyError(PermissionError):
    """A statement that would change something; the warehouse is for reading here."""


def open_published(published_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with FTS loaded (if installed) and the file system shut off."""
    con = connect_reader(Path(published_path), fts=True)
    # Second line of defence behind the statement check: no COPY TO, ATTACH or file reads.
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def check_read_only(con: duckdb.DuckDBPyConnection, sql: str) -> list[duckdb.Statement]:
    """The statements of `sql` if every one only reads; else ReadOnlyError saying which."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        raise ReadOnlyError(f"refused: cannot check this SQL before running it ({first})") from exc
    if not statements:
        raise ReadOnlyError("refused: no SQL statement given")
    for statement in statements:
        if statement.type == duckdb.StatementType.EXPLAIN:
            # EXPLAIN ANALYZE runs its statement: check what it explains as well.
            inner = _EXPLAIN.sub("", statement.query, count=1)
            if inner.strip() and inner != statement.query:
                check_read_only(con, inner)
        if statement.type not in ALLOWED_TYPES:
            kind = statement.type.name
            raise ReadOnlyError(
                f"refused: {kind} statements are not allowed; the warehouse is read-only here "
                "(only SELECT, WITH ... SELECT, FROM, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN). "
                f"Statement: {statement.query.strip()[:120]}"
            )
    return statements


def run_sql(
    published_path: Path, sql: str, fmt: str = "table", limit: int | None = None
) -> Iterator[str]:
    """Run read-only `sql` and yield its result as text chunks in `fmt` (table, csv, json).

    Writes are refused before anything runs. csv and json stream rows in chunks; json is one
    array. The table format renders at most `limit` (default 1000) rows and says how many
    more there were.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    con = open_published(published_path)
    try:
        statements = check_read_only(con, sql)
        for statement in statements[:-1]:
            con.execute(statement.query)
        con.execute(statements[-1].query)
    except BaseException:
        con.close()
        raise
    return _render(con, fmt, limit)


def _render(con: duckdb.DuckDBPyConnection, fmt: str, limit: int | None) -> Iterator[str]:
    try:
        columns = [d[0] for d in con.description or []]
        if fmt == "csv":
            yield from _csv_chunks(con, columns, limit)
        elif fmt == "json":
            yield from _json_chunks(con, columns, limit)
        else:
            yield _table(con, columns, limit if limit is not None else TABLE_LIMIT)
    finally:
        con.close()


def _rows(con: duckdb.DuckDBPyConnection, limit: int | None) -> Iterator[list[tuple]]:
    left = math.inf if limit is None else limit
    while left > 0:
        chunk = con.fetchmany(int(min(CHUNK_ROWS, left)))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk


def _csv_chunks(
    con: duckdb.DuckDBPyConnection, columns: list[str], limit: int | None
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for chunk in _rows(con, limit):
        writer.writerows([[_csv_cell(v) for v in row] for row in chunk])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def _json_chunks(
    con: duckdb.DuckDBPyConnection, columns: list[str], limit: int | None
) -> Iterator[str]:
    yield "["
    first = True
    for chunk in _rows(con, limit):
        parts = []
        for row in chunk:
            record = json.dumps(
                dict(zip(columns, map(jsonable, row), strict=True)), ensure_ascii=False
            )
            parts.append(("\n" if first else ",\n") + record)
            first = False
        yield "".join(parts)
    yield "\n]\n" if not first else "]\n"


def jsonable(value: Any) -> Any:
    """A JSON-friendly form of a DuckDB value (timestamps ISO 8601, NaN as null)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list | tuple):
        return json.dumps(jsonable(value), ensure_ascii=False)
    return jsonable(value)


def _table(con: duckdb.DuckDBPyConnection, columns: list[str], limit: int) -> str:
    from rich.console import Console
    from rich.table import Table

    rows = con.fetchmany(limit) if limit > 0 else []
    more = len(con.fetchmany(1)) > 0
    table = Table(*columns, show_lines=False, header_style="bold")
    for row in rows:
        table.add_row(*[_cell_text(v) for v in row])
    console = Console(file=io.StringIO(), width=200, force_terminal=False, color_system=None)
    console.print(table)
    footer = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if more:
        footer += " shown; more rows follow (use --limit N, or --format csv/json to stream all)"
    return console.file.getvalue() + footer + "\n"


def _cell_text(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"  # 52,000,000,000 reads better than 5.2e+10
        return f"{value:,.6g}" if abs(value) < 1e15 else repr(value)
    if isinstance(value, dict | list | tuple):
        return json.dumps(jsonable(value), ensure_ascii=False)
    return str(jsonable(value))


def summary(published_path: Path, *, sample: int = 10) -> dict:
    """What the warehouse holds, for the CLI and the demo's printout."""
    con = connect_reader(Path(published_path))
    try:

        def records(sql: str, params: list | None = None) -> list[dict]:
            cur = con.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, map(jsonable, row), strict=True)) for row in cur.fetchall()]

        return {
            "articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
            "duplicates": con.execute(
                "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"
            ).fetchone()[0],
            "figures": con.execute(
                "SELECT count(*) FROM figures_full WHERE NOT is_duplicate"
            ).fetchone()[0],
            "facts": con.execute("SELECT count(*) FROM facts").fetchone()[0],
            "conflicts": con.execute("SELECT count(*) FROM facts WHERE conflict").fetchone()[0],
            "articles_per_source": records(
                "SELECT source, count(DISTINCT article_id) AS articles FROM article_sources "
                "GROUP BY source ORDER BY articles DESC, source"
            ),
            "sample_figures": records(
                # One telling figure for each of the most-covered companies.
                "SELECT entity, metric, measure, period, modality, value, unit, surface, title "
                "FROM figures_full WHERE NOT is_duplicate AND entity IS NOT NULL "
                "AND period IS NOT NULL AND metric <> 'other' "
                "QUALIFY row_number() OVER (PARTITION BY entity ORDER BY measure <> 'level', article_id, ordinal) = 1 "
                "ORDER BY count(*) OVER (PARTITION BY entity) DESC, entity LIMIT ?",
                [sample],
            ),
            "rejects_by_reason": records(
                "SELECT stage, reason, count(*) AS rejects FROM rejects GROUP BY ALL "
                "ORDER BY rejects DESC, stage, reason"
            ),
            "runs": records(
                "SELECT run_id, flow, status, articles_new, articles_updated, articles_unchanged, "
                "duplicates, figures_loaded, rejects FROM run_summary ORDER BY run_id"
            ),
        }
    finally:
        con.close()


def default_db() -> Path:
    """$NEWSFIGURES_HOME/newsfigures.duckdb (NEWSFIGURES_HOME defaults to ./data)."""
    import os

    return Path(os.environ.get("NEWSFIGURES_HOME", "data")) / "newsfigures.duckdb"


__all__ = ["FORMATS", "OFFLINE_CONFIG", "ReadOnlyError", "check_read_only", "run_sql", "summary"]
