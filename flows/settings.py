"""Where the data lives and how runs are named; every path the flows use comes from here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DB_NAME = "newsfigures.duckdb"


def home() -> Path:
    return Path(os.environ.get("NEWSFIGURES_HOME", "data")).resolve()


def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def new_run_id(flow: str, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%S}Z-{flow}"


@dataclass(frozen=True, slots=True)
class Paths:
    """The data home's layout (see docs/contracts.md)."""

    root: Path

    @property
    def published_db(self) -> Path:
        return self.root / DB_NAME

    @property
    def private_db(self) -> Path:
        return self.root / "private" / DB_NAME

    def raw_dir(self, run_id: str, source: str) -> Path:
        return self.root / "raw" / run_id / source

    def run_dir(self, run_id: str) -> Path:
        return self.root / "runs" / run_id

    def raw_runs(self) -> list[Path]:
        raw = self.root / "raw"
        return sorted(p for p in raw.iterdir() if p.is_dir()) if raw.exists() else []


def paths(root: Path | None = None) -> Paths:
    return Paths(root or home())
