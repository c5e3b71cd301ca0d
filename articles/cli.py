"""`newsfigures clean`: one page to one JSON object, or a JSONL batch to JSONL, on all cores.

Registered by flows/cli.py as `app.command("clean")(clean)`.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from articles.pool import clean_page_limited, clean_pages, read_body
from articles.records import Article
from spiders.records import Reject

# The fields a single-page answer carries, in this order, for people reading it.
ARTICLE_FIELDS = (
    "url",
    "canonical_url",
    "title",
    "authors",
    "published",
    "published_source",
    "modified",
    "language",
    "text",
    "content_hash",
    "fingerprint",
    "word_count",
)


def result_json(result: Article | Reject) -> dict[str, Any]:
    """The CLI's JSON shape: the article's fields (contract fields first) or a reject."""
    if isinstance(result, Reject):
        return {"reject": result.reason, "detail": result.detail, "url": result.url}
    data = result.to_dict()
    ordered = {name: data.pop(name) for name in ARTICLE_FIELDS}
    return {**ordered, **data}


def _batch_lines(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as error:
                raise typer.BadParameter(f"{path}:{number} is not JSON: {error}") from error
            if not isinstance(item, dict) or "id" not in item or "path" not in item:
                raise typer.BadParameter(f"{path}:{number} needs at least 'id' and 'path'")
            item["path"] = str(_resolve(Path(item["path"]), path.resolve().parent))
            if item.get("published") and not item.get("published_source"):
                item["published_source"] = "given"
            yield item


def _resolve(page: Path, base: Path) -> Path:
    """A relative path is read beside the JSONL file (as pages.jsonl says), else from here."""
    if page.is_absolute() or (base / page).exists() or not page.exists():
        return page if page.is_absolute() else base / page
    return page.resolve()


def _print(data: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def clean(
    file: Annotated[
        Path | None, typer.Argument(help="A raw page (.gz read as such).", show_default=False)
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="The page's URL (default: the file's file:// URL).")
    ] = None,
    kind: Annotated[str, typer.Option(help="html, wp_json or text.")] = "html",
    published: Annotated[
        str | None, typer.Option(help="Publication date already known (preferred to guesses).")
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option(
            "--batch", help="JSONL of {id, path, url, kind, published}; prints one line each."
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes for --batch (default: all cores).")
    ] = None,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per document.")] = 20.0,
) -> None:
    """Clean a raw page into an article (JSON), or say why it is not one (exit status 1)."""
    if kind not in ("html", "wp_json", "text"):
        raise typer.BadParameter(f"--kind must be html, wp_json or text, not {kind!r}")
    if batch is not None:
        _clean_batch_file(batch, workers, timeout)
        return
    if file is None:
        raise typer.BadParameter("give a FILE to clean, or --batch IN.jsonl")
    try:
        body = read_body(file)
    except (OSError, EOFError) as error:
        raise typer.BadParameter(f"cannot read {file}: {error}") from error
    listing = {"published": published, "published_source": "given"} if published else None
    result = clean_page_limited(
        body, url=url or file.resolve().as_uri(), kind=kind, listing=listing, timeout=timeout
    )
    _print(result_json(result))
    if isinstance(result, Reject):
        raise typer.Exit(1)


def _clean_batch_file(batch: Path, workers: int | None, timeout: float) -> None:
    items = _batch_lines(batch)
    for item_id, result in clean_pages(items, workers=workers, timeout=timeout):
        _print({"id": item_id, **result_json(result)})
