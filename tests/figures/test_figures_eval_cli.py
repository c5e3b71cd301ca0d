"""The dev-set evaluation (`python -m figures.eval`) and the CLI contract."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from figures import eval as figures_eval
from figures.cli import run_batch, run_single

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "figures-dev.jsonl"

# The targets, every one.
FLOORS = dict(figures_eval.TARGETS)


@pytest.fixture(scope="module")
def dev_scores():
    if not DEV.exists():
        pytest.skip("../shared/eval is not here")
    return figures_eval.score(figures_eval.load_documents(DEV)).as_dict()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dev_set_scores_reach_their_floor(dev_scores, name):
    assert dev_scores[name] >= FLOORS[name], f"{name} = {dev_scores[name]:.3f}"


def test_matching_is_one_to_one_by_overlap_and_value():
    gold = [{"start": 0, "end": 5, "value": 100.0, "unit": "USD"}]
    predicted = [
        {"start": 0, "end": 4, "value": 100.4, "unit": "USD"},
        {"start": 1, "end": 5, "value": 100.0, "unit": "USD"},
        {"start": 10, "end": 15, "value": 100.0, "unit": "USD"},
    ]
    pairs = figures_eval.match(predicted, gold)
    assert len(pairs) == 1 and pairs[0][0]["start"] in (0, 1)
    assert not figures_eval.values_agree(101.0, 100.0)


def test_entity_agreement_is_case_insensitive_and_accepts_the_longer_form():
    assert figures_eval.entity_agrees("samsung", "Samsung Electronics")
    assert not figures_eval.entity_agrees("Sam", "Samsung")
    assert figures_eval.entity_agrees(None, None) and not figures_eval.entity_agrees("Apple", None)


def test_eval_prints_every_score_and_a_verdict_per_target(capsys):
    if not DEV.exists():
        pytest.skip("../shared/eval is not here")
    assert figures_eval.main([str(DEV)]) == 0
    out = capsys.readouterr().out
    for name in [*figures_eval.TARGETS, "qualifier", "sign"]:
        assert name in out
    assert out.count("PASS") + out.count("FAIL") == len(figures_eval.TARGETS)


def test_single_prints_one_json_object_per_figure_with_its_rule():
    out = io.StringIO()
    count = run_single("Xiaomi sold 18.7 million phones last year.", "2014-01-05", None, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == 1 and lines[0]["value"] == 18.7e6 and lines[0]["period"] == "2013"
    assert lines[0]["rule"] == "count.noun_after"


def test_batch_keeps_ids_and_reports_bad_lines_without_losing_the_rest():
    source = io.StringIO(
        json.dumps({"id": "a", "text": "Profit rose 5%.", "published": "2020-01-01"})
        + "\nnot json\n"
        + json.dumps({"id": "b", "text": "No numbers.", "published": "2020-01-01"})
        + "\n"
    )
    out = io.StringIO()
    assert run_batch(source, out) == 2
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "b"]
    assert rows[0]["figures"][0]["value"] == 5 and "line 2" in rows[1]["error"]
    assert rows[2]["figures"] == []


def test_a_bad_publication_date_is_a_clear_error():
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        run_single("Profit rose 5%.", "last week", None, io.StringIO())
