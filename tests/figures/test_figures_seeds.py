"""The two seed documents, exactly as the spec's tables give them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from figures import extract

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "eval" / "figures-dev.jsonl"


def _seed(prefix: str) -> dict:
    if not DEV.exists():
        pytest.skip("../shared/eval is not here")
    for line in DEV.open(encoding="utf-8"):
        document = json.loads(line)
        if document["id"].startswith(prefix):
            return document
    pytest.skip(f"{prefix} not in the dev set")


def _by_surface(figures, surface):
    found = [f for f in figures if f.surface == surface]
    assert found, f"no figure {surface!r} in {[f.surface for f in figures]}"
    return found[0]


SEED_000 = [
    # surface, value, unit, item, metric, entity, period, qualifier, modality
    (
        "19 million phones",
        19e6,
        "count",
        "phones",
        "units_sold",
        "Xiaomi",
        "2013",
        "approx",
        "actual",
    ),
    (
        "18.7 million phones",
        18.7e6,
        "count",
        "phones",
        "units_sold",
        "Xiaomi",
        "2013",
        "exact",
        "actual",
    ),
    ("7 million", 7e6, "count", "phones", "units_sold", "Xiaomi", "2012", "exact", "actual"),
    (
        "40 million phones",
        40e6,
        "count",
        "phones",
        "units_sold",
        "Xiaomi",
        "2014",
        "at_least",
        "target",
    ),
]

SEED_001 = [
    # surface, value, unit, item, metric, measure, entity, region, period, modality, change_basis
    (
        "23.16 million",
        23.16e6,
        "count",
        "smartphones",
        "shipments",
        "level",
        "Xiaomi",
        None,
        "2017-Q2",
        "actual",
        None,
    ),
    (
        "70 percent",
        70,
        "percent",
        None,
        "shipments",
        "change",
        "Xiaomi",
        None,
        "2017-Q2",
        "actual",
        "qoq",
    ),
    (
        "123 Mi Home stores",
        123,
        "count",
        "stores",
        "stores",
        "level",
        "Xiaomi",
        "China",
        "2017-07-07",
        "actual",
        None,
    ),
    (
        "328 percent",
        328,
        "percent",
        None,
        "revenue",
        "change",
        "Xiaomi",
        "India",
        "2017-H1",
        "actual",
        "yoy",
    ),
    (
        "100 billion yuan",
        1e11,
        "CNY",
        None,
        "revenue",
        "level",
        "Xiaomi",
        None,
        "2017",
        "target",
        None,
    ),
    (
        "100 million smartphones",
        1e8,
        "count",
        "smartphones",
        "shipments",
        "level",
        "Xiaomi",
        None,
        "2018",
        "target",
        None,
    ),
]


@pytest.mark.parametrize("row", SEED_000, ids=[r[0] for r in SEED_000])
def test_seed_000_figures_match_the_spec_table(row):
    document = _seed("seeds/000")
    figures = extract(document["text"], published=document["published"], title=document["title"])
    surface, value, unit, item, metric, entity, period, qualifier, modality = row
    figure = _by_surface(figures, surface)
    assert (figure.value, figure.unit, figure.item, figure.metric) == (value, unit, item, metric)
    assert (figure.entity, figure.period, figure.qualifier, figure.modality) == (
        entity,
        period,
        qualifier,
        modality,
    )
    assert figure.measure == "level" and figure.equivalents == []


def test_seed_000_has_exactly_the_four_figures():
    document = _seed("seeds/000")
    figures = extract(document["text"], published=document["published"], title=document["title"])
    assert [f.surface for f in figures] == [row[0] for row in SEED_000]


@pytest.mark.parametrize("row", SEED_001, ids=[r[0] for r in SEED_001])
def test_seed_001_figures_match_the_spec_table(row):
    document = _seed("seeds/001")
    figures = extract(document["text"], published=document["published"], title=document["title"])
    surface, value, unit, item, metric, measure, entity, region, period, modality, basis = row
    figure = _by_surface(figures, surface)
    assert (figure.value, figure.unit, figure.item, figure.metric, figure.measure) == (
        value,
        unit,
        item,
        metric,
        measure,
    )
    assert (figure.entity, figure.region, figure.period, figure.modality) == (
        entity,
        region,
        period,
        modality,
    )
    assert figure.change_basis == basis
    assert figure.qualifier == "exact"


def test_seed_001_folds_the_dollar_equivalent_into_the_yuan_figure():
    document = _seed("seeds/001")
    figures = extract(document["text"], published=document["published"], title=document["title"])
    yuan = _by_surface(figures, "100 billion yuan")
    assert [(e.value, e.unit) for e in yuan.equivalents] == [(14.71e9, "USD")]
    assert not any(f.surface.startswith("14.71") for f in figures)


def test_seed_001_has_exactly_the_six_figures_and_no_non_figures():
    document = _seed("seeds/001")
    figures = extract(document["text"], published=document["published"], title=document["title"])
    assert [f.surface for f in figures] == [row[0] for row in SEED_001]
    assert all(f.rule for f in figures)
