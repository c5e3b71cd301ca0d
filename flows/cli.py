"""The `newsfigures` command: run the pipeline, try a stage on a file, query the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from articles.cli import clean
from figures.cli import figures_command
from warehouse.cli import sql

app = typer.Typer(
    help="newsfigures: tech news in, queryable figures out (crawl -> clean -> extract -> DuckDB).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()

app.command(
    "clean", help="Clean one page (or a batch) into an article's text and metadata, as JSON."
)(clean)
app.command(
    "figures", help="Extract figures from a text file (or stdin, or a batch), as JSON lines."
)(figures_command)
app.command("sql", help="Run read-only SQL against the published warehouse.")(sql)


def _run_flow(flow_fn, **params: Any) -> dict[str, Any]:
    """Runs a flow (with or without a Prefect server) and returns its run summary."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from flows.progress import RichReporter, reporting

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bars, reporting(RichReporter(bars)):
        state = flow_fn(**params, return_state=True)
    info = state.result(raise_on_failure=False)
    if isinstance(info, BaseException):
        console.print(f"[red]{flow_fn.name} failed:[/red] {info}")
        raise typer.Exit(1)
    return info


def _print_run(info: dict[str, Any]) -> None:
    from flows.console import print_run

    print_run(console, info)


@app.command()
def run(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only these sources (repeatable).")
    ] = None,
    sources_file: Annotated[
        Path | None,
        typer.Option(help="Sources file (default: $NEWSFIGURES_SOURCES or sources.toml)."),
    ] = None,
    timeout: Annotated[float, typer.Option(help="Hard limit per crawl, in seconds.")] = 1800.0,
    workers: Annotated[
        int | None, typer.Option(help="Processes for clean+extract (default: all cores).")
    ] = None,
) -> None:
    """Run the nightly now: crawl the enabled sources, clean, extract, load and publish."""
    from flows.nightly import nightly

    info = _run_flow(
        nightly,
        sources=source or None,
        sources_file=str(sources_file) if sources_file else None,
        crawl_timeout=timeout,
        workers=workers,
    )
    _print_run(info)


@app.command()
def backfill(
    source: Annotated[str, typer.Argument(help="The source's name in the sources file.")],
    start: Annotated[str, typer.Option(help="Oldest publication date, YYYY-MM-DD.")],
    end: Annotated[
        str | None, typer.Option(help="Newest publication date, YYYY-MM-DD (default: today).")
    ] = None,
    sources_file: Annotated[Path | None, typer.Option(help="Sources file.")] = None,
    timeout: Annotated[float, typer.Option(help="Hard limit for the crawl, in seconds.")] = 3600.0,
) -> None:
    """Crawl one source over a date range again, whatever earlier runs saw."""
    from flows.nightly import backfill as backfill_flow

    info = _run_flow(
        backfill_flow,
        source=source,
        start=start,
        end=end,
        sources_file=str(sources_file) if sources_file else None,
        crawl_timeout=timeout,
    )
    _print_run(info)


@app.command()
def reprocess(
    run_id: Annotated[
        list[str] | None, typer.Option("--run", help="Only these raw runs (repeatable).")
    ] = None,
) -> None:
    """Clean, extract and load the kept raw pages again (after an extractor change), without crawling."""
    from flows.nightly import reprocess as reprocess_flow

    info = _run_flow(reprocess_flow, run_ids=run_id or None)
    _print_run(info)


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port for the demo site (0: any free port).")] = 0,
) -> None:
    """Serve the bundled demo site on 127.0.0.1, run the nightly against it, show what loaded."""
    from demo.server import serve
    from demo.site import DemoSite
    from flows.console import print_demo
    from flows.nightly import nightly

    with serve(DemoSite(), port=port) as url:
        console.print(f"demo site serving at [bold]{url}[/bold]; running the nightly flow once...")
        info = _run_flow(nightly, demo_url=url)
    print_demo(console, info)


@app.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="WordPress post JSON, HTML pages or dated plain text.", exists=True, dir_okay=False
        ),
    ],
) -> None:
    """Clean, extract and load local files, e.g. the seeds in ../shared/seeds/."""
    from flows.console import print_import
    from flows.importer import import_files

    info, results = import_files(files)
    print_import(console, files, results, info)
    if all("article" not in r for r in results):
        raise typer.Exit(1)


@app.command()
def sources(
    sources_file: Annotated[Path | None, typer.Option(help="Sources file.")] = None,
) -> None:
    """List the configured sources."""
    from spiders.sources import load_sources

    table = Table("name", "kind", "enabled", "start URL", "max pages", "description")
    for s in load_sources(sources_file):
        enabled = "demo" if s.demo else ("yes" if s.enabled else "no")
        table.add_row(s.name, s.kind, enabled, s.start_url, str(s.max_pages), s.description)
    console.print(table)


@app.command()
def doctor() -> None:
    """Versions, paths, whether the warehouse is locked and by whom, whether a Prefect API answers."""
    from flows.doctor import checks

    table = Table("check", "status", "detail")
    for name, ok, detail in checks():
        table.add_row(name, "[green]ok[/green]" if ok else "[yellow]!![/yellow]", detail)
    console.print(table)


if __name__ == "__main__":
    app()
