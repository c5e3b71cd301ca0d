"""Body-extraction quality as the article-extraction benchmark scores it.

Per page: multisets of word 4-gram shingles (`\\w+` tokens) of the expected and the extracted
text give true positives, false positives and false negatives, normalised to sum to 1 so long
pages weigh no more than short ones. Over a corpus: precision and recall are averaged over
pages, and F1 is their harmonic mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from statistics import mean

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _shingle_counts(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def page_counts(expected: str, extracted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) shares of one page's shingles."""
    truth, pred = _shingle_counts(expected), _shingle_counts(extracted)
    tp = sum((truth & pred).values())
    fp = sum((pred - truth).values())
    fn = sum((truth - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def corpus_scores(pages: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    """{'precision', 'recall', 'f1'} over pages' (tp, fp, fn)."""
    pages = list(pages)
    precision = mean(_precision(*p) for p in pages if p[0] + p[1] > 0) if pages else 0.0
    recall = mean(_recall(*p) for p in pages if p[0] + p[2] > 0) if pages else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
