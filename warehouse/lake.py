"""The warehouse as a DuckLake: a catalog database plus a folder (or bucket) of Parquet files.

Same tables, same loader: a run folder is loaded with the steps of `warehouse.load` (set-based,
idempotent, one transaction), into tables that live in a DuckLake catalog instead of one
DuckDB file. What differs, and why:

- DuckLake has no PRIMARY KEY or UNIQUE constraints; the migrations' keys are dropped here.
  The loader never relied on them (it MERGEs and DELETE/INSERTs by key itself).
- No full-text index: `PRAGMA create_fts_index` needs a DuckDB table. `search_plain(q)` works.
- The catalog decides who may write at once. A DuckDB-file catalog is one process at a time
  (other writers wait here, with backoff, until it is free; readers may share it READ_ONLY
  only while no writer has it). A PostgreSQL catalog takes many writers on many machines at
  once: each commit is a new snapshot, and DuckLake retries a commit that conflicts.

The extension comes from the `duckdb-extension-ducklake` package and is loaded by path, with
automatic installs off (no network) and DuckDB's signature check left on.

    python -m warehouse.lake load <catalog> <data_path> <run_dir>
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import load as loader
from warehouse.db import OFFLINE_CONFIG, migrations
from warehouse.dedup import mark_duplicates

log = logging.getLogger(__name__)

LAKE = "lake"  # the name the catalog is attached under
CATALOG_ENV = "NEWSFIGURES_LAKE_CATALOG"  # catalog.ducklake, or postgres:dbname=... host=...
DATA_PATH_ENV = "NEWSFIGURES_LAKE_DATA_PATH"  # a folder, or s3://bucket/prefix/
_PRIMARY_KEY_COLUMN = re.compile(r"\s+PRIMARY KEY(?=\s*[,\n])")
_PRIMARY_KEY_LINE = re.compile(r",\s*\n\s*PRIMARY KEY\s*\([^)]*\)")
_VIEW_NAME = re.compile(r"CREATE (?:OR REPLACE )?VIEW (\w+)")
_LOCKED = ("Could not set lock on file", "Conflicting lock")
LAKE_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)
"""


class LakeUnavailable(RuntimeError):
    """The DuckLake extension or catalog cannot be used; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Lake:
    """Where a DuckLake lives: its catalog (`catalog.ducklake` or `postgres:dbname=...`) and
    its data path (a folder, or `s3://bucket/prefix/`)."""

    catalog: str
    data_path: str

    @property
    def url(self) -> str:
        return f"ducklake:{self.catalog}"

    @property
    def is_local_file(self) -> bool:
        """A DuckDB-file catalog (not `postgres:`, `sqlite:`, `mysql:` or another scheme)."""
        return not re.match(r"^[a-z]+:(?!\\)", self.catalog) or bool(
            re.match(r"^[A-Za-z]:[\\/]", self.catalog)
        )


def configured_lake() -> Lake | None:
    """The lake named by NEWSFIGURES_LAKE_CATALOG and NEWSFIGURES_LAKE_DATA_PATH, if set."""
    catalog = os.environ.get(CATALOG_ENV, "").strip()
    if not catalog:
        return None
    data_path = os.environ.get(DATA_PATH_ENV, "").strip()
    if not data_path:
        raise LakeUnavailable(f"{CATALOG_ENV} is set but {DATA_PATH_ENV} is not")
    return Lake(catalog, data_path)


def extension_path(name: str = "ducklake", package: str | None = None) -> Path:
    """The extension file `name` of its installed duckdb-extension-* package."""
    package = package or f"duckdb_extension_{name}"
    wheel = package.replace("_", "-")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LakeUnavailable(
            f"the {wheel} package is not installed (pip install {wheel}=={duckdb.__version__})"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        found = sorted(p.parent.name for p in folder.glob("extensions/*/*.duckdb_extension"))
        raise LakeUnavailable(
            f"{wheel} has no build for DuckDB {duckdb.__version__} "
            f"(it has {', '.join(found) or 'none'}): install the matching version"
        )
    return path


def extensions_for(lake: Lake) -> list[Path]:
    """The extension files a lake needs: ducklake, plus postgres for a PostgreSQL catalog and
    httpfs for object storage (each from its duckdb-extension-* package)."""
    paths = [extension_path("ducklake")]
    if lake.catalog.startswith("postgres:"):
        paths.append(extension_path("postgres_scanner"))
    if lake.data_path.startswith(("s3://", "gs://", "r2://", "https://", "http://")):
        paths.append(extension_path("httpfs"))
    return paths


def load_extensions(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """Load what the lake needs by path; never download (the signature check stays on)."""
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    for path in extensions_for(lake):
        con.execute(f"LOAD '{path.as_posix()}'")
    if lake.data_path.startswith("s3://"):
        _s3_secret(con)


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """S3 credentials from the standard AWS variables (an endpoint for MinIO and the like)."""
    options = {
        "KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID"),
        "SECRET": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        "REGION": os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"),
        "ENDPOINT": os.environ.get("AWS_ENDPOINT_URL_S3", "").split("://")[-1] or None,
    }
    given = ", ".join(f"{k} '{_quote(v)}'" for k, v in options.items() if v)
    con.execute(
        f"CREATE OR REPLACE SECRET newsfigures_lake (TYPE s3{', ' if given else ''}{given})"
    )


def _is_locked(error: Exception) -> bool:
    return any(marker in str(error) for marker in _LOCKED)


def connect_lake(
    lake: Lake,
    *,
    read_only: bool = False,
    retries: int = 60,
    backoff: float = 0.25,
    max_delay: float = 5.0,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake` and in use (`USE lake`).

    A DuckDB-file catalog held by another process is retried with backoff (a writer waits
    its turn); a catalog still held after `retries` raises `LakeUnavailable` saying so.
    """
    con = duckdb.connect(config=dict(OFFLINE_CONFIG))
    try:
        load_extensions(con, lake)
        con.execute("SET TimeZone = 'UTC'")
        _attach(con, lake, read_only, retries, backoff, max_delay)
        con.execute(f"USE {LAKE}")
    except Exception:
        con.close()
        raise
    return con


