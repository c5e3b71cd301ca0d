"""Identity: canonical URL, article id, exact hash, near-duplicate fingerprint."""

from __future__ import annotations

import itertools
import re

import pytest

from articles.identity import (
    NEAR_DUPLICATE_DISTANCE,
    article_id,
    canonical_url,
    content_hash,
    fingerprint,
    hamming,
    is_near_duplicate,
    original_of,
)
from tests.articles.conftest import seed


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM:443/News/Story/", "https://example.com/News/Story"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/a/", "http://example.com:8080/a"),
        (
            "https://example.com/a?utm_source=x&utm_medium=y&fbclid=1&gclid=2",
            "https://example.com/a",
        ),
        (
            "https://example.com/a?mc_cid=1&mc_eid=2&ref=home&id=7#comments",
            "https://example.com/a?id=7",
        ),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/", "https://example.com/"),
    ],
)
def test_canonical_url_removes_what_does_not_change_the_page(url, expected):
    assert canonical_url(url) == expected


def test_article_id_is_the_same_for_every_spelling_of_a_url():
    spellings = [
        "https://example.com/2017/07/07/story/",
        "HTTPS://EXAMPLE.com/2017/07/07/story?utm_campaign=feed#top",
        "https://example.com:443/2017/07/07/story",
    ]
    ids = {article_id(u) for u in spellings}
    assert len(ids) == 1
    assert re.fullmatch(r"[0-9a-f]{16}", ids.pop())
    assert article_id("https://example.com/2017/07/07/other") not in ids


def test_content_hash_ignores_case_and_whitespace_only():
    text = "Xiaomi sold 18.7 million phones.\nRevenue rose."
    assert content_hash(text) == content_hash("  xiaomi SOLD 18.7   million phones. revenue rose. ")
    assert content_hash(text) != content_hash(text.replace("18.7", "18.8"))


def test_fingerprint_is_16_hex_digits_and_deterministic():
    text = seed("001").decode()
    assert re.fullmatch(r"[0-9a-f]{16}", fingerprint(text))
    assert fingerprint(text) == fingerprint(text)
    assert fingerprint(text) == fingerprint(text.upper())


def test_small_edits_stay_near_and_different_texts_stay_far():
    text = seed("001").decode()
    edited = text.replace("record-high", "all-time high", 1) + " (Reporting by a wire desk.)"
    other = seed("000").decode()
    assert hamming(fingerprint(text), fingerprint(text)) == 0
    assert is_near_duplicate(fingerprint(text), fingerprint(edited))
    assert not is_near_duplicate(fingerprint(text), fingerprint(other))


def test_real_different_articles_do_not_collide(ground_truth):
    bodies = [v["articleBody"] for _, v in sorted(ground_truth.items())[:60]]
    prints = [fingerprint(b) for b in bodies]
    closest = min(hamming(a, b) for a, b in itertools.combinations(prints, 2))
    assert closest > NEAR_DUPLICATE_DISTANCE


def test_hamming_counts_differing_bits():
    assert hamming("0000000000000000", "000000000000000f") == 4
    assert hamming("ffffffffffffffff", "0000000000000000") == 64


def test_the_original_of_a_group_does_not_depend_on_arrival_order():
    group = [
        ("2021-01-03T09:30:00Z", "bbbb"),
        ("2021-01-02T18:05:00Z", "cccc"),
        (None, "0000"),
        ("2021-01-02T18:05:00Z", "aaaa"),
    ]
    originals = {original_of(order) for order in itertools.permutations(group)}
    assert originals == {("2021-01-02T18:05:00Z", "aaaa")}
