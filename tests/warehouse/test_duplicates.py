"""Near-duplicate groups: SimHash within MAX_DISTANCE bits or equal content, decided the same
in any order."""

from __future__ import annotations

import warehouse
from tests.warehouse.conftest import rows
from tests.warehouse.helpers import article, figure, flip_bits, write_run
from warehouse.dedup import MAX_DISTANCE, mark_duplicates

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


def test_the_band_join_finds_exactly_the_pairs_a_brute_force_comparison_finds(db):
    # 6,000 unrelated fingerprints (a few random pairs fall within the distance by chance) and
    # planted copies at distance 1 and MAX_DISTANCE (same bits) and MAX_DISTANCE + 1.
    con = warehouse.connect_writer(db)
    con.execute(
        """
        INSERT INTO articles (article_id, text, content_hash, fingerprint, published, version,
                              first_run_id, last_run_id, version_run_id)
        SELECT format('a{:05d}', i), 't' || i, 'h' || i, format('{:016x}', hash(i)),
               TIMESTAMP '2020-01-01' + to_minutes(i), 1, 'r', 'r', 'r'
        FROM range(6000) t(i)
        """
    )
    base = con.execute("SELECT fingerprint FROM articles WHERE article_id = 'a00007'").fetchone()[0]
    planted = (("near1", 1, 20), ("near_max", MAX_DISTANCE, 10), ("far", MAX_DISTANCE + 1, 40))
    for name, distance, shift in planted:
        con.execute(
            "INSERT INTO articles (article_id, text, content_hash, fingerprint, published, version, "
            "first_run_id, last_run_id, version_run_id) "
            "VALUES (?, 'copy', ?, ?, TIMESTAMP '2030-01-01', 1, 'r', 'r', 'r')",
            [name, name, flip_bits(base, distance, shift=shift)],
        )
    mark_duplicates(con)
    found = con.execute("SELECT article_id, other_id FROM article_links ORDER BY ALL").fetchall()
    brute = con.execute(
        f"""
        SELECT a.article_id, b.article_id FROM articles a, articles b
        WHERE a.article_id < b.article_id
          AND bit_count(xor(('0x' || a.fingerprint)::UBIGINT, ('0x' || b.fingerprint)::UBIGINT)) <= {MAX_DISTANCE}
        ORDER BY ALL
        """
    ).fetchall()
    planted_dups = con.execute(
        "SELECT article_id, duplicate_of FROM articles WHERE article_id IN ('near1', 'near_max', 'far') ORDER BY 1"
    ).fetchall()
    con.close()
    assert found == brute
    assert ("a00007", "near_max") in found
    assert planted_dups == [("far", None), ("near1", "a00007"), ("near_max", "a00007")]


def test_an_edited_copy_that_is_no_longer_near_leaves_the_group(tmp_path, db):
    original = article("orig", "Original text.", published="2020-05-01T00:00:00Z", fingerprint=BASE)
    copy = article(
        "copy", "Copied text.", published="2020-05-02T00:00:00Z", fingerprint=flip_bits(BASE, 2)
    )
    warehouse.load_run(db, write_run(tmp_path, RUN1, [original, copy]))
    assert duplicates(db) == [("copy", "orig"), ("orig", None)]
    assert rows(db, "SELECT article_id, other_id, distance FROM article_links") == [
        ("copy", "orig", 2)
    ]

    rewritten = article(
        "copy",
        "A different story now.",
        published="2020-05-02T00:00:00Z",
        fingerprint=flip_bits(BASE, MAX_DISTANCE + 5, shift=30),
    )
    warehouse.load_run(db, write_run(tmp_path, RUN2, [rewritten]))
    assert duplicates(db) == [("copy", None), ("orig", None)]
    assert rows(db, "SELECT count(*) FROM article_links") == [(0,)]
