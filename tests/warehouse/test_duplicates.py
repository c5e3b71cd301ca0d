"""Near-duplicate groups: SimHash within MAX_DISTANCE bits or equal content, decided the same
in any order."""

from __future__ import annotations

import warehouse
from tests.warehouse.conftest import rows
from tests.warehouse.helpers import article, figure, flip_bits, write_run
from warehouse.dedup import MAX_DISTANCE

RUN1 = "20170707T020000Z-nightly"
RUN2 = "20170708T020000Z-nightly"
BASE = "00ff00ff00ff00ff"


def duplicates(db) -> list[tuple]:
    return rows(db, "SELECT article_id, duplicate_of FROM articles ORDER BY article_id")


def test_duplicates_across_two_runs_are_decided_the_same_in_either_order(tmp_path):
    # The syndicated copy is loaded first in one warehouse and second in the other.
    original = article(
        "tesla-original",
        "Tesla delivered 499,550 cars.",
        published="2021-01-02T10:00:00Z",
        fingerprint=BASE,
    )
    copy = article(
        "tesla-syndicated",
        "Tesla delivered 499,550 cars!",
        published="2021-01-03T08:00:00Z",
        fingerprint=flip_bits(BASE, MAX_DISTANCE),
        source="other",
    )
    other = article(
        "intel",
        "Intel to cut 12,000 jobs.",
        published="2021-01-01T00:00:00Z",
        fingerprint=flip_bits(BASE, MAX_DISTANCE + 1, shift=40),
    )
    figs = {
        "tesla-original": [figure(499550, entity="Tesla")],
        "tesla-syndicated": [figure(499550, entity="Tesla")],
    }
    run_a = write_run(tmp_path / "a", RUN1, [original, other], figs)
    run_b = write_run(tmp_path / "b", RUN2, [copy], figs)
    forward, backward = tmp_path / "forward.duckdb", tmp_path / "backward.duckdb"
    warehouse.load_run(forward, run_a)
    warehouse.load_run(forward, run_b)
    warehouse.load_run(backward, run_b)
    warehouse.load_run(backward, run_a)

    expected = [("intel", None), ("tesla-original", None), ("tesla-syndicated", "tesla-original")]
    assert duplicates(forward) == expected
    assert duplicates(backward) == expected
    # The copy's figure is not counted twice.
    assert rows(forward, "SELECT n_articles FROM facts WHERE entity = 'Tesla'") == [(1,)]
    assert rows(
        forward, "SELECT count(*) FROM figures_full WHERE NOT is_duplicate AND entity = 'Tesla'"
    ) == [(1,)]


def test_equal_content_is_a_duplicate_and_a_published_tie_goes_to_the_smaller_id(tmp_path, db):
    same_text = "Netflix added 10.09 million subscribers."
    a = article(
        "b-copy", same_text, published="2020-07-16T00:00:00Z", fingerprint="1111111111111111"
    )
    b = article(
        "a-first", same_text, published="2020-07-16T00:00:00Z", fingerprint="ffffffffffffffff"
    )
    warehouse.load_run(db, write_run(tmp_path, RUN1, [a, b]))
    assert duplicates(db) == [("a-first", None), ("b-copy", "a-first")]


def test_a_chain_of_near_copies_is_one_group_under_its_earliest_article(tmp_path, db):
    middle = flip_bits(BASE, MAX_DISTANCE)
    far = flip_bits(middle, MAX_DISTANCE, shift=MAX_DISTANCE + 8)  # far from BASE, near middle
    chain = [
        article("c", "third", published="2020-01-03T00:00:00Z", fingerprint=far),
        article("b", "second", published="2020-01-02T00:00:00Z", fingerprint=middle),
        article("a", "first", published="2020-01-01T00:00:00Z", fingerprint=BASE),
        article("undated", "fourth", published=None, fingerprint=BASE),
    ]
    stats = warehouse.load_run(db, write_run(tmp_path, RUN1, chain))
    assert duplicates(db) == [("a", None), ("b", "a"), ("c", "a"), ("undated", "a")]
    assert stats.duplicates == 3


def test_an_earlier_original_arriving_later_takes_over_the_group(tmp_path, db):
    later = article("late", "text one", published="2020-05-02T00:00:00Z", fingerprint=BASE)
    earlier = article(
        "early", "text two", published="2020-05-01T00:00:00Z", fingerprint=flip_bits(BASE, 1)
    )
    warehouse.load_run(db, write_run(tmp_path, RUN1, [later]))
    assert duplicates(db) == [("late", None)]
    warehouse.load_run(db, write_run(tmp_path, RUN2, [earlier]))
    assert duplicates(db) == [("early", None), ("late", "early")]
