"""Minimum scores on the held-out demo articles (`heldout/demo-heldout.jsonl`, annotated from
the spec by hand; rebuilt by `heldout/build_heldout.py`). The floors sit a little below what the
extractor reaches, so a change that generalises worse fails here even when the dev set passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from figures import eval as figures_eval

HELDOUT = Path(__file__).resolve().parent / "heldout" / "demo-heldout.jsonl"

FLOORS = {
    "value_f1": 0.96,
    "value_unit_f1": 0.96,
    "metric": 0.89,
    "entity": 0.91,
    "period": 0.88,
    "modality": 0.95,
    "measure": 0.94,
}


@pytest.fixture(scope="module")
def heldout_scores():
    return figures_eval.score(figures_eval.load_documents(HELDOUT)).as_dict()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_heldout_scores_reach_their_floor(heldout_scores, name):
    assert heldout_scores[name] >= FLOORS[name], f"{name} = {heldout_scores[name]:.3f}"


def test_the_heldout_set_has_every_field_the_spec_names():
    documents = figures_eval.load_documents(HELDOUT)
    assert len(documents) >= 8
    fields = {"value", "value_high", "unit", "item", "metric", "measure", "entity", "region",
              "period", "qualifier", "modality", "change_basis", "equivalents", "surface",
              "start", "end"}  # fmt: skip
    for document in documents:
        for figure in document["figures"]:
            assert fields <= set(figure)
            assert document["text"][figure["start"] : figure["end"]] == figure["surface"]
