"""Opening the warehouse: the single writer (with migrations and lock retries) and readers."""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.fts import load_fts

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<process>.+?) \(PID (?P<pid>\d+)\)")

# Never reach the network for an extension; load them by path only (see warehouse.fts).
OFFLINE_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


class WarehouseLocked(RuntimeError):
    """Another process holds the database file, so this one cannot open it."""

    def __init__(self, db_path: Path, pid: int | None, process: str | None, detail: str):
        self.db_path = db_path
        self.pid = pid
        self.process = process
        holder = f"PID {pid} ({process})" if pid else "another process"
        super().__init__(
            f"warehouse {db_path} is locked by {holder}; only one process may open it for "
            f"writing. Readers should open the published copy instead. DuckDB said: {detail}"
        )


SCHEMA_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL);
COMMENT ON TABLE schema_migrations IS 'Migrations applied to this file, one row each (warehouse/migrations/NNN_name.sql).';
COMMENT ON COLUMN schema_migrations.version IS 'Migration number NNN; the schema version is the largest.';
COMMENT ON COLUMN schema_migrations.name IS 'Migration name.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied (UTC).';
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def migrations() -> list[Migration]:
    """Every migration shipped with the package, in version order."""
    found = []
    for path in MIGRATIONS_DIR.glob("*.sql"):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file {path.name} is not named NNN_name.sql")
        found.append(Migration(int(match.group(1)), match.group(2), path))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, ... without gaps; found {versions}")
    return found


def latest_version() -> int:
    return migrations()[-1].version


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def apply_migrations(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> list[int]:
    """Apply the pending migrations, each in its own transaction; returns the versions applied."""
    if schema_version(con) == 0:
        con.execute(SCHEMA_MIGRATIONS)
    current = schema_version(con)
    applied = []
    for migration in migrations():
        if migration.version <= current or (upto is not None and migration.version > upto):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql())
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise RuntimeError(f"migration {migration.path.name} failed: {exc}") from exc
        applied.append(migration.version)
        log.info("applied migration %s", migration.path.name)
    return applied


def lock_holder(message: str) -> tuple[int | None, str | None]:
    """PID and executable of the process DuckDB says holds the lock, if it says."""
    match = _LOCK_HOLDER.search(message)
    if not match:
        return None, None
    return int(match.group("pid")), match.group("process")


def _is_lock_error(exc: Exception) -> bool:
    return "Could not set lock on file" in str(exc) or "Conflicting lock" in str(exc)


def open_with_retries(
    db_path: Path, *, read_only: bool, retries: int, backoff: float
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying a lock conflict with exponential backoff, then WarehouseLocked."""
    db_path = Path(db_path)
    attempt = 0
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only, config=dict(OFFLINE_CONFIG))
            con.execute("SET enable_progress_bar = false")  # never draw on the caller's terminal
            return con
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise
            if attempt >= retries:
                pid, process = lock_holder(str(exc))
                raise WarehouseLocked(db_path, pid, process, str(exc)) from exc
            delay = min(backoff * 2**attempt, 60.0)
            log.warning("%s is locked (%s); retrying in %.1fs", db_path, exc, delay)
            time.sleep(delay)
            attempt += 1


def writer_memory_limit() -> str:
    """DuckDB's memory limit for the nightly's connection: $NEWSFIGURES_DUCKDB_MEMORY or 128MB.

    DuckDB spills to `<db>.tmp/` beyond it. Measured on synthetic runs (28 figures an
    article): 10,000 and 20,000 articles both peak near 260 MB of RSS under 128MB (630 MB under
    512MB) and load about 15% slower. What cannot spill (a transaction's own uncommitted rows)
    grows with the run, so a bigger run may need more: `warehouse.load` then retries with
    twice the limit (40,000 articles need 256MB).
    """
    return os.environ.get("NEWSFIGURES_DUCKDB_MEMORY", "128MB")


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(I?B)?\s*$", re.IGNORECASE)


def size_bytes(text: str) -> int:
    """Bytes in a DuckDB-style size such as '128MB', '1.5GiB' or '512 KB' (binary units)."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a memory size: {text!r} (write it like 128MB or 2GB)")
    power = " KMGT".index(match.group(2).upper() or " ")
    return int(float(match.group(1)) * (1024**power))


def connect_writer(
    db_path: Path, *, retries: int = 5, backoff: float = 1.0, fts: bool = False
) -> duckdb.DuckDBPyConnection:
    """The one read-write connection to the private warehouse file, migrated to the latest schema.

    A lock conflict (another process has the file open) is retried `retries` times with
    exponential backoff starting at `backoff` seconds, then raises `WarehouseLocked` naming the
    process that holds it. `fts=True` also loads the fts extension (for `search()`).
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = open_with_retries(db_path, read_only=False, retries=retries, backoff=backoff)
    try:
        # Timestamps without an offset are UTC, whatever the machine's zone.
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET memory_limit = ?", [writer_memory_limit()])
        if fts:
            load_fts(con)
        apply_migrations(con)
    except Exception:
        con.close()
        raise
    return con


def connect_reader(
    db_path: Path, *, retries: int = 3, backoff: float = 0.5, fts: bool = False
) -> duckdb.DuckDBPyConnection:
    """A read-only connection (to the published copy, or to the private file for crawl state).

    `fts=True` loads the fts extension when installed, which BM25 `search()` needs.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(
            f"no warehouse at {db_path}: run a load first (newsfigures nightly / make demo), "
            "or point --db / NEWSFIGURES_HOME at it"
        )
    con = open_with_retries(db_path, read_only=True, retries=retries, backoff=backoff)
    con.execute("SET TimeZone = 'UTC'")
    if fts:
        load_fts(con)
    return con


def user_relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table'|'view') of every table and view in the main schema, sorted by name."""
    return con.execute(
        """
        SELECT table_name, 'table' FROM duckdb_tables()
            WHERE schema_name = 'main' AND database_name = current_database()
        UNION ALL
        SELECT view_name, 'view' FROM duckdb_views()
            WHERE schema_name = 'main' AND database_name = current_database() AND NOT internal
        ORDER BY 1
        """
    ).fetchall()


def checksum(
    con: duckdb.DuckDBPyConnection, *, skip: tuple[str, ...] = ("schema_migrations",)
) -> dict[str, str]:
    """An order-independent checksum of every table and view: equal dicts, equal query results."""
    sums = {}
    for name, _kind in user_relations(con):
        if name in skip:
            continue
        rows, total = con.execute(
            f'SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM "{name}" AS t'
        ).fetchone()
        sums[name] = f"{rows}:{total}"
    return sums
