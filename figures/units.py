"""Physical, data and time units after a number ("80GB", "20Mbps", "91 minutes")."""

from __future__ import annotations

import re

from figures.lexicon import alternation, load

_UNITS = load("units")
UNITS: dict[str, str] = _UNITS["units"]
ATTACHED_ONLY = set(_UNITS["attached_only"]["names"])
CASE_SENSITIVE = set(_UNITS["case_sensitive"]["names"])
DURATIONS = set(_UNITS["durations"]["names"])
SPEC_UNITS = set(_UNITS["spec_units"]["names"])
_LOWER = {name.lower(): symbol for name, symbol in UNITS.items() if name not in CASE_SENSITIVE}

_SPACED = [n for n in UNITS if n not in ATTACHED_ONLY]
UNIT_AFTER_RE = re.compile(
    rf"(?:(?P<attached>{alternation(UNITS, boundary=False)})|(?:\s+|\s?-\s?)(?P<spaced>{alternation(_SPACED, boundary=False)}))(?![\w])",
    re.IGNORECASE,
)


def unit_symbol(name: str) -> str | None:
    """The spec's symbol for a unit as written, or None when case rules it out ("Mi" is no unit)."""
    if name in UNITS and name in CASE_SENSITIVE:
        return UNITS[name]
    return _LOWER.get(name.lower())
