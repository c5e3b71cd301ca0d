"""`newsfigures sql "..." [--format table|csv|json] [--db PATH] [--limit N]`.

A plain function with typer annotations; the CLI registers it as `app.command("sql")(sql)`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from warehouse.db import WarehouseLocked
from warehouse.query import ReadOnlyError, default_db, run_sql


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def sql(
    query: Annotated[
        str,
        typer.Argument(
            help="SQL to run (read-only: SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)."
        ),
    ],
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (first rows, paged on a terminal), csv or json (streamed).",
        ),
    ] = OutputFormat.table,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="Warehouse file [default: $NEWSFIGURES_HOME/newsfigures.duckdb]."
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, help="At most N rows.")
    ] = None,
) -> None:
    """Query the published warehouse with SQL (read-only). Tables: see docs/data-dictionary.md."""
    path = db or default_db()
    try:
        chunks = run_sql(path, query, fmt=format.value, limit=limit)
        if format is OutputFormat.table and sys.stdout.isatty():
            _page("".join(chunks))
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)
            sys.stdout.flush()
    except (ReadOnlyError, FileNotFoundError, WarehouseLocked) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except Exception as exc:  # a DuckDB error in the user's SQL: say it plainly, no traceback
        import duckdb

        if not isinstance(exc, duckdb.Error):
            raise
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


def _page(text: str) -> None:
    """Page long output on a terminal (rich's pager honours $PAGER); print short output."""
    from rich.console import Console

    console = Console()
    if text.count("\n") > console.height:
        with console.pager():
            console.out(text, highlight=False)
    else:
        console.out(text, highlight=False, end="")


def main() -> None:  # python -m warehouse.cli "SELECT ..."
    app = typer.Typer(add_completion=False)
    app.command("sql")(sql)
    typer.main.get_command(app)(prog_name="newsfigures sql")


if __name__ == "__main__":
    main()
