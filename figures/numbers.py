"""Numbers as written in news: digits with separators, number words, scales, fractions."""

from __future__ import annotations

import re

from figures.lexicon import alternation, load

_NUMBERS = load("numbers")
WORD_UNITS: dict[str, int] = _NUMBERS["units"]
HUNDREDS: dict[str, int] = _NUMBERS["hundreds"]
SCALES: dict[str, float] = _NUMBERS["scales"]
SCALES_ABBREV: dict[str, float] = _NUMBERS["scales_abbrev"]
FRACTIONS: dict[str, float] = _NUMBERS["fractions"]
FOLDS: dict[str, int] = _NUMBERS["folds"]

_ALL_WORDS = {**WORD_UNITS, **HUNDREDS, **SCALES}
WORD_UNITS_ALL = tuple(_ALL_WORDS)
_WORD = alternation(_ALL_WORDS)
# "Thirty-five", "two million", "one hundred and three", "a dozen", "a quarter million"
# "a" counts as one only before a multiplier: "a dozen", "a million", not "a four-door coupe"
_MULTIPLIER_WORD = alternation([*HUNDREDS, *SCALES, "dozen"])
WORDS_RE = re.compile(
    rf"(?:\b(?:(?:a|an)\s+(?:quarter\s+|half\s+)?|half\s+(?:a\s+)?)(?={_MULTIPLIER_WORD}))?{_WORD}(?:(?:\s+and\s+|\s+|-)(?={_WORD}){_WORD})*",
    re.IGNORECASE,
)
# Western grouping, Indian grouping ("12,34,567.89"), plain digits, a leading decimal point.
DIGITS_RE = re.compile(
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?!,?\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
)
SCALE_WORD_RE = re.compile(
    rf"\s*(?:-\s*)?({alternation(SCALES)})(?![\w-])|({alternation(SCALES_ABBREV, boundary=False)})(?![\w])|\s(bn|mn|tn)(?![\w])",
    re.IGNORECASE,
)


def parse_digits(text: str) -> float:
    """'1,011.15' -> 1011.15."""
    return float(text.replace(",", ""))


def parse_words(text: str) -> float | None:
    """'two million' -> 2e6, 'Thirty-five' -> 35, 'a quarter million' -> 250000; None if not a number."""
    words = re.split(r"[\s-]+", text.lower().strip())
    factor = 1.0
    if words and words[0] == "half":  # "half a million", "half million"
        factor, words = 0.5, [w for w in words[1:2] if w != "a"] + words[2:]
        words = ["one", *words] if words and (words[0] in SCALES or words[0] in HUNDREDS) else words
    if words and words[0] in ("a", "an"):
        words = words[1:]
        if words and words[0] in ("quarter", "half"):
            factor = 0.25 if words[0] == "quarter" else 0.5
            words = words[1:]
            if words and (words[0] in SCALES or words[0] in HUNDREDS):
                words = ["one", *words]
        elif (
            (words and words[0] in SCALES)
            or (words and words[0] in HUNDREDS)
            or words[:1] == ["dozen"]
        ):
            words = ["one", *words]
    if words and all(w in SCALES or w in HUNDREDS or w == "and" for w in words):
        return None  # "million" alone names no number ("millions of", "half million" aside)
    total, current, seen = 0.0, 0.0, False
    previous = ""
    for word in words:
        if word == "and":
            if previous not in HUNDREDS and previous not in SCALES:
                return None  # "one and one" is two numbers, not one
            previous = word
            continue
        if word == "dozen":  # "two dozen" multiplies, "a dozen" is twelve
            current = (current or 1) * 12
        elif word in WORD_UNITS:
            if previous in WORD_UNITS and not (
                WORD_UNITS[previous] >= 20
                and WORD_UNITS[previous] % 10 == 0
                and WORD_UNITS[word] < 10
            ):
                return None  # "five three": only "twenty" + "five" compose
            current += WORD_UNITS[word]
        elif word in HUNDREDS:
            current = (current or 1) * HUNDREDS[word]
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0.0
        else:
            return None
        seen = True
        previous = word
    if not seen:
        return None
    return (total + current) * factor


def scale_value(word: str) -> float:
    """'bn' -> 1e9, 'million' -> 1e6."""
    key = word.lower()
    return SCALES.get(key) or SCALES_ABBREV[key]


def parse_number(text: str) -> float | None:
    """Any number as written: '$94.8bn' is not a number, but '94.8bn', '18.7 million', 'two' are."""
    text = text.strip()
    if text[:1] in ("-", "−"):
        rest = parse_number(text[1:])
        return -rest if rest is not None else None
    match = DIGITS_RE.match(text)
    if match:
        value = parse_digits(match.group())
        rest = text[match.end() :]
        scale = SCALE_WORD_RE.match(rest)
        if scale:
            value *= scale_value(next(group for group in scale.groups() if group))
            rest = rest[scale.end() :]
        return value if not rest.strip() else None
    return parse_words(text)
