"""Sentences with their character offsets, so every figure keeps its place in the article."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "inc", "co", "corp", "ltd", "plc", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "e.g", "i.e", "u.s", "u.k", "u.n", "approx", "est", "gov", "gen", "rep", "sen", "fig", "ave",
    "mt", "ft", "rs", "bros", "dept", "univ", "a.m", "p.m", "etc",
}  # fmt: skip
_BREAK = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9£$€¥])|\n\s*")


_LAST_TOKEN_RE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


def _ends_in_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation or an initial ("Inc.", "J.")."""
    if text[dot] != ".":
        return False
    word = _LAST_TOKEN_RE.search(text, max(0, dot - 24), dot)
    if not word:
        return False
    token = word.group(1).lower()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, stripped, with offsets into `text`."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BREAK.finditer(text):
        if match.group().startswith(".") and _ends_in_abbreviation(text, match.start()):
            continue
        _add(sentences, text, start, match.end())
        start = match.end()
    _add(sentences, text, start, len(text))
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))
