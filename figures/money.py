"""Currencies: signs and codes before an amount, names and minor units after it."""

from __future__ import annotations

import re

from figures.lexicon import alternation, load

_CURRENCIES = load("currencies")
PREFIXES: dict[str, str] = _CURRENCIES["prefix"]
SUFFIXES: dict[str, str] = _CURRENCIES["suffix"]
MINOR: dict[str, dict] = _CURRENCIES["minor"]
AMBIGUOUS: dict[str, dict[str, str]] = _CURRENCIES["ambiguous"]

# a sign or code right before the number ("US$ 5", "£6m", "RMB 100"); letters need a boundary
_SIGN_PREFIXES = [p for p in PREFIXES if not p[0].isalpha()]
_CODE_PREFIXES = [p for p in PREFIXES if p[0].isalpha()]
PREFIX_BEFORE_RE = re.compile(
    rf"(?:(?<![\w$])(?:{alternation(_CODE_PREFIXES, boundary=False)})\s?|(?:{alternation(_SIGN_PREFIXES, boundary=False)})\s?)$"
)
_MINOR_WORDS = [m for m in MINOR if m != "p"]
SUFFIX_AFTER_RE = re.compile(
    rf"\s*(?:({alternation(_MINOR_WORDS, boundary=False)})|({alternation(SUFFIXES, boundary=False)}))(?![\w])"
)
PENCE_ATTACHED_RE = re.compile(r"p(?![\w])")


def prefix_code(prefix: str) -> str:
    return PREFIXES[prefix.strip()]


def suffix_code(name: str, countries: frozenset[str]) -> str:
    """The ISO code for a currency name written after the amount; `countries` settles "pesos"."""
    key = name.split()[-1].lower() if name.split()[-1].lower() in AMBIGUOUS else None
    if key and name.lower() == key:
        choices = AMBIGUOUS[key]
        for country, code in choices.items():
            if country != "default" and country in countries:
                return code
        return choices["default"]
    return SUFFIXES[name]


def minor_unit(name: str) -> tuple[str, float]:
    """'pence' -> ('GBP', 100)."""
    entry = MINOR[name]
    return entry["code"], float(entry["per"])
