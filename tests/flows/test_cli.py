"""The `newsfigures` command as a person uses it."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SHARED

runner = CliRunner()
SEEDS = SHARED / "seeds"
WP_SEED = SEEDS / "000_140bf886d35b26a4.txt"
TEXT_SEED = SEEDS / "001_c43b2bebcbf5fef7.txt"


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in (
        "demo",
        "run",
        "backfill",
        "reprocess",
        "import",
        "figures",
        "clean",
        "sql",
        "sources",
        "doctor",
    ):
        assert command in result.output


def test_sources_lists_the_demo_and_the_real_sources():
    result = runner.invoke(app, ["sources"])
    assert result.exit_code == 0
    assert "demo-wp" in result.output and "techcrunch" in result.output


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not here")
def test_both_seeds_import_into_the_warehouse(data_home):
    result = runner.invoke(app, ["import", str(WP_SEED), str(TEXT_SEED)])
    assert result.exit_code == 0, result.output
    assert result.output.count("imported") == 2
    db = duckdb.connect(str(data_home / "newsfigures.duckdb"), read_only=True)
    published = dict(db.execute("SELECT title, published::DATE::VARCHAR FROM articles").fetchall())
    assert sorted(published.values()) == ["2014-01-06", "2017-07-07"]
    shipments = db.execute(
        "SELECT value FROM figures_full WHERE entity = 'Xiaomi' AND period = '2017-Q2' "
        "AND metric = 'shipments' AND measure = 'level'"
    ).fetchall()
    assert shipments == [(23160000.0,)]


def test_a_file_that_is_not_an_article_is_rejected_with_its_reason(data_home, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text('{"id": 1, "title": {"rendered": "x"')
    result = runner.invoke(app, ["import", str(junk)])
    assert result.exit_code == 1
    assert "rejected" in result.output


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not here")
def test_sql_reads_the_published_warehouse_and_refuses_writes(data_home):
    assert runner.invoke(app, ["import", str(TEXT_SEED)]).exit_code == 0
    result = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM articles", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": 1}]
    refused = runner.invoke(app, ["sql", "DELETE FROM articles"])
    assert refused.exit_code != 0
    assert "read-only" in refused.output.lower()


def test_doctor_reports_versions_and_paths(data_home):
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0
    assert "duckdb" in result.output and "1.5.5" in result.output
    assert "warehouse lock" in result.output
