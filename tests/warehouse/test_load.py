"""Loading run folders: counts, idempotency, versions, reprocessing, odd input, crawl state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import warehouse
from tests.warehouse.conftest import rows, table_sums
from tests.warehouse.helpers import article, figure, reject, write_run
from warehouse import load
from warehouse.db import size_bytes

RUN1 = "20170707T020000Z-nightly"
RUN2 = "20170708T020000Z-nightly"
XIAOMI = "Xiaomi shipped 23.16 million smartphones in the second quarter of 2017."


def first_run(root: Path) -> Path:
    # The same article through two sources, one more article, an orphan figure, a reject.
    return write_run(
        root,
        RUN1,
        [
            article("a1", XIAOMI),
            article("a1", XIAOMI, source="demo-rss"),
            article("a2", "Tesla delivered 499,550 cars in 2020."),
        ],
        {
            "a1": [
                figure(23160000),
                figure(70, unit="percent", measure="change", surface="70 percent"),
            ],
            "a2": [
                figure(
                    499550,
                    entity="Tesla",
                    metric="units_sold",
                    period="2020",
                    surface="499,550 cars",
                )
            ],
            "missing": [figure(1)],
        },
        [reject("http://127.0.0.1/gone", "http_404")],
        states={
            "demo-wp": {
                "source": "demo-wp",
                "newest": "2017-07-07T00:00:00Z",
                "pages": {
                    "http://127.0.0.1/a1": {"modified": "2017-07-07T00:00:00Z", "body_sha256": "ab"}
                },
                "listings": {"http://127.0.0.1/wp-json": {"etag": '"v1"', "last_modified": None}},
            }
        },
    )


def test_a_run_loads_articles_once_with_every_source_figures_and_rejects(tmp_path, db):
    stats = warehouse.load_run(db, first_run(tmp_path))

    assert (stats.articles_new, stats.articles_updated, stats.articles_unchanged) == (2, 0, 0)
    assert stats.articles_merged == 1
    assert stats.figures == 3
    assert stats.rejects == 2 and stats.rejects_load == 1
    assert rows(db, "SELECT article_id, source FROM article_sources ORDER BY ALL") == [
        ("a1", "demo-rss"),
        ("a1", "demo-wp"),
        ("a2", "demo-wp"),
    ]
    assert rows(db, "SELECT stage, reason, url FROM rejects ORDER BY line") == [
        ("crawl", "http_404", "http://127.0.0.1/gone"),
        ("load", "orphan_figure", "missing"),
    ]
    assert rows(db, "SELECT status, flow_run_id, figures FROM runs") == [
        ("complete", f"flow-run-{RUN1}", 3)
    ]
    assert (
        rows(db, "SELECT published FROM articles WHERE article_id = 'a1'")[0][0].isoformat()
        == "2017-07-07T00:00:00"
    )


def test_loading_the_same_run_twice_leaves_every_table_and_view_identical(tmp_path, db):
    run = first_run(tmp_path)
    warehouse.load_run(db, run)
    once = table_sums(db)
    again = warehouse.load_run(db, run)
    assert table_sums(db) == once
    assert set(once) >= {
        "articles",
        "figures",
        "facts",
        "figures_full",
        "run_summary",
        "crawl_pages",
    }
    assert again.articles_new == 2 and again.figures == 3  # a reload reports the same run


def test_empty_and_missing_files_load_as_zero_rows_with_the_schema_unchanged(tmp_path, db):
    run = write_run(tmp_path, RUN1)
    (run / "figures.jsonl").unlink()
    (run / "rejects.jsonl").write_text("\n")
    stats = warehouse.load_run(db, run)
    assert (stats.articles_new, stats.figures, stats.rejects) == (0, 0, 0)
    # A file with unknown fields and a string number still loads into the same columns.
    odd = write_run(tmp_path, RUN2)
    line = {
        **article("a9", "Some text about Apple.").to_dict(),
        "word_count": "4",
        "surprise": {"x": 1},
    }
    (odd / "articles.jsonl").write_text(json.dumps(line) + "\n")
    assert warehouse.load_run(db, odd).articles_new == 1
    assert rows(
        db,
        "SELECT data_type FROM duckdb_columns() WHERE table_name = 'articles' AND column_name = 'word_count'",
    ) == [("INTEGER",)]


def test_a_malformed_file_fails_with_its_name_and_commits_nothing(tmp_path, db):
    run = first_run(tmp_path)
    with (run / "figures.jsonl").open("a") as fh:
        fh.write('{"article_id": "a1", "ordinal": \n')
    with pytest.raises(warehouse.LoadError, match=r"figures\.jsonl"):
        warehouse.load_run(db, run)
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]
    assert rows(db, "SELECT status FROM runs") == [("loading",)]


def test_a_load_that_runs_out_of_duckdb_memory_is_retried_with_twice_the_limit(
    tmp_path, db, monkeypatch, caplog
):
    reference = warehouse.load_run(tmp_path / "reference.duckdb", first_run(tmp_path / "r"))
    monkeypatch.setattr(load, "writer_memory_limit", lambda: "16MB")
    stats = warehouse.load_run(db, first_run(tmp_path))
    assert size_bytes(stats.memory_limit) > 16 << 20
    assert "retrying with 32MiB" in caplog.text
    assert (stats.articles_new, stats.figures, stats.rejects) == (
        reference.articles_new,
        reference.figures,
        reference.rejects,
    )
    assert rows(db, "SELECT status FROM runs") == [("complete",)]


def test_a_run_that_never_fits_in_memory_fails_with_the_setting_to_raise_and_commits_nothing(
    tmp_path, db, monkeypatch
):
    monkeypatch.setattr(load, "writer_memory_limit", lambda: "16MB")
    monkeypatch.setattr(load, "MEMORY_DOUBLINGS", 1)
    with pytest.raises(warehouse.LoadError, match=r"within 32MiB .*NEWSFIGURES_DUCKDB_MEMORY"):
        warehouse.load_run(db, first_run(tmp_path))
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]
    assert rows(db, "SELECT status FROM runs") == [("loading",)]


def test_read_json_buffers_are_sized_to_the_files_not_to_the_largest_allowed_object(tmp_path):
    small = tmp_path / "small.json"
    small.write_text("{}" * 1000)
    assert load.object_size_bound([small], 64 << 20) == 1 << 20
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (3 << 20))
    assert load.object_size_bound([small, big], 64 << 20) == (3 << 20) + 1
    assert load.object_size_bound([big], 2 << 20) == 2 << 20


@pytest.mark.parametrize(
    ("text", "size"),
    [("128MB", 128 << 20), ("1.5GiB", 3 << 29), ("512 kb", 512 << 10), ("4096", 4096)],
)
def test_memory_sizes_read_like_duckdbs_settings(text, size):
    assert size_bytes(text) == size


def test_an_unreadable_memory_size_is_refused_with_an_example():
    with pytest.raises(ValueError, match="like 128MB"):
        size_bytes("lots")


def test_a_changed_article_gets_a_new_version_and_its_figures_are_replaced(tmp_path, db):
    warehouse.load_run(db, first_run(tmp_path))
    changed = XIAOMI.replace("23.16", "23.2")
    stats = warehouse.load_run(
        db,
        write_run(
            tmp_path,
            RUN2,
            [article("a1", changed)],
            {"a1": [figure(23200000, surface="23.2 million")]},
        ),
    )
    assert (stats.articles_new, stats.articles_updated, stats.articles_unchanged) == (0, 1, 0)
    assert rows(
        db, "SELECT version, run_id FROM article_versions WHERE article_id = 'a1' ORDER BY version"
    ) == [(1, RUN1), (2, RUN2)]
    assert rows(
        db, "SELECT version, text, version_run_id FROM articles WHERE article_id = 'a1'"
    ) == [(2, changed, RUN2)]
    assert rows(db, "SELECT ordinal, value, run_id FROM figures WHERE article_id = 'a1'") == [
        (0, 23200000.0, RUN2)
    ]


def test_reprocessing_replaces_an_articles_figures_under_the_new_extractor_version(tmp_path, db):
    warehouse.load_run(db, first_run(tmp_path))
    reprocess = write_run(
        tmp_path,
        "20170709T000000Z-reprocess",
        [article("a1", XIAOMI), article("a2", "Tesla delivered 499,550 cars in 2020.")],
        {"a1": [figure(23160000)]},
        extractor_version="rules-2",
        flow="reprocess",
    )
    stats = warehouse.load_run(db, reprocess)
    assert stats.articles_unchanged == 2 and stats.figures == 1
    assert rows(db, "SELECT article_id, ordinal, extractor_version FROM figures ORDER BY ALL") == [
        ("a1", 0, "rules-2")
    ]
    assert rows(db, "SELECT article_id, extractor_version FROM articles ORDER BY 1") == [
        ("a1", "rules-2"),
        ("a2", "rules-2"),
    ]
    assert rows(db, "SELECT max(version) FROM article_versions") == [(1,)]


def test_an_older_run_loaded_late_does_not_roll_an_article_back(tmp_path, db):
    newer = write_run(tmp_path, RUN2, [article("a1", XIAOMI + " Updated.")], {"a1": [figure(5)]})
    older = write_run(tmp_path, RUN1, [article("a1", XIAOMI)], {"a1": [figure(23160000)]})
    warehouse.load_run(db, newer)
    stats = warehouse.load_run(db, older)
    assert stats.figures_kept == 1 and stats.figures == 0
    assert rows(db, "SELECT text, first_run_id, last_run_id FROM articles") == [
        (XIAOMI + " Updated.", RUN1, RUN2)
    ]
    assert rows(db, "SELECT value FROM figures") == [(5.0,)]
    assert rows(db, "SELECT count(*) FROM article_versions") == [(2,)]


def test_crawl_state_round_trips_and_the_latest_run_wins(tmp_path, db):
    warehouse.load_run(db, first_run(tmp_path))
    state = warehouse.crawl_state(db, "demo-wp")
    assert state == {
        "source": "demo-wp",
        "newest": "2017-07-07T00:00:00Z",
        "pages": {"http://127.0.0.1/a1": {"modified": "2017-07-07T00:00:00Z", "body_sha256": "ab"}},
        "listings": {"http://127.0.0.1/wp-json": {"etag": '"v1"', "last_modified": None}},
    }
    later = {"source": "demo-wp", "newest": "2017-07-08T00:00:00Z", "pages": {}, "listings": {}}
    warehouse.load_run(db, write_run(tmp_path, RUN2, states={"demo-wp": later}))
    assert warehouse.crawl_state(db, "demo-wp") == later
    assert warehouse.crawl_state(db, "never-crawled")["pages"] == {}
    assert warehouse.crawl_state(tmp_path / "nothing.duckdb", "demo-wp")["newest"] is None


def test_facts_agree_across_articles_within_rounding_and_flag_a_conflict(tmp_path, db):
    a = article("a1", "Xiaomi shipped 23.16 million.")
    b = article("b1", "Xiaomi shipped 23.2 million.", source="other")
    c = article("c1", "Xiaomi shipped 19 million.", source="third")
    warehouse.load_run(
        db, write_run(tmp_path, RUN1, [a, b], {"a1": [figure(23160000)], "b1": [figure(23200000)]})
    )
    fact = rows(
        db, "SELECT value, n_articles, n_sources, conflict FROM facts WHERE entity = 'Xiaomi'"
    )
    assert fact == [(23160000.0, 2, 2, False)]
    warehouse.load_run(db, write_run(tmp_path, RUN2, [c], {"c1": [figure(19000000)]}))
    assert rows(db, "SELECT n_articles, conflict, spread FROM facts WHERE entity = 'Xiaomi'") == [
        (3, True, 4200000.0)
    ]


def test_facts_allow_for_qualifiers_and_give_no_verdict_on_vague_keys(tmp_path, db):
    a = article("a1", "Xiaomi sold nearly 19 million phones; 12% of buyers were new.")
    b = article("b1", "Xiaomi sold 18.7 million phones; 40% of buyers were new.", source="other")
    figures = {
        "a1": [
            figure(19e6, metric="units_sold", period="2013", qualifier="approx"),
            figure(12, metric="other", period=None, unit="percent", measure="share"),
        ],
        "b1": [
            figure(18.7e6, metric="units_sold", period="2013"),
            figure(40, metric="other", period=None, unit="percent", measure="share"),
        ],
    }
    warehouse.load_run(db, write_run(tmp_path, RUN1, [a, b], figures))
    assert rows(db, "SELECT metric, value, conflict FROM facts ORDER BY metric") == [
        ("other", 12.0, None),
        ("units_sold", 18700000.0, False),  # "nearly 19 million" allows 18.7 million
    ]
