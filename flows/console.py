"""Run summaries for people at a terminal (rich tables)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

EXAMPLE_QUERY = (
    '.venv/bin/newsfigures sql "SELECT period, value / 1e6 AS million_units, n_articles, '
    "conflict FROM facts WHERE entity = 'Xiaomi' AND metric = 'shipments' AND measure = 'level' "
    "AND modality = 'actual' AND period LIKE '____-Q_' ORDER BY period\""
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
                "new articles": process.get("articles", 0),
                "seen via another source": process.get("repeats", 0),
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


def _amount(value: Any) -> str:
    if not isinstance(value, int | float):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def print_summary(console: Console, summary: dict[str, Any]) -> None:
    """Renders `warehouse.summary()` for a person: counts, per source, samples, rejects."""
    console.print(
        f"\n[bold]{summary['articles']}[/bold] articles ({summary['duplicates']} near-duplicates), "
        f"[bold]{summary['figures']}[/bold] figures, {summary['facts']} facts "
        f"({summary['conflicts']} where sources disagree)"
    )
    console.print(_table("articles per source", summary["articles_per_source"]))
    samples = [
        {
            "entity": f.get("entity"),
            "metric": f.get("metric"),
            "period": f.get("period"),
            "modality": f.get("modality"),
            "value": _amount(f.get("value")),
            "unit": f.get("unit"),
            "surface": f.get("surface"),
        }
        for f in summary["sample_figures"]
    ]
    console.print(_table("sample figures", samples))
    console.print(_table("rejects by reason", summary["rejects_by_reason"]))


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
