"""`newsfigures figures FILE|- [--published YYYY-MM-DD] [--title TEXT]` and `--batch IN.jsonl`.

The lead registers `figures_command` with `app.command("figures")(figures_command)`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from figures import extract


def figures_command(
    file: Annotated[
        str | None, typer.Argument(help="Article text file, or - for standard input.")
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (resolves 'last year').")
    ] = None,
    title: Annotated[str | None, typer.Option(help="The article's title.")] = None,
    batch: Annotated[
        str | None,
        typer.Option(help="JSON lines {id, text, published, title} in; lines {id, figures} out."),
    ] = None,
) -> None:
    """Print the figures in an article, one JSON object per line."""
    try:
        if batch is not None:
            run_batch(_open(batch), sys.stdout)
        elif file is not None:
            run_single(_open(file).read(), published, title, sys.stdout)
        else:
            raise ValueError("give a FILE (or - for stdin) or --batch IN.jsonl")
    except (OSError, ValueError, TypeError) as error:
        typer.echo(f"figures: {error}", err=True)
        raise typer.Exit(1) from error


def _open(name: str) -> TextIO:
    if name == "-":
        return sys.stdin
    path = Path(name)
    if not path.is_file():
        raise ValueError(f"no such file: {name}")
    return path.open(encoding="utf-8")


def run_single(text: str, published: str | None, title: str | None, out: TextIO) -> int:
    figures = extract(text, published=published, title=title)
    for figure in figures:
        out.write(json.dumps(figure.to_dict(), ensure_ascii=False) + "\n")
    return len(figures)


def run_batch(lines: TextIO, out: TextIO) -> int:
    """One output line per input line; a bad line is reported with its number and stops nothing else."""
    count = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError("each line needs an object with a string 'text'")
            figures = extract(
                record["text"], published=record.get("published"), title=record.get("title")
            )
        except (ValueError, TypeError) as error:
            out.write(
                json.dumps({"id": _id(line), "error": f"line {number}: {error}", "figures": []})
                + "\n"
            )
            continue
        out.write(
            json.dumps(
                {"id": record.get("id"), "figures": [f.to_dict() for f in figures]},
                ensure_ascii=False,
            )
            + "\n"
        )
        count += 1
    return count


def _id(line: str):
    try:
        record = json.loads(line)
        return record.get("id") if isinstance(record, dict) else None
    except ValueError:
        return None
