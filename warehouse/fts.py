"""Full-text search over articles: BM25 with the fts extension, ILIKE-style fallback without.

The extension comes from the `duckdb-extension-fts` package and is loaded by path, with
automatic installs off (no network) and DuckDB's signature check left on. Users call the
`search(q)` table macro either way; `search_plain(q)` always works (also in a `duckdb` CLI
that cannot load the extension).
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

SEARCH_BM25 = """
CREATE OR REPLACE MACRO search(q) AS TABLE
    SELECT a.article_id, a.title, a.published, a.source, a.duplicate_of, m.score
    FROM (
        SELECT article_id, fts_main_articles.match_bm25(article_id, q) AS score FROM articles
    ) m
    JOIN articles a USING (article_id)
    WHERE m.score IS NOT NULL
    ORDER BY m.score DESC, a.published DESC NULLS LAST, a.article_id
"""
SEARCH_PLAIN = "CREATE OR REPLACE MACRO search(q) AS TABLE SELECT * FROM search_plain(q)"


def extension_path() -> Path | None:
    """The fts extension file shipped by the duckdb-extension-fts package, if installed."""
    spec = importlib.util.find_spec("duckdb_extension_fts")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    exact = package / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if exact.exists():
        return exact
    # A package for another engine version would be refused by DuckDB anyway; say so clearly.
    log.warning("duckdb-extension-fts has no build for DuckDB %s", duckdb.__version__)
    return None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the fts extension by path; False (and search falls back) when it is unavailable."""
    path = extension_path()
    if path is None:
        return False
    try:
        con.execute("SET autoinstall_known_extensions = false")
        con.execute("SET autoload_known_extensions = false")
        con.execute(f"LOAD '{path.as_posix()}'")
    except duckdb.Error as exc:
        log.warning("could not load the fts extension from %s: %s", path, exc)
        return False
    return True


def has_index(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_articles'"
        ).fetchone()[0]
    )


def refresh_search(con: duckdb.DuckDBPyConnection, *, rebuild: bool = True) -> bool:
    """Rebuild the BM25 index over articles and point search() at it; True when FTS is on.

    The index is a snapshot of the articles, rebuilt whole when their text changed
    (`rebuild`) or when there is none yet. Without the extension any old index is dropped
    (it would go stale) and search() is the plain fallback.
    """
    if load_fts(con):
        if rebuild or not has_index(con):
            con.execute(
                "PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', "
                "stemmer = 'porter', stopwords = 'english', overwrite = 1)"
            )
            con.execute(SEARCH_BM25)
        return True
    con.execute("DROP SCHEMA IF EXISTS fts_main_articles CASCADE")
    con.execute(SEARCH_PLAIN)
    return False
