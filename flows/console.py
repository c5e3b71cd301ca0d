"""Run summaries for people at a terminal (rich tables)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

EXAMPLE_QUERY = (
    'newsfigures sql "SELECT entity, metric, period, value, unit, surface '
    "FROM figures_full WHERE entity = 'Xiaomi' AND metric = 'shipments' ORDER BY period\""
)


def _table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    return table


def print_run(console: Console, info: dict[str, Any]) -> None:
    rows = []
    for crawl in info["crawls"].values():
        process = crawl.get("process") or {}
        rows.append(
            {
                "source": crawl["name"],
                "crawl": crawl["crawl_status"],
                "pages": crawl["pages"],
                "crawl rejects": crawl["crawl_rejects"],
                "articles": process.get("articles", 0),
                "figures": process.get("figures", 0),
                "clean rejects": sum(process.get("rejects", {}).values()),
                "seconds": round(crawl["crawl_seconds"] + crawl["process_seconds"], 1),
            }
        )
    console.print(_table(f"run {info['run_id']}", rows))
    load = info.get("load") or {}
    if load:
        console.print(
            "loaded: "
            + ", ".join(f"{k}={v}" for k, v in load.items() if not isinstance(v, dict | list))
        )
    for crawl in info["crawls"].values():
        if crawl.get("error"):
            console.print(f"[red]{crawl['name']} failed:[/red] {crawl['error']}")
    console.print(f"warehouse: [bold]{info.get('published')}[/bold]")


def print_summary(console: Console, summary: dict[str, Any]) -> None:
    """Renders `warehouse.summary()`: lists of rows as tables, the rest as lines."""
    for key, value in summary.items():
        title = key.replace("_", " ")
        if isinstance(value, list) and value and isinstance(value[0], dict):
            console.print(_table(title, value))
        elif isinstance(value, dict):
            console.print(_table(title, [{"": k, "n": v} for k, v in value.items()]))
        else:
            console.print(f"{title}: [bold]{value}[/bold]")


def print_demo(console: Console, info: dict[str, Any]) -> None:
    from warehouse import summary

    print_run(console, info)
    published = Path(info["published"])
    print_summary(console, summary(published))
    console.print(
        f"\nThe DuckDB file: [bold]{published}[/bold] (open it with `duckdb -readonly {published}`)"
    )
    console.print("Try:\n  " + EXAMPLE_QUERY)


def print_import(
    console: Console, files: list[Path], results: list[dict], info: dict[str, Any]
) -> None:
    for path, result in zip(files, results, strict=True):
        article, reject = result.get("article"), result.get("reject")
        if article:
            console.print(
                f'[green]imported[/green] {path}: "{article.get("title")}", {article.get("word_count")} words, '
                f"published {article.get('published')} ({article.get('published_source')}), "
                f"{len(result.get('figures', []))} figures"
            )
            for note in article.get("notes") or []:
                console.print(f"    note: {note}")
        if reject:
            console.print(
                f"[yellow]rejected[/yellow] {path} at {reject['stage']}: {reject['reason']}: {reject['detail']}"
            )
    console.print(f"warehouse: [bold]{info.get('published')}[/bold]")
