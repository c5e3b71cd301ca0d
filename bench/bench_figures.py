"""Figures extractor vs quantulum3 on the same sentences: sentences/s for both and the ratio.

Sentences come from the dev set and the article-extraction benchmark's ground-truth bodies in
`../shared/`. quantulum3 runs with its bundled data only (nothing is downloaded).

    python -m bench.bench_figures
"""

from __future__ import annotations

import json
import resource
import time
import warnings
from pathlib import Path

from figures.extract import extract
from figures.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DEV = SHARED / "eval" / "figures-dev.jsonl"
BODIES = SHARED / "corpora" / "article_html" / "ground-truth.json"
MAX_SENTENCES = 3000


def sentences(limit: int = MAX_SENTENCES) -> list[str]:
    """Sentences with at least one digit, dev set first, then ground-truth article bodies."""
    texts: list[str] = []
    if DEV.exists():
        texts += [json.loads(line)["text"] for line in DEV.open(encoding="utf-8") if line.strip()]
    if BODIES.exists():
        bodies = json.loads(BODIES.read_text(encoding="utf-8"))
        texts += [entry.get("articleBody") or "" for entry in bodies.values()]
    found: list[str] = []
    for text in texts:
        for sentence in split_sentences(text):
            if any(ch.isdigit() for ch in sentence.text):
                found.append(sentence.text)
                if len(found) >= limit:
                    return found
    return found


def _rate(function, items: list[str]) -> float:
    """Sentences per CPU second (process time: other work on the machine does not count)."""
    start = time.process_time()
    for item in items:
        function(item)
    elapsed = time.process_time() - start
    return len(items) / elapsed if elapsed else float("inf")


def run() -> dict:
    """{stage, rate, baseline_rate, ratio, peak_rss_mb, sentences, goal} for the figures stage."""
    items = sentences()
    if not items:
        raise RuntimeError(f"no sentences found under {SHARED}")
    extract(items[0], published="2020-01-01")  # warm: regexes compile at import, caches fill
    rate = _rate(lambda s: extract(s, published="2020-01-01"), items)
    with warnings.catch_warnings():  # it warns that its optional classifier is not installed
        warnings.simplefilter("ignore")
        from quantulum3 import parser  # imported late: its start-up is not ours to measure

    parser.parse(items[0])
    baseline = _rate(parser.parse, items)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "stage": "figures",
        "sentences": len(items),
        "rate": round(rate, 1),
        "baseline_rate": round(baseline, 1),
        "ratio": round(rate / baseline, 2) if baseline else None,
        "peak_rss_mb": round(peak, 1),
        "goal": ">= 1",  # at least as fast as quantulum3 on the same sentences
    }


def main() -> None:
    result = run()
    print(f"sentences          {result['sentences']}")
    print(f"figures            {result['rate']:.1f} sentences/s")
    print(f"quantulum3         {result['baseline_rate']:.1f} sentences/s")
    print(f"ratio              {result['ratio']}x")
    print(f"peak RSS           {result['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
