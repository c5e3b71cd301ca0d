"""The canary: which sources stopped delivering new articles."""

from datetime import UTC, datetime

import pytest

from ops.canary import (
    WARNING_STATE_NAME,
    apply_canary,
    canary_days,
    canary_markdown,
    main,
    stale_sources,
    with_canary_warning,
)
from warehouse import connect_writer

NOW = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)


def _run_id(day: int) -> str:
    return f"202611{day:02d}T020000Z-nightly"


def _warehouse(tmp_path, deliveries: dict[str, list[int]], sources_first_day: dict[str, int]):
    """A migrated warehouse where each source delivered one new article on each given day."""
    db = tmp_path / "newsfigures.duckdb"
    con = connect_writer(db)
    for name, day in sources_first_day.items():
        con.execute(
            "INSERT INTO sources (name, kind, first_run_id, last_run_id) VALUES (?, 'feed', ?, ?)",
            [name, _run_id(day), _run_id(20)],
        )
    for source, days in deliveries.items():
        for day in days:
            article_id = f"{source}-{day}"
            con.execute(
                "INSERT INTO articles (article_id, source, published, version, first_run_id,"
                " last_run_id, version_run_id) VALUES (?, ?, ?, 1, ?, ?, ?)",
                [article_id, source, datetime(2026, 11, day, 1, 0), *[_run_id(day)] * 3],
            )
            con.execute(
                "INSERT INTO article_sources (article_id, source, first_run_id, last_run_id)"
                " VALUES (?, ?, ?, ?)",
                [article_id, source, _run_id(day), _run_id(day)],
            )
    con.execute("CHECKPOINT")
    con.close()
    return db


def test_a_source_silent_for_more_than_n_days_is_stale_and_a_lively_one_is_not(tmp_path):
    db = _warehouse(
        tmp_path,
        {"lively": [10, 19, 20], "broken": [10, 15]},
        {"lively": 10, "broken": 10},
    )
    (stale,) = stale_sources(db, 3, now=NOW)
    assert stale == {
        "source": "broken",
        "last_new_article_at": "2026-11-15T02:00:00Z",
        "days_without_new": 6.0,
        "articles": 2,
        "newest_published": "2026-11-15T01:00:00Z",
    }


def test_n_decides_how_long_a_silence_is_tolerated(tmp_path):
    db = _warehouse(tmp_path, {"weekly": [16]}, {"weekly": 1})
    assert [s["source"] for s in stale_sources(db, 3, now=NOW)] == ["weekly"]
    assert stale_sources(db, 7, now=NOW) == []


def test_a_source_that_never_delivered_counts_from_its_first_run(tmp_path):
    db = _warehouse(tmp_path, {}, {"old-and-empty": 1, "added-yesterday": 20})
    (stale,) = stale_sources(db, 3, now=NOW)
    assert stale["source"] == "old-and-empty"
    assert stale["last_new_article_at"] is None and stale["articles"] == 0
    assert stale["days_without_new"] == 20.0


def test_only_the_named_sources_are_judged(tmp_path):
    db = _warehouse(tmp_path, {"a": [1], "b": [1]}, {"a": 1, "b": 1})
    assert [s["source"] for s in stale_sources(db, 3, sources=["b", "unknown"], now=NOW)] == ["b"]


def test_an_article_delivered_again_by_a_second_source_is_new_for_that_source(tmp_path):
    db = _warehouse(tmp_path, {"wp": [1]}, {"wp": 1, "feed": 1})
    con = connect_writer(db)
    con.execute(
        "INSERT INTO article_sources (article_id, source, first_run_id, last_run_id)"
        " VALUES ('wp-1', 'feed', ?, ?)",
        [_run_id(20), _run_id(20)],
    )
    con.close()
    assert [s["source"] for s in stale_sources(db, 3, now=NOW)] == ["wp"]


def test_an_empty_or_missing_warehouse(tmp_path):
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert stale_sources(empty, 3, now=NOW) == []
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        stale_sources(tmp_path / "absent.duckdb", 3)


def test_n_comes_from_the_environment_with_a_default_of_three(monkeypatch):
    monkeypatch.delenv("NEWSFIGURES_CANARY_DAYS", raising=False)
    assert canary_days() == 3
    monkeypatch.setenv("NEWSFIGURES_CANARY_DAYS", "10")
    assert canary_days() == 10
    for bad in ("three", "0"):
        monkeypatch.setenv("NEWSFIGURES_CANARY_DAYS", bad)
        with pytest.raises(ValueError, match="NEWSFIGURES_CANARY_DAYS"):
            canary_days()


def test_the_warning_renames_a_completed_state_and_names_the_sources():
    from prefect.states import Completed, Failed

    stale = [{"source": "broken", "last_new_article_at": None}]
    warned = with_canary_warning(Completed(message="run r loaded", data={"x": 1}), stale, 3)
    assert warned.is_completed() and warned.name == WARNING_STATE_NAME
    assert warned.message == "run r loaded; WARNING: no new article for 3+ days: broken"
    assert warned.name.startswith("Completed")  # what the "nightly missing" automation expects
    failed = Failed(message="sources failed: x")
    assert with_canary_warning(failed, stale, 3) is failed
    calm = Completed(message="ok")
    assert with_canary_warning(calm, [], 3) is calm


def test_the_artifact_text_lists_each_stale_source(tmp_path):
    db = _warehouse(tmp_path, {"broken": [15]}, {"broken": 1})
    text = canary_markdown(stale_sources(db, 3, now=NOW), 3)
    assert "| broken | 2026-11-15T02:00:00Z | 6.0 | 1 | 2026-11-15T01:00:00Z |" in text
    assert "Every source delivered" in canary_markdown([], 3)


def test_the_command_exits_one_when_a_source_is_stale(tmp_path, capsys):
    db = _warehouse(tmp_path, {"broken": [1]}, {"broken": 1})
    assert main(["--db", str(db), "--days", "3"]) == 1
    assert '"source": "broken"' in capsys.readouterr().out
    assert main(["--db", str(db), "--days", "nope"]) == 2


def test_the_nightly_hook_warns_and_never_fails_the_run(tmp_path):
    from prefect.states import Completed

    db = _warehouse(tmp_path, {"broken": [1], "lively": [1]}, {"broken": 1, "lively": 1})
    done = Completed(message="run r loaded")
    warned = apply_canary(done, db, sources=["broken"], days=3)
    assert warned.name == WARNING_STATE_NAME and warned.message.endswith(": broken")
    # An unreadable warehouse leaves the state as it was.
    (tmp_path / "garbage.duckdb").write_bytes(b"not a database")
    assert apply_canary(done, tmp_path / "garbage.duckdb", days=3) is done
    assert apply_canary(done, tmp_path / "absent.duckdb", days=3) is done
    assert apply_canary(done, db, days="soon") is done  # a bad N is a warning, not a failure
