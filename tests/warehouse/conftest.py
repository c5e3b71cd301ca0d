from __future__ import annotations

from pathlib import Path

import pytest

import warehouse


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The private warehouse file of a fresh data home."""
    return tmp_path / "private" / "newsfigures.duckdb"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return tmp_path / "newsfigures.duckdb"


def table_sums(db_path: Path) -> dict[str, str]:
    con = warehouse.connect_reader(db_path)
    try:
        return warehouse.checksum(con)
    finally:
        con.close()


def rows(db_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = warehouse.connect_reader(db_path)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
