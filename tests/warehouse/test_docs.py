"""The data dictionary covers the schema, and the documented example queries answer."""

from __future__ import annotations

import json

import warehouse
from tests.warehouse.helpers import article, figure, write_run
from warehouse.dictionary import DOC, render, schema_rows
from warehouse.examples import EXAMPLES


def test_every_table_view_and_column_is_described_and_the_dictionary_is_current():
    relations, columns = schema_rows()
    assert not [name for name, _kind, comment in relations if not comment]
    assert not [(table, column) for table, column, _type, comment in columns if not comment]
    doc = DOC.read_text(encoding="utf-8")
    assert doc == render(), "docs/data-dictionary.md is stale: run python -m warehouse.dictionary"
    for table, column, _type, _comment in columns:
        assert f"### `{table}`" in doc and f"| `{column}` |" in doc


def test_the_example_queries_answer_on_a_small_warehouse(tmp_path, db, published):
    q1 = article(
        "xiaomi-q1",
        "Xiaomi shipped 15 million smartphones in Q1 and aims for 100 billion yuan in revenue.",
        published="2017-04-20T00:00:00Z",
        title="Xiaomi first quarter",
    )
    q2 = article(
        "xiaomi-q2",
        "Xiaomi shipped 23.16 million smartphones in the second quarter, a record iPhone-beating quarter.",
        published="2017-07-07T00:00:00Z",
        title="Xiaomi record quarter",
    )
    apple = article(
        "apple",
        "Apple revenue rose 30 percent.",
        published="2015-01-28T00:00:00Z",
        title="Apple record iPhone quarter",
    )
    figures = {
        "xiaomi-q1": [
            figure(15e6, period="2017-Q1"),
            figure(1e11, metric="revenue", unit="CNY", period="2017", modality="target"),
        ],
        "xiaomi-q2": [
            figure(23.16e6, period="2017-Q2"),
            figure(70, unit="percent", measure="change", metric="revenue", period="2017-Q2"),
            figure(1.1e11, metric="revenue", unit="CNY", period="2017"),
        ],
        "apple": [
            figure(
                30,
                entity="Apple",
                unit="percent",
                measure="change",
                metric="revenue",
                period="FY2015-Q1",
            )
        ],
    }
    warehouse.load_run(
        db, write_run(tmp_path, "20170707T020000Z-nightly", [q1, q2, apple], figures)
    )
    warehouse.publish(db, published)

    def answer(example) -> list[dict]:
        return json.loads("".join(warehouse.run_sql(published, example.sql, fmt="json")))

    shipments, targets, growth, per_night, search, conflicts = (answer(e) for e in EXAMPLES)
    assert [(r["period"], r["million_units"]) for r in shipments] == [
        ("2017-Q1", 15.0),
        ("2017-Q2", 23.16),
    ]
    assert [(r["entity"], r["target"], r["actual"], r["pct_of_target"]) for r in targets] == [
        ("Xiaomi", 1e11, 1.1e11, 110.0)
    ]
    assert [(r["entity"], r["revenue_growth_pct"]) for r in growth] == [
        ("Xiaomi", 70.0),
        ("Apple", 30.0),
    ]
    assert per_night == [{"night": "2017-07-07", "source": "demo-wp", "figures": 6}]
    # BM25 ranks the articles with all three words above the one that only says "quarter".
    assert {r["article_id"] for r in search[:2]} == {"xiaomi-q2", "apple"}
    assert [r["article_id"] for r in search[2:]] == ["xiaomi-q1"]
    assert conflicts == []
