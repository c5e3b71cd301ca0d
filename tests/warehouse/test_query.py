"""Read-only SQL on the published copy, output formats, full-text search and the sql command."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import pytest
import typer
from typer.testing import CliRunner

import warehouse
from tests.warehouse.helpers import article, figure, write_run
from warehouse.cli import sql
from warehouse.query import open_published

RUN1 = "20170707T020000Z-nightly"


@pytest.fixture(scope="module")
def published_wh(tmp_path_factory):
    """One published warehouse shared by the read-only tests of this module."""
    tmp_path = tmp_path_factory.mktemp("published")
    db, published = tmp_path / "private" / "newsfigures.duckdb", tmp_path / "newsfigures.duckdb"
    articles = [
        article(
            "xiaomi-q2",
            "Xiaomi shipped 23.16 million smartphones in the second quarter.",
            title="Xiaomi ships record",
        ),
        article(
            "tesla-2020",
            "Tesla delivered 499,550 cars in 2020, just short of half a million.",
            title="Tesla deliveries",
        ),
    ]
    figures = {
        "xiaomi-q2": [figure(23160000)],
        "tesla-2020": [figure(499550, entity="Tesla", period="2020")],
    }
    warehouse.load_run(db, write_run(tmp_path, RUN1, articles, figures))
    return warehouse.publish(db, published)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO articles (article_id) VALUES ('x')",
        "DELETE FROM figures",
        "UPDATE articles SET title = 'x'",
        "CREATE TABLE t AS SELECT 1",
        "DROP VIEW facts",
        "ATTACH 'other.duckdb' AS other",
        "COPY articles TO 'out.csv'",
        "COPY (SELECT 1) TO 'out.parquet' (FORMAT parquet)",
        "PRAGMA create_fts_index('articles', 'article_id', 'text', overwrite=1)",
        "PRAGMA drop_fts_index('articles')",
        "SELECT 1; DELETE FROM figures",
        "EXPLAIN ANALYZE DELETE FROM figures",
        "INSTALL fts",
        "SET threads = 1",
    ],
)
def test_writes_are_refused_before_anything_runs(published_wh, statement):
    with pytest.raises(warehouse.ReadOnlyError, match="refused"):
        warehouse.run_sql(published_wh, statement)
    assert (
        "".join(warehouse.run_sql(published_wh, "SELECT count(*) AS n FROM figures", fmt="csv"))
        == "n\n2\n"
    )


def test_the_connection_itself_is_read_only_and_closed_to_the_file_system(published_wh):
    con = open_published(published_wh)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("DELETE FROM figures")
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            con.execute("COPY (SELECT 1) TO '/tmp/should-not-exist.csv'")
    finally:
        con.close()


def test_reads_in_every_format(published_wh):
    query = "SELECT entity, value, period FROM figures ORDER BY value"
    table = "".join(warehouse.run_sql(published_wh, query))
    assert "Tesla" in table and "2 rows" in table
    parsed = list(
        csv.DictReader(io.StringIO("".join(warehouse.run_sql(published_wh, query, fmt="csv"))))
    )
    assert parsed == [
        {"entity": "Tesla", "value": "499550.0", "period": "2020"},
        {"entity": "Xiaomi", "value": "23160000.0", "period": "2017-Q2"},
    ]
    records = json.loads("".join(warehouse.run_sql(published_wh, query, fmt="json")))
    assert records[1] == {"entity": "Xiaomi", "value": 23160000.0, "period": "2017-Q2"}
    assert (
        json.loads("".join(warehouse.run_sql(published_wh, query + " LIMIT 0", fmt="json"))) == []
    )
    plan = "".join(warehouse.run_sql(published_wh, "EXPLAIN ANALYZE SELECT count(*) FROM figures"))
    assert "physical_plan" in plan or "analyzed_plan" in plan
    limited = "".join(warehouse.run_sql(published_wh, "SELECT * FROM range(5000)", limit=3))
    assert "3 rows shown; more rows follow" in limited


def test_long_results_stream_in_chunks(published_wh):
    chunks = list(warehouse.run_sql(published_wh, "SELECT range AS n FROM range(2500)", fmt="csv"))
    assert len(chunks) >= 3
    assert "".join(chunks).splitlines()[-1] == "2499"


def test_full_text_search_finds_an_article_by_a_stemmed_word(published_wh):
    con = open_published(published_wh)
    try:
        settings = con.execute(
            "SELECT current_setting('allow_unsigned_extensions'), "
            "current_setting('autoinstall_known_extensions'), "
            "(SELECT count(*) > 0 FROM duckdb_functions() WHERE function_name = 'stem')"
        ).fetchone()
    finally:
        con.close()
    assert settings == (False, False, True)  # loaded by path, signature checked, no downloads
    found = list(
        warehouse.run_sql(published_wh, "SELECT article_id FROM search('delivery') ", fmt="json")
    )
    assert json.loads("".join(found)) == [{"article_id": "tesla-2020"}]


def test_without_the_extension_search_falls_back_to_plain_matching(
    tmp_path, monkeypatch, db, published
):
    monkeypatch.setattr("warehouse.fts.extension_path", lambda: None)
    stats = warehouse.load_run(
        db, write_run(tmp_path, RUN1, [article("x", "Xiaomi shipped phones.", title="Xiaomi")])
    )
    assert stats.fts is False
    warehouse.publish(db, published)
    out = json.loads(
        "".join(
            warehouse.run_sql(
                published, "SELECT article_id, score FROM search('XIAOMI phones')", fmt="json"
            )
        )
    )
    assert out == [{"article_id": "x", "score": 4.0}]


def test_the_sql_command_prints_results_and_refuses_writes_with_a_clear_message(published_wh):
    app = typer.Typer()
    app.command("sql")(sql)
    runner = CliRunner()
    ok = runner.invoke(
        app, ["SELECT entity FROM facts ORDER BY 1", "--db", str(published_wh), "--format", "csv"]
    )
    assert ok.exit_code == 0 and ok.stdout == "entity\nTesla\nXiaomi\n"
    refused = runner.invoke(app, ["DELETE FROM figures", "--db", str(published_wh)])
    assert refused.exit_code == 2
    assert "refused: DELETE statements are not allowed" in refused.output
    missing = runner.invoke(app, ["SELECT 1", "--db", str(published_wh.parent / "nope.duckdb")])
    assert missing.exit_code == 2 and "no warehouse at" in missing.output


def test_summary_describes_the_warehouse(published_wh):
    summary = warehouse.summary(published_wh)
    assert summary["articles"] == 2 and summary["figures"] == 2
    assert summary["articles_per_source"] == [{"source": "demo-wp", "articles": 2}]
    assert summary["runs"][0]["status"] == "complete"
