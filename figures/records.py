"""The extract stage's output, as `../shared/figures-spec.md` defines a figure."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Equivalent:
    value: float
    unit: str


@dataclass(slots=True)
class Figure:
    value: float
    unit: str
    metric: str
    measure: str  # level | change | share
    qualifier: str  # exact | approx | at_least | at_most | range
    modality: str  # actual | target | forecast
    surface: str
    start: int
    end: int
    sentence: str
    rule: str  # the rule that produced it: figures are explainable
    value_high: float | None = None
    item: str | None = None
    entity: str | None = None
    region: str | None = None
    period: str | None = None
    change_basis: str | None = None
    equivalents: list[Equivalent] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
