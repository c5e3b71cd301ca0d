"""Figures: numeric statements in news, extracted by explainable rules (`../shared/figures-spec.md`).

`extract(text, published=..., title=None) -> list[Figure]` is pure and deterministic; every
figure names the rule that produced it.
"""

from figures.extract import extract
from figures.records import Equivalent, Figure

EXTRACTOR_VERSION = "2026.11.3"

__all__ = ["EXTRACTOR_VERSION", "Equivalent", "Figure", "extract"]