def _attach(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    read_only: bool,
    retries: int,
    backoff: float,
    max_delay: float,
) -> None:
    options = [f"DATA_PATH '{_quote(lake.data_path)}'"]
    if read_only:
        options.append("READ_ONLY")
    statement = f"ATTACH '{_quote(lake.url)}' AS {LAKE} ({', '.join(options)})"
    for attempt in range(retries + 1):
        try:
            con.execute(statement)
            return
        except duckdb.Error as error:
            if not _is_locked(error) or attempt == retries:
                if _is_locked(error):
                    raise LakeUnavailable(
                        f"the DuckLake catalog {lake.catalog} stayed locked by another process "
                        f"(a DuckDB-file catalog takes one process at a time; use a PostgreSQL "
                        f"catalog for concurrent writers). DuckDB said: {error}"
                    ) from error
                raise
            delay = min(backoff * 2**attempt, max_delay)
            log.info("DuckLake catalog %s is busy; retrying in %.2fs", lake.catalog, delay)
            time.sleep(delay)


def _quote(text: str) -> str:
    return text.replace("'", "''")


# --- schema --------------------------------------------------------------------------------


def lake_sql(sql: str) -> str:
    """A migration's SQL as DuckLake takes it: no PRIMARY KEY constraints, no comments on
    the columns of views (DuckLake keeps comments on tables, their columns and views only)."""
    sql = _PRIMARY_KEY_COLUMN.sub("", _PRIMARY_KEY_LINE.sub("", sql))
    for view in _VIEW_NAME.findall(sql):
        column_comment = rf"COMMENT ON COLUMN {re.escape(view)}\.\S+ IS '(?:[^']|'')*';"
        sql = re.sub(column_comment, "", sql)
    return sql


def lake_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(LAKE_MIGRATIONS)
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def apply_lake_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Create or upgrade the warehouse's tables and views in the lake; the versions applied."""
    applied = []
    for migration in migrations():
        if migration.version <= lake_version(con):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(lake_sql(migration.sql()))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise RuntimeError(
                f"migration {migration.path.name} failed on DuckLake: {exc}"
            ) from exc
        applied.append(migration.version)
    return applied


# --- loading -------------------------------------------------------------------------------


def load_lake_run(lake: Lake, run_dir: Path, **connect: float) -> loader.LoadStats:
    """Load one run folder into the lake: the warehouse loader's steps, one transaction."""
    started = time.perf_counter()
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise loader.LoadError(f"run folder {run_dir} does not exist")
    run_id = loader.run_id_of(run_dir)
    input_sha = loader.input_sha256(run_dir)
    con = connect_lake(lake, **connect)
    try:
        apply_lake_migrations(con)
        loader.mark_loading(con, run_dir, run_id, input_sha)
        con.execute("BEGIN TRANSACTION")
        try:
            stats = _load_in_transaction(con, run_dir, run_id, input_sha)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    stats.seconds = round(time.perf_counter() - started, 3)
    log.info("loaded run %s into DuckLake %s: %s", run_id, lake.catalog, stats)
    return stats


def _load_in_transaction(
    con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str, input_sha: str
) -> loader.LoadStats:
    """`warehouse.load._load_in_transaction` without the full-text index (not on DuckLake)."""
    stats = loader.LoadStats(run_id=run_id, input_sha256=input_sha)
    loader._stage_run(con, run_dir, run_id)
    loader._stage_jsonl(con, "s_articles_raw", run_dir / "articles.jsonl", loader.ARTICLE_COLUMNS)
    loader._stage_jsonl(con, "s_figures_raw", run_dir / "figures.jsonl", loader.FIGURE_COLUMNS)
    loader._stage_jsonl(con, "s_rejects_raw", run_dir / "rejects.jsonl", loader.REJECT_COLUMNS)
    loader._stage_state(con, run_dir)
    loader._prepare_articles(con)
    loader._prepare_figures(con)
    stats.sources = loader._merge_sources(con, run_id)
    _merge_articles(con, run_id)
    stats.figures, stats.figures_kept = loader._replace_figures(con, run_id)
    stats.rejects, stats.rejects_load = loader._replace_rejects(con, run_id)
    loader._merge_crawl_state(con, run_id)
    mark_duplicates(con)
    loader._count_articles(con, run_id, stats)
    loader._mark_complete(con, run_id, input_sha, stats)
    return stats


