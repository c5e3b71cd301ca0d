"""An article body (paragraphs, `## ` subheadings, pipe tables) as HTML, plain text or excerpt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "p", "h2" or "table"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def _table_rows(block: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    for line in block.splitlines():
        cells = tuple(c.strip() for c in line.strip().strip("|").split("|"))
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue  # the |---|---| line under the header
        rows.append(cells)
    return tuple(rows)


def parse_blocks(body: str) -> list[Block]:
    """The body's blocks in order; lines of a paragraph are joined by spaces."""
    blocks = []
    for raw in re.split(r"\n\s*\n", body.strip()):
        raw = raw.strip()
        if not raw:
            continue
        if raw.startswith("#"):
            blocks.append(Block("h2", raw.lstrip("#").strip()))
        elif all(line.strip().startswith("|") for line in raw.splitlines()):
            blocks.append(Block("table", rows=_table_rows(raw)))
        else:
            blocks.append(Block("p", " ".join(line.strip() for line in raw.splitlines())))
    return blocks


def _table_html(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
    body = "\n".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:]
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def body_html(body: str) -> str:
    """The body as WordPress renders post content: `<p>`, `<h2>`, `<table>`, one per line."""
    parts = []
    for block in parse_blocks(body):
        if block.kind == "h2":
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif block.kind == "table":
            parts.append(_table_html(block.rows))
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    return "\n".join(parts) + "\n"


def body_text(body: str) -> str:
    """The body as plain paragraphs separated by blank lines (tables as tab-separated rows)."""
    parts = []
    for block in parse_blocks(body):
        if block.kind == "table":
            parts.append("\n".join("\t".join(row) for row in block.rows))
        else:
            parts.append(block.text)
    return "\n\n".join(parts) + "\n"


def excerpt_text(body: str, words: int = 55) -> str:
    """The first paragraph, cut at `words` words with an ellipsis as WordPress does."""
    first = next((b.text for b in parse_blocks(body) if b.kind == "p"), "")
    tokens = first.split()
    if len(tokens) <= words:
        return first
    return " ".join(tokens[:words]) + " [\u2026]"


def excerpt_html(body: str) -> str:
    return "<p>" + escape(excerpt_text(body)) + "</p>\n"
