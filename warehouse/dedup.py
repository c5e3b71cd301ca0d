"""Near-duplicate groups over all articles, decided set-based and independent of load order.

Two articles are linked when their 64-bit SimHash fingerprints differ in at most
`MAX_DISTANCE` bits (the clean stage's measured threshold, `articles.identity`), or their
exact content hashes are equal. Linked articles form a group (connected components); the
group's earliest published article (ties: smallest article_id) is the original and every
other member gets `duplicate_of` = the original's article_id.

Finding pairs within distance d without comparing every pair: split the 64 bits into 4
bands of 16. If two fingerprints differ in at most d bits, some band differs in at most
r = ceil((d + 1) / 4) - 1 bits (pigeonhole; r = 0 for d = 3, r = 2 for d = 11). So each
band value is joined against the other articles' band values XOR every 16-bit mask of at
most r bits (137 masks for r = 2), an equi-join, and `bit_count(xor)` keeps the true pairs.

Links are kept in `article_links` between loads: a load compares only the articles whose
fingerprint or content hash changed (new or edited) against all articles, which gives the same
set of links as comparing everything, whatever order runs arrive in.
"""

from __future__ import annotations

import duckdb

from articles.identity import NEAR_DUPLICATE_DISTANCE as MAX_DISTANCE

MAX_ROUNDS = 10_000  # a chain of n near-copies settles in n rounds


def mark_duplicates(con: duckdb.DuckDBPyConnection) -> int:
    """Refresh the links of changed articles and recompute `duplicate_of` for every article."""
    _refresh_links(con)
    _nodes(con)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_edges AS
        SELECT least(a.rank, b.rank) AS x, greatest(a.rank, b.rank) AS y
        FROM article_links l
        JOIN dup_nodes a ON a.article_id = l.article_id
        JOIN dup_nodes b ON b.article_id = l.other_id
        """
    )
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
        SELECT article_id, row_number() OVER (ORDER BY published NULLS LAST, article_id) AS rank
        FROM articles
        """
    )


BANDS = 4
BAND_BITS = 64 // BANDS
_FP = "CASE WHEN regexp_full_match(fingerprint, '[0-9a-fA-F]{16}') THEN ('0x' || fingerprint)::UBIGINT END"


def band_slack(max_distance: int = MAX_DISTANCE) -> int:
    """Bits in which some band of two fingerprints within `max_distance` must agree but for."""
    return -(-(max_distance + 1) // BANDS) - 1


def _refresh_links(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the links of every article whose fingerprint or content hash is new."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE dup_all AS
        SELECT row_number() OVER (ORDER BY a.article_id)::INTEGER AS id, a.article_id,
               nullif(a.content_hash, '') AS content_hash,
               {_FP.replace("fingerprint", "a.fingerprint")} AS fp,
               s.article_id IS NULL OR s.fingerprint IS DISTINCT FROM a.fingerprint
                   OR s.content_hash IS DISTINCT FROM a.content_hash AS changed
        FROM articles a LEFT JOIN article_link_state s USING (article_id)
        """
    )
    if not con.execute("SELECT count(*) FROM dup_all WHERE changed").fetchone()[0]:
        con.execute("DROP TABLE dup_all")
        return
    con.execute(
        """
        DELETE FROM article_links
        WHERE article_id IN (SELECT article_id FROM dup_all WHERE changed)
           OR other_id IN (SELECT article_id FROM dup_all WHERE changed)
        """
    )
    # Compact rows (int id, band number, 16-bit band): the variants table below has
    # 4 x 137 rows per changed article for the default distance.
    bands = "\nUNION ALL ".join(
        f"SELECT id, {b}::UTINYINT AS band_no, ((fp >> {b * BAND_BITS}) & {(1 << BAND_BITS) - 1})::USMALLINT AS band, changed "
        "FROM dup_all WHERE fp IS NOT NULL"
        for b in range(BANDS)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE dup_bands AS {bands}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE dup_masks AS SELECT range::USMALLINT AS mask "
        f"FROM range({1 << BAND_BITS}) WHERE bit_count(range) <= {band_slack()}"
    )
    # The changed articles' band values with up to r bits flipped, materialised so that the
    # join below is a plain equi-join (left to itself the planner joins on band_no alone).
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_variants AS
        SELECT b.id, b.band_no, xor(b.band, k.mask) AS band
        FROM dup_bands b CROSS JOIN dup_masks k WHERE b.changed
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_candidates AS
        SELECT DISTINCT v.id AS x, b.id AS y
        FROM dup_variants v JOIN dup_bands b ON b.band_no = v.band_no AND b.band = v.band
        WHERE v.id <> b.id
        """
    )
    con.execute("DROP TABLE dup_variants")
    con.execute(
        f"""
        INSERT INTO article_links
        SELECT least(x, y), greatest(x, y), min(distance), bool_or(same_content)
        FROM (
            SELECT a.article_id AS x, b.article_id AS y,
                   bit_count(xor(a.fp, b.fp))::INTEGER AS distance, false AS same_content
            FROM dup_candidates c
            JOIN dup_all a ON a.id = c.x
            JOIN dup_all b ON b.id = c.y
            WHERE bit_count(xor(a.fp, b.fp)) <= {MAX_DISTANCE}
            UNION ALL
            SELECT c.article_id, a.article_id, bit_count(xor(c.fp, a.fp))::INTEGER, true
            FROM dup_all c JOIN dup_all a
                ON a.content_hash = c.content_hash AND a.article_id <> c.article_id
            WHERE c.changed
        )
        GROUP BY least(x, y), greatest(x, y)
        """
    )
    con.execute(
        "DELETE FROM article_link_state WHERE article_id IN (SELECT article_id FROM dup_all WHERE changed)"
    )
    con.execute(
        """
        INSERT INTO article_link_state
        SELECT a.article_id, a.fingerprint, a.content_hash
        FROM articles a SEMI JOIN (SELECT article_id FROM dup_all WHERE changed) c USING (article_id)
        """
    )
    for table in ("dup_candidates", "dup_bands", "dup_masks", "dup_all"):
        con.execute(f"DROP TABLE {table}")


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
