"""Numbered migrations, recorded in the database, applied to files of an older schema."""

from __future__ import annotations

import duckdb
import pytest

import warehouse
from tests.warehouse.conftest import rows
from tests.warehouse.helpers import article, figure, write_run
from warehouse.db import OFFLINE_CONFIG, migrations


def test_migrations_are_numbered_without_gaps_and_recorded_once(db):
    con = warehouse.connect_writer(db)
    con.close()
    con = warehouse.connect_writer(db)  # a second open applies nothing again
    recorded = con.execute(
        "SELECT version, name FROM schema_migrations ORDER BY version"
    ).fetchall()
    con.close()
    assert recorded == [(m.version, m.name) for m in migrations()]
    assert recorded[-1][0] == warehouse.latest_version() >= 2


def test_a_database_of_schema_version_1_is_migrated_with_its_data_kept(tmp_path, db):
    db.parent.mkdir(parents=True)
    old = duckdb.connect(str(db), config=dict(OFFLINE_CONFIG))
    assert warehouse.apply_migrations(old, upto=1) == [1]
    old.execute(
        "INSERT INTO runs (run_id, status) VALUES ('20170101T000000Z-nightly', 'complete');"
        "INSERT INTO articles (article_id, title, text, published, version, first_run_id, last_run_id, version_run_id)"
        " VALUES ('old', 'Xiaomi in 2013', 'Xiaomi sold 18.7 million phones in 2013.', '2014-01-05', 1,"
        " '20170101T000000Z-nightly', '20170101T000000Z-nightly', '20170101T000000Z-nightly');"
        "INSERT INTO figures (article_id, ordinal, value, unit, metric, measure, entity, period, qualifier, modality, run_id)"
        " VALUES ('old', 0, 18700000, 'count', 'units_sold', 'level', 'Xiaomi', '2013', 'exact', 'actual', '20170101T000000Z-nightly')"
    )
    assert warehouse.schema_version(old) == 1
    old.close()

    con = warehouse.connect_writer(db)
    assert warehouse.schema_version(con) == warehouse.latest_version()
    assert con.execute("SELECT entity, period, value, n_articles FROM facts").fetchall() == [
        ("Xiaomi", "2013", 18700000.0, 1)
    ]
    con.close()
    run = write_run(
        tmp_path,
        "20170707T020000Z-nightly",
        [article("new", "Xiaomi shipped 23.16 million.")],
        {"new": [figure(23160000)]},
    )
    warehouse.load_run(db, run)
    assert rows(db, "SELECT article_id FROM articles ORDER BY 1") == [("new",), ("old",)]
    assert rows(db, "SELECT count(*) FROM search_plain('xiaomi')") == [(2,)]


def test_a_failing_migration_is_rolled_back_and_named(tmp_path, monkeypatch, db):
    broken = tmp_path / "migrations"
    broken.mkdir()
    for m in migrations():
        (broken / m.path.name).write_text(m.sql())
    (broken / f"{len(migrations()) + 1:03d}_broken.sql").write_text(
        "CREATE TABLE half_done (x INTEGER); SELECT nope;"
    )
    monkeypatch.setattr("warehouse.db.MIGRATIONS_DIR", broken)
    with pytest.raises(RuntimeError, match=r"broken\.sql"):
        warehouse.connect_writer(db)
    monkeypatch.undo()
    con = warehouse.connect_writer(db)
    assert con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'half_done'"
    ).fetchone() == (0,)
    con.close()
