"""Small run folders (docs/contracts.md) written with the stages' own record classes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from articles.records import Article
from figures.records import Equivalent, Figure
from spiders.records import Reject

EXTRACTOR = "rules-1"


def fingerprint_of(text: str) -> str:
    """A stand-in SimHash: distinct texts get unrelated 64-bit values."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def flip_bits(fingerprint: str, bits: int, shift: int = 0) -> str:
    """The fingerprint with `bits` bits flipped from bit `shift` up (Hamming distance = bits)."""
    value = int(fingerprint, 16) ^ (((1 << bits) - 1) << shift)
    return f"{value:016x}"


def article(
    article_id: str,
    text: str,
    *,
    published: str | None = "2017-07-07T00:00:00Z",
    source: str = "demo-wp",
    title: str | None = None,
    fingerprint: str | None = None,
) -> Article:
    return Article(
        article_id=article_id,
        url=f"http://127.0.0.1/{source}/{article_id}",
        canonical_url=f"http://127.0.0.1/news/{article_id}",
        title=title or f"Title of {article_id}",
        text=text,
        published=published,
        published_source="wp_api",
        language="en",
        authors=["Reporter"],
        categories=["Mobile"],
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        fingerprint=fingerprint or fingerprint_of(text),
        word_count=len(text.split()),
        source=source,
        raw_path=f"raw/{source}/{article_id}.gz",
    )


def figure(
    value: float,
    *,
    metric: str = "shipments",
    entity: str | None = "Xiaomi",
    period: str | None = "2017-Q2",
    unit: str = "count",
    modality: str = "actual",
    measure: str = "level",
    qualifier: str = "exact",
    surface: str = "23.16 million",
    equivalents: list[Equivalent] | None = None,
) -> Figure:
    return Figure(
        value=value,
        unit=unit,
        metric=metric,
        measure=measure,
        qualifier=qualifier,
        modality=modality,
        surface=surface,
        start=0,
        end=len(surface),
        sentence=f"It said {surface}.",
        rule="test",
        entity=entity,
        period=period,
        item="smartphones" if unit == "count" else None,
        equivalents=equivalents or [],
    )


def reject(
    url: str, reason: str = "http_404", stage: str = "crawl", source: str = "demo-wp"
) -> Reject:
    return Reject(
        url=url,
        stage=stage,
        reason=reason,
        detail=f"{reason} at {url}",
        source=source,
        at="2017-07-07T02:00:00Z",
    )


def write_run(
    root: Path,
    run_id: str,
    articles: list[Article] = (),
    figures: dict[str, list[Figure]] | None = None,
    rejects: list[Reject] = (),
    states: dict[str, dict] | None = None,
    extractor_version: str = EXTRACTOR,
    flow: str = "nightly",
) -> Path:
    """Write runs/<run_id>/ under root; figures maps article_id -> its figures in order."""
    run_dir = root / "runs" / run_id
    (run_dir / "state").mkdir(parents=True, exist_ok=True)
    sources = sorted({a.source for a in articles} | set(states or {}) | {"demo-wp"})
    meta = {
        "run_id": run_id,
        "flow": flow,
        "flow_run_id": f"flow-run-{run_id}",
        "started_at": "2017-07-07T02:00:00Z",
        "finished_at": "2017-07-07T02:05:00Z",
        "extractor_version": extractor_version,
        "sources": [
            {"name": s, "kind": "wordpress", "start_url": f"http://127.0.0.1/{s}"} for s in sources
        ],
        "crawls": {s: {"pages": 1, "rejects": 0, "stats": {}, "status": "ok"} for s in sources},
    }
    (run_dir / "run.json").write_text(json.dumps(meta))
    _write_jsonl(run_dir / "articles.jsonl", [{**a.to_dict(), "run_id": run_id} for a in articles])
    lines = []
    for article_id, figs in (figures or {}).items():
        for ordinal, fig in enumerate(figs):
            lines.append(
                {
                    "article_id": article_id,
                    "ordinal": ordinal,
                    **asdict(fig),
                    "extractor_version": extractor_version,
                }
            )
    _write_jsonl(run_dir / "figures.jsonl", lines)
    _write_jsonl(run_dir / "rejects.jsonl", [{**r.to_dict(), "run_id": run_id} for r in rejects])
    for source, state in (states or {}).items():
        (run_dir / "state" / f"{source}.json").write_text(json.dumps(state))
    return run_dir


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
