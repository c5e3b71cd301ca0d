"""What a person reads about a run: Prefect artifacts in the UI, and the same facts as text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

FIGURE_COLUMNS = (
    "article_id",
    "surface",
    "value",
    "unit",
    "metric",
    "entity",
    "period",
    "modality",
)
ARTIFACT_ROWS = 500  # the UI renders tables in the browser; a night's first rows are enough


def _rows(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if not path.exists():
        return rows
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def rejects_by_reason(run_dir: Path) -> Counter:
    return Counter((r["stage"], r["reason"]) for r in _rows(run_dir / "rejects.jsonl"))


def summary_markdown(info: dict[str, Any], run_dir: Path) -> str:
    lines = [
        f"# Run `{info['run_id']}`",
        "",
        f"Flow **{info['flow']}**, extractor `{info['extractor_version']}`, "
        f"{info['started_at']} to {info['finished_at']}.",
        "",
        "| source | crawl | pages | crawl rejects | articles | repeats | figures | process rejects | crawl s | process s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for crawl in info["crawls"].values():
        process = crawl.get("process") or {}
        lines.append(
            f"| {crawl['name']} | {crawl['crawl_status']} | {crawl['pages']} | {crawl['crawl_rejects']} "
            f"| {process.get('articles', 0)} | {process.get('repeats', 0)} | {process.get('figures', 0)} "
            f"| {sum(process.get('rejects', {}).values())} | {crawl['crawl_seconds']} | {crawl['process_seconds']} |"
        )
    load = info.get("load") or {}
    if load:
        lines += [
            "",
            "**Load**: "
            + ", ".join(f"{k} {v}" for k, v in load.items() if not isinstance(v, dict | list)),
        ]
    reasons = rejects_by_reason(run_dir)
    if reasons:
        lines += ["", "| stage | reason | rejects |", "|---|---|---:|"]
        lines += [f"| {stage} | {reason} | {n} |" for (stage, reason), n in reasons.most_common()]
    failed = [c for c in info["crawls"].values() if c.get("error")]
    for crawl in failed:
        lines += ["", f"**{crawl['name']} failed**: {crawl['error']}"]
    lines += ["", f"Published warehouse: `{info.get('published')}`"]
    return "\n".join(lines)


def figure_rows(run_dir: Path, limit: int = ARTIFACT_ROWS) -> list[dict[str, Any]]:
    return [
        {c: row.get(c) for c in FIGURE_COLUMNS} for row in _rows(run_dir / "figures.jsonl", limit)
    ]


def reject_rows(run_dir: Path, limit: int = ARTIFACT_ROWS) -> list[dict[str, Any]]:
    keys = ("source", "stage", "reason", "url", "detail")
    return [{k: row.get(k) for k in keys} for row in _rows(run_dir / "rejects.jsonl", limit)]


def publish_artifacts(info: dict[str, Any], run_dir: Path) -> None:
    """Artifacts with stable keys, so the UI shows each one's history night after night."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.context import FlowRunContext

    if (
        FlowRunContext.get() is None
    ):  # called outside a flow (e.g. a library user): nothing to attach to
        return
    flow = info["flow"]
    create_markdown_artifact(
        summary_markdown(info, run_dir), key=f"{flow}-summary", description="run summary"
    )
    figures = figure_rows(run_dir)
    create_table_artifact(
        figures or [{"note": "no new figures"}],
        key=f"{flow}-new-figures",
        description="the run's new figures (first 500)",
    )
    rejects = reject_rows(run_dir)
    create_table_artifact(
        rejects or [{"note": "no rejects"}],
        key=f"{flow}-rejects",
        description="the run's rejects (first 500)",
    )
