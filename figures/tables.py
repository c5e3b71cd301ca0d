"""Rows of the plain-text tables trafilatura writes ("| Samsung | 71.5 million | 20.9% |"), so a
number in a cell can take its meaning from the column header and the row label."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROW_RE = re.compile(r"^[ \t]*\|(.*)\|[ \t]*$", re.MULTILINE)
_RULE_RE = re.compile(r"^[\s|:-]+$")
_SCALE_IN_HEADER_RE = re.compile(
    r"\((?:in\s+)?(?P<scale>millions?|m|mn|billions?|bn|thousands?|k|%|per\s?cent)\)", re.IGNORECASE
)
_AGGREGATE_RE = re.compile(
    r"(?:grand\s+)?total|sum|others?|other\s+\w+|all(?:\s+\w+)?|rest\s+of\s+(?:the\s+)?(?:world|market)|industry|market|worldwide|global",
    re.IGNORECASE,
)
_HEADER_SCALES = {"million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "thousand": 1e3, "thousands": 1e3, "k": 1e3}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    text: str
    header: str  # the column's header text ("" when the table has none)


@dataclass(frozen=True, slots=True)
class Row:
    start: int  # offset of the line
    end: int
    label: str  # the first cell ("Samsung", "Q1 2018")
    cells: tuple[Cell, ...]
    caption: str = ""  # the short line right above the table ("Q2 2018 vendor estimates")
    headers: tuple[str, ...] = ()  # every column header of the table

    def cell_at(self, position: int) -> Cell | None:
        for cell in self.cells:
            if cell.start <= position < cell.end:
                return cell
        return None


def table_rows(text: str) -> dict[int, Row]:
    """Body rows of every table in `text`, keyed by the offset where the row's line starts."""
    rows: dict[int, Row] = {}
    header: list[str] | None = None
    caption = ""
    previous_end = -2
    for match in _ROW_RE.finditer(text):
        line_start = match.start()
        contiguous = text[previous_end:line_start].strip() == "" if previous_end >= 0 else False
        cells = _cells(match)
        previous_end = match.end()
        if _RULE_RE.match(match.group(1)):
            continue
        if not contiguous or header is None:
            header = [c[2] for c in cells]  # a new table: its first line is the header
            caption = _line_above(text, line_start)
            continue
        labelled = tuple(
            Cell(s, e, t, header[i] if i < len(header) else "") for i, (s, e, t) in enumerate(cells)
        )
        label = cells[0][2] if cells else ""
        rows[_line_start(text, line_start)] = Row(
            line_start, match.end(), label, labelled, caption, tuple(header)
        )
    return rows


def is_aggregate(label: str) -> bool:
    """Whether a row label sums or lumps the other rows ("Total", "Others"): no one company's."""
    head = re.split(r"[,(;:]", label.strip(" *"), maxsplit=1)[0].strip()
    return bool(_AGGREGATE_RE.fullmatch(head))  # "Total, including commercial vehicles"


def header_scale(header: str) -> float | None:
    """The multiplier a header states for its column ("Shipments (million)" -> 1e6)."""
    match = _SCALE_IN_HEADER_RE.search(header)
    if not match:
        return None
    return _HEADER_SCALES.get(match.group("scale").lower())


def _cells(match: re.Match) -> list[tuple[int, int, str]]:
    inner_start = match.start(1)
    found = []
    position = inner_start
    for part in match.group(1).split("|"):
        stripped = part.strip()
        offset = part.find(stripped) if stripped else 0
        found.append((position + offset, position + offset + len(stripped), stripped))
        position += len(part) + 1
    return found


def _line_above(text: str, position: int) -> str:
    """The nearest non-empty line before `position`, when it is short enough to be a caption."""
    lines = [line.strip(" #*\t") for line in text[max(0, position - 300) : position].splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines and len(lines[-1]) <= 100 else ""


def _line_start(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position
