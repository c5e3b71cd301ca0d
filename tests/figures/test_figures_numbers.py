"""The number layer: digits, words, scales, currencies, and the public test suites' cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from figures.mentions import find_mentions
from figures.numbers import parse_number

NUMBERS = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "numbers"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two million", 2e6),
        ("Thirty-five", 35),
        ("one hundred and three", 103),
        ("a dozen", 12),
        ("a quarter million", 250_000),
        ("18.7 million", 18.7e6),
        ("94.8bn", 94.8e9),
        ("1,011.15", 1011.15),
        ("537m", 537e6),
    ],
)
def test_parse_number_reads_digits_words_and_scales(text, value):
    assert parse_number(text) == pytest.approx(value)


def _mentions(text: str):
    return [
        (text[m.start : m.end], m.value, m.unit)
        for m in find_mentions(text, 0, len(text), frozenset())
    ]


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [
        ("Apple's revenue was $94.8bn in the quarter.", "$94.8bn", 94.8e9, "USD"),
        ("It sold 52.2m iPhones.", "52.2m iPhones", 52.2e6, "count"),
        (
            "The goal is 100 billion yuan (14.71 billion US dollars).",
            "100 billion yuan",
            1e11,
            "CNY",
        ),
        ("Profit rose to HK$3.2bn.", "HK$3.2bn", 3.2e9, "HKD"),
        ("It raised US$ 500 million.", "US$ 500 million", 5e8, "USD"),
        ("Sales hit ₹1,200 crore.", "₹1,200 crore", 1.2e10, "INR"),
        ("A fee of 40 euro cents.", "40 euro cents", 0.4, "EUR"),
        ("Shares closed at 510.75 pence.", "510.75 pence", 5.1075, "GBP"),
        ("A dividend of 31p a share.", "31p", 0.31, "GBP"),
        ("It fell to 74.27 U.S. cents.", "74.27 U.S. cents", 0.7427, "USD"),
        ("Rates rose by 0.25 percentage points.", "0.25 percentage points", 0.25, "pp"),
        ("It has 8.5 per cent of the market.", "8.5 per cent", 8.5, "percent"),
        ("A 20Mbps line and an 80GB drive.", "20Mbps", 20, "mbps"),
    ],
)
def test_money_percent_and_units_take_their_sign_scale_and_unit(text, surface, value, unit):
    found = _mentions(text)
    assert (surface, pytest.approx(value), unit) in [(s, v, u) for s, v, u in found], found


@pytest.mark.parametrize(
    "text",
    [
        "The Mi 6 and the iPhone 5 run Windows 10.",
        "It was the fourth company, number one in China.",
        "It opened on July 7 in 2012.",
        "The 3G and 5G networks.",
        "Over the next 12 months it will grow.",
        "Call 020 7946 0000 now.",
    ],
)
def test_non_figures_yield_no_mention(text):
    assert _mentions(text) == []


def _cases(name: str) -> list[dict]:
    path = NUMBERS / f"{name}.jsonl"
    if not path.exists():
        pytest.skip("../shared/eval/numbers is not here")
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _recall(name: str) -> float:
    total = hit = 0
    for case in _cases(name):
        text = case["input"]
        values = [(m.value, m.value_high) for m in find_mentions(text, 0, len(text), frozenset())]
        for expected in case["expected"] or []:
            value = expected.get("value_num")
            if value is None:
                continue
            total += 1
            hit += any(
                abs(v - value) <= 1e-6 * max(1.0, abs(value))
                or (h is not None and abs(h - value) <= 1e-6 * max(1.0, abs(value)))
                for v, h in values
            )
    return hit / total


def test_recognizers_currency_cases_are_mostly_read():
    # 121 of these are tokenised WSJ sentences ("$ 75 million"); the rest are synthetic strings.
    assert _recall("rt_en_currency") >= 0.75


def test_recognizers_percent_cases_are_mostly_read():
    assert _recall("rt_en_percent") >= 0.8


def test_quantulum3_inputs_that_crashed_it_do_not_crash_us():
    for case in _cases("quantulum3_en_no_crash"):
        find_mentions(case["input"], 0, len(case["input"]), frozenset())


@pytest.mark.parametrize(
    ("text", "value"),
    [("half a million", 5e5), ("12,34,567.89", 1234567.89), ("-9.5", -9.5), ("two dozen", 24)],
)
def test_parse_number_reads_halves_indian_grouping_and_signs(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["million", "one and one", "five three"])
def test_word_sequences_that_are_not_one_number_parse_to_none(text):
    assert parse_number(text) is None