# The loader's article MERGE has two WHEN MATCHED actions, which DuckLake does not take yet
# ("MERGE INTO with DuckLake only supports a single UPDATE/DELETE action"): the same decisions
# as one action, each column choosing between the two updates with the same condition.
_CHANGED = "(s.change = 'changed' AND s.current)"
_MERGE_ARTICLES = f"""
MERGE INTO articles t
USING (
    SELECT s.*, c.change, c.current, coalesce(c.known_version, c.max_version + 1) AS new_version,
           (SELECT extractor_version FROM s_run) AS run_extractor
    FROM s_articles s JOIN s_class c USING (article_id)
) s ON t.article_id = s.article_id
WHEN MATCHED THEN UPDATE SET
    url = CASE WHEN {_CHANGED} THEN s.url ELSE t.url END,
    canonical_url = CASE WHEN {_CHANGED} THEN s.canonical_url ELSE t.canonical_url END,
    title = CASE WHEN {_CHANGED} THEN s.title ELSE t.title END,
    text = CASE WHEN {_CHANGED} THEN s.text ELSE t.text END,
    published = CASE WHEN {_CHANGED} THEN coalesce(s.published, t.published)
                     ELSE coalesce(t.published, s.published) END,
    published_source = CASE WHEN {_CHANGED} THEN
            CASE WHEN s.published IS NULL THEN t.published_source ELSE s.published_source END
        ELSE coalesce(t.published_source, s.published_source) END,
    modified = CASE WHEN {_CHANGED} THEN s.modified ELSE coalesce(t.modified, s.modified) END,
    language = CASE WHEN {_CHANGED} THEN s.language ELSE coalesce(t.language, s.language) END,
    authors = CASE WHEN {_CHANGED} THEN s.authors ELSE t.authors END,
    categories = CASE WHEN {_CHANGED} THEN s.categories ELSE t.categories END,
    tags = CASE WHEN {_CHANGED} THEN s.tags ELSE t.tags END,
    content_hash = CASE WHEN {_CHANGED} THEN s.content_hash ELSE t.content_hash END,
    fingerprint = CASE WHEN {_CHANGED} THEN s.fingerprint ELSE t.fingerprint END,
    word_count = CASE WHEN {_CHANGED} THEN s.word_count ELSE t.word_count END,
    raw_path = CASE WHEN {_CHANGED} THEN s.raw_path ELSE t.raw_path END,
    version = CASE WHEN {_CHANGED} THEN s.new_version ELSE t.version END,
    version_run_id = CASE WHEN {_CHANGED} THEN $run ELSE t.version_run_id END,
    first_run_id = least(t.first_run_id, $run), last_run_id = greatest(t.last_run_id, $run)
{loader.NEW_ARTICLE_INSERT}"""


def _merge_articles(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """`warehouse.load._merge_articles` with its article MERGE as one action (see above)."""
    original = con.execute

    def execute(sql: str, *args):
        if "MERGE INTO articles t" in sql:
            return original(_MERGE_ARTICLES, *args)
        return original(sql, *args)

    loader._merge_articles(_Redirect(con, execute), run_id)


class _Redirect:
    """A connection whose `execute` is replaced; everything else goes to the real one."""

    def __init__(self, con: duckdb.DuckDBPyConnection, execute) -> None:
        self._con = con
        self.execute = execute

    def __getattr__(self, name: str):
        return getattr(self._con, name)


def lake_crawl_state(lake: Lake, source: str, **connect: float) -> dict:
    """The state the latest loaded crawl of `source` returned, from the lake (empty if none):
    what `warehouse.crawl_state` gives from the DuckDB file, for an incremental crawl."""
    from warehouse.state import empty_state, state_from

    if lake.is_local_file and not Path(lake.catalog).exists():
        return empty_state(source)  # no load yet; a read-only attach cannot create it
    con = connect_lake(lake, read_only=True, **connect)
    try:
        if not con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
            [LAKE, "crawl_state"],
        ).fetchone()[0]:
            return empty_state(source)
        return state_from(con, source)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m warehouse.lake", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="load a run folder into a DuckLake")
    load.add_argument("catalog", help="catalog.ducklake, or postgres:dbname=... host=...")
    load.add_argument("data_path", help="a folder, or s3://bucket/prefix/")
    load.add_argument("run_dir", type=Path)
    args = parser.parse_args(argv)
    stats = load_lake_run(Lake(args.catalog, args.data_path), args.run_dir)
    print(json.dumps(stats.to_dict(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
