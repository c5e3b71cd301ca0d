"""Shared material for the clean-stage tests: real corpora (skipped when absent)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEEDS = SHARED / "seeds"
ARTICLE_HTML = SHARED / "corpora" / "article_html"
NEWSPAPER = SHARED / "corpora" / "pages" / "newspaper4k_en"


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="session")
def ground_truth() -> dict:
    return json.loads((need(ARTICLE_HTML) / "ground-truth.json").read_text())


@pytest.fixture(scope="session")
def english_ids() -> list[str]:
    return (need(ARTICLE_HTML) / "english_ids.txt").read_text().split()


def article_html(page_id: str) -> bytes:
    return gzip.decompress((need(ARTICLE_HTML) / "html" / f"{page_id}.html.gz").read_bytes())


def seed(name: str) -> bytes:
    matches = sorted(need(SEEDS).glob(f"{name}_*.txt"))
    if not matches:
        pytest.skip(f"seed {name} is not available")
    return matches[0].read_bytes()
