"""Score the extractor on an annotated set, as `../shared/figures-spec.md` ("How extraction is
scored") defines: one-to-one matching of predicted and gold figures in the same document by
overlapping mention and |value| within 0.5%; value F1, value+unit F1, and accuracy over the
matched pairs for metric, entity, period, modality, measure, qualifier and the sign.

    python -m figures.eval [PATH] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from figures import EXTRACTOR_VERSION, extract

DEFAULT_PATH = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "figures-dev.jsonl"
ATTRIBUTES = ("metric", "entity", "period", "modality", "measure", "qualifier", "sign")
TARGETS = {
    "value_f1": 0.95,
    "value_unit_f1": 0.93,
    "metric": 0.85,
    "entity": 0.85,
    "period": 0.85,
    "modality": 0.90,
    "measure": 0.90,
}


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    matched_unit: int = 0
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ATTRIBUTES, 0))
    misses: list[str] = field(default_factory=list)

    def f1(self, hits: int) -> float:
        precision = hits / self.predicted if self.predicted else 0.0
        recall = hits / self.gold if self.gold else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def as_dict(self) -> dict[str, float]:
        result = {
            "documents_gold_figures": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "value_precision": self.matched / self.predicted if self.predicted else 0.0,
            "value_recall": self.matched / self.gold if self.gold else 0.0,
            "value_f1": self.f1(self.matched),
            "value_unit_f1": self.f1(self.matched_unit),
        }
        for name in ATTRIBUTES:
            result[name] = self.agree[name] / self.matched if self.matched else 0.0
        return result


def values_agree(predicted: float, gold: float) -> bool:
    """|value| within 0.5% (of the gold value)."""
    a, b = abs(predicted), abs(gold)
    if b == 0:
        return a == 0
    return abs(a - b) <= 0.005 * b


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def entity_agrees(predicted: str | None, gold: str | None) -> bool:
    """Case-insensitive; a name agrees with a longer form of itself ("Samsung" ~ "Samsung Electronics")."""
    if predicted is None or gold is None:
        return predicted is None and gold is None
    p, g = predicted.casefold().strip(), gold.casefold().strip()
    return p == g or g.startswith(p + " ") or p.startswith(g + " ")


def attribute_agrees(name: str, predicted: dict, gold: dict) -> bool:
    if name == "entity":
        return entity_agrees(predicted.get("entity"), gold.get("entity"))
    if name == "sign":
        return (predicted["value"] < 0) == (gold["value"] < 0)
    return predicted.get(name) == gold.get(name)


def match(predicted: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs, greedily by gold order, preferring the predicted figure of the same unit
    and then the closest start."""
    used: set[int] = set()
    pairs = []
    for g in gold:
        candidates = [
            (p["unit"] != g["unit"], abs(p["start"] - g["start"]), i)
            for i, p in enumerate(predicted)
            if i not in used and overlaps(p, g) and values_agree(p["value"], g["value"])
        ]
        if candidates:
            _, _, index = min(candidates)
            used.add(index)
            pairs.append((predicted[index], g))
    return pairs


def _collapse_shared_spans(figures: list[dict]) -> list[dict]:
    """A span that yields several records counts once (spec: "Scoring counts such a span once")."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for figure in figures:
        key = (figure["start"], figure["end"])
        if key in seen:
            continue
        seen.add(key)
        kept.append(figure)
    return kept


def score(documents: list[dict]) -> Scores:
    scores = Scores()
    for document in documents:
        predicted = [
            f.to_dict()
            for f in extract(document["text"], document.get("published"), document.get("title"))
        ]
        predicted = _collapse_shared_spans(predicted)
        gold = _collapse_shared_spans(document["figures"])
        pairs = match(predicted, gold)
        scores.gold += len(gold)
        scores.predicted += len(predicted)
        scores.matched += len(pairs)
        for p, g in pairs:
            scores.matched_unit += p["unit"] == g["unit"]
            for name in ATTRIBUTES:
                if attribute_agrees(name, p, g):
                    scores.agree[name] += 1
                else:
                    scores.misses.append(
                        f"{document['id']}\t{name}\t{g['surface']!r}\tgold={_attr(g, name)!r}\tgot={_attr(p, name)!r}"
                    )
            if p["unit"] != g["unit"]:
                scores.misses.append(
                    f"{document['id']}\tunit\t{g['surface']!r}\tgold={g['unit']!r}\tgot={p['unit']!r}"
                )
        matched_gold = {id(g) for _, g in pairs}
        matched_pred = {id(p) for p, _ in pairs}
        for g in gold:
            if id(g) not in matched_gold:
                scores.misses.append(
                    f"{document['id']}\tMISSED\t{g['surface']!r}\t{g['value']}\t{g['unit']}\t@{g['start']}"
                )
        for p in predicted:
            if id(p) not in matched_pred:
                scores.misses.append(
                    f"{document['id']}\tEXTRA\t{p['surface']!r}\t{p['value']}\t{p['unit']}\t@{p['start']}\t{p['rule']}"
                )
    return scores


def _attr(figure: dict, name: str):
    return figure["value"] if name == "sign" else figure.get(name)


def load_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report(scores: Scores) -> list[str]:
    lines = [f"extractor {EXTRACTOR_VERSION}"]
    values = scores.as_dict()
    for name, value in values.items():
        target = TARGETS.get(name)
        verdict = (
            ""
            if target is None
            else ("  PASS" if value >= target else "  FAIL") + f" (target {target:.2f})"
        )
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        lines.append(f"{name:24} {shown}{verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m figures.eval", description=__doc__.splitlines()[0]
    )
    parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
    parser.add_argument("--verbose", action="store_true", help="print every miss per document")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.exists():
        print(f"no evaluation set at {path}", file=sys.stderr)
        return 2
    scores = score(load_documents(path))
    if args.verbose:
        for line in scores.misses:
            print(line)
    for line in report(scores):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
