"""The data files in `figures/data/`, read once at import and shared by every module."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict:
    """One data file (`numbers`, `currencies`, ...) as a dict."""
    with (DATA_DIR / f"{name}.toml").open("rb") as handle:
        return tomllib.load(handle)


def alternation(words, *, boundary: bool = True) -> str:
    """A regex alternation of literal phrases, longest first so the longest one wins."""
    ordered = sorted(set(words), key=len, reverse=True)
    body = "|".join(re.escape(word) for word in ordered)
    return rf"(?:{body})" if not boundary else rf"(?<![\w])(?:{body})(?![\w])"


def data_version() -> str:
    """The joint version of all data files (they are bumped together)."""
    names = ("numbers", "currencies", "units", "lexicon", "periods", "companies", "regions")
    return max(load(name).get("version", "0") for name in names)
