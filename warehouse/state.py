"""Crawl state for the next crawl of a source, in the JSON format of docs/contracts.md."""

from __future__ import annotations

from pathlib import Path

from warehouse.db import connect_reader, schema_version


def empty_state(source: str) -> dict:
    return {"source": source, "newest": None, "pages": {}, "listings": {}}


def crawl_state(db_path: Path, source: str, *, retries: int = 5, backoff: float = 1.0) -> dict:
    """The state the latest loaded crawl of `source` returned (empty if none, or no warehouse).

    Reads `db_path` (the private file) read-only; if it does not exist yet, the state is empty.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return empty_state(source)
    con = connect_reader(db_path, retries=retries, backoff=backoff)
    try:
        if schema_version(con) == 0:
            return empty_state(source)
        return state_from(con, source)
    finally:
        con.close()


def state_from(con, source: str) -> dict:
    """The crawl-state JSON of one source, read from the tables `con` sees by default."""
    row = con.execute("SELECT newest FROM crawl_state WHERE source = ?", [source]).fetchone()
    if row is None:
        return empty_state(source)
    pages = con.execute(
        "SELECT url, modified, body_sha256 FROM crawl_pages WHERE source = ? ORDER BY url",
        [source],
    ).fetchall()
    listings = con.execute(
        "SELECT url, etag, last_modified FROM crawl_listings WHERE source = ? ORDER BY url",
        [source],
    ).fetchall()
    return {
        "source": source,
        "newest": row[0],
        "pages": {url: {"modified": m, "body_sha256": h} for url, m, h in pages},
        "listings": {url: {"etag": e, "last_modified": lm} for url, e, lm in listings},
    }


def incomplete_runs(db_path: Path, *, retries: int = 5, backoff: float = 1.0) -> list[str]:
    """Runs whose load began and never committed (a crash): load their folders again."""
    db_path = Path(db_path)
    if not db_path.exists():
        return []
    con = connect_reader(db_path, retries=retries, backoff=backoff)
    try:
        if schema_version(con) == 0:
            return []
        return [
            r[0]
            for r in con.execute(
                "SELECT run_id FROM runs WHERE status <> 'complete' ORDER BY run_id"
            ).fetchall()
        ]
    finally:
        con.close()
