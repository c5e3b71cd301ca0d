"""Near-duplicate groups over all articles, decided set-based and independent of load order.

Two articles are linked when their 64-bit SimHash fingerprints differ in at most
`MAX_DISTANCE` bits (the clean stage's measured threshold), or their exact content hashes are
equal. Linked articles form a group (connected components);
the group's earliest published article (ties: smallest article_id) is the original and every
other member gets `duplicate_of` = the original's article_id.

Finding pairs within distance d without comparing every pair: split the 64 bits into d + 1
bands. Two fingerprints that differ in at most d bits agree on at least one whole band
(pigeonhole), so an equi-join on each band finds every candidate, and `bit_count(xor)` keeps
the true ones.
"""

from __future__ import annotations

import itertools

import duckdb

from articles.identity import NEAR_DUPLICATE_DISTANCE as MAX_DISTANCE

MAX_ROUNDS = 10_000  # a chain of n near-copies settles in n rounds


def mark_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute `articles.duplicate_of` for every article; returns how many are duplicates."""
    _nodes(con)
    _edges(con)
    _components(con)
    con.execute(
        """
        UPDATE articles SET duplicate_of = d.original
        FROM (
            SELECT n.article_id, CASE WHEN l.label <> n.rank THEN o.article_id END AS original
            FROM dup_nodes n
            LEFT JOIN dup_labels l ON l.rank = n.rank
            LEFT JOIN dup_nodes o ON o.rank = l.label
        ) d
        WHERE articles.article_id = d.article_id
          AND articles.duplicate_of IS DISTINCT FROM d.original
        """
    )
    return con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]


def _nodes(con: duckdb.DuckDBPyConnection) -> None:
    # rank orders the articles as "which one is the original": earliest published, then id.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_nodes AS
        SELECT article_id, nullif(content_hash, '') AS content_hash,
            CASE WHEN regexp_full_match(fingerprint, '[0-9a-fA-F]{16}')
                 THEN ('0x' || fingerprint)::UBIGINT END AS fp,
            row_number() OVER (ORDER BY published NULLS LAST, article_id) AS rank
        FROM articles
        """
    )


def band_expressions(max_distance: int = MAX_DISTANCE) -> list[str]:
    """SQL for the fingerprint's d + 1 bands: contiguous bit ranges covering all 64 bits."""
    count = max_distance + 1
    edges = [round(i * 64 / count) for i in range(count + 1)]
    return [f"(fp >> {low}) & {(1 << (high - low)) - 1}" for low, high in itertools.pairwise(edges)]


def _edges(con: duckdb.DuckDBPyConnection) -> None:
    # Bands are materialised first, one SELECT per band: the band join then is a plain hash
    # join (a CTE with parallel unnests was both slower and, in 1.5.5, paired wrong rows).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_bands AS
        SELECT rank, fp, 0 AS band_no, fp >> 48 AS band FROM dup_nodes WHERE fp IS NOT NULL
        UNION ALL SELECT rank, fp, 1, (fp >> 32) & 65535 FROM dup_nodes WHERE fp IS NOT NULL
        UNION ALL SELECT rank, fp, 2, (fp >> 16) & 65535 FROM dup_nodes WHERE fp IS NOT NULL
        UNION ALL SELECT rank, fp, 3, fp & 65535 FROM dup_nodes WHERE fp IS NOT NULL
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dup_edges AS
        SELECT a.rank AS x, b.rank AS y
        FROM dup_bands a JOIN dup_bands b
            ON a.band_no = b.band_no AND a.band = b.band AND a.rank < b.rank
        WHERE bit_count(xor(a.fp, b.fp)) <= {MAX_DISTANCE}
        UNION
        SELECT a.rank, b.rank
        FROM dup_nodes a JOIN dup_nodes b ON a.content_hash = b.content_hash AND a.rank < b.rank
        """
    )


def _components(con: duckdb.DuckDBPyConnection) -> None:
    """Label propagation: every linked node takes the smallest rank it can reach."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_adjacent AS
        SELECT x AS node, y AS other FROM dup_edges UNION ALL SELECT y, x FROM dup_edges
        """
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dup_labels AS SELECT DISTINCT node AS rank, node AS label FROM dup_adjacent"
    )
    for _ in range(MAX_ROUNDS):
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE dup_next AS
            SELECT l.rank, least(l.label, min(n.label)) AS label
            FROM dup_labels l
            JOIN dup_adjacent e ON e.node = l.rank
            JOIN dup_labels n ON n.rank = e.other
            GROUP BY l.rank, l.label
            """
        )
        changed = con.execute(
            "SELECT count(*) FROM dup_next n JOIN dup_labels l USING (rank) WHERE n.label <> l.label"
        ).fetchone()[0]
        con.execute("CREATE OR REPLACE TEMP TABLE dup_labels AS SELECT * FROM dup_next")
        if not changed:
            return
    raise RuntimeError("near-duplicate groups did not settle; report this with the data")
