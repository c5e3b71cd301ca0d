"""Publishing: a consistent read-only copy of the private warehouse that readers open.

DuckDB lets a process write a file only while no other process has it open, so readers never
open the nightly's private file. After a load the nightly checkpoints it, copies it beside
the published file and renames the copy over it. A reader that still has the old published
file open keeps reading that file (its inode lives on until closed): a consistent snapshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from warehouse.db import OFFLINE_CONFIG, connect_writer


class PublishError(RuntimeError):
    """The copy could not be made or did not open as a warehouse; the old one is untouched."""


def publish(db_path: Path, published_path: Path, *, retries: int = 5, backoff: float = 1.0) -> Path:
    """CHECKPOINT the private file, copy it to a temp file beside `published_path`, os.replace."""
    db_path, published_path = Path(db_path), Path(published_path)
    if not db_path.exists():
        raise PublishError(f"no private warehouse at {db_path}: load a run first")
    con = connect_writer(db_path, retries=retries, backoff=backoff)
    try:
        con.execute("CHECKPOINT")
    finally:
        # Close before copying: the lock is POSIX advisory and our own copy must see a file
        # with nothing left in its write-ahead log.
        con.close()
    wal = db_path.with_name(db_path.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise PublishError(f"{wal} still holds changes after CHECKPOINT; not publishing")
    published_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_copies(published_path)
    tmp = published_path.with_name(f".{published_path.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(db_path, tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        _check_copy(tmp)
        # Read-only on disk too: `duckdb data/newsfigures.duckdb` without -readonly then fails
        # at once instead of taking a write lock and leaving a WAL beside the next night's file.
        tmp.chmod(0o444)
        os.replace(tmp, published_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(published_path.parent)
    return published_path


def _remove_stale_copies(published_path: Path) -> None:
    """Temp copies left by a publish that was killed (its process is gone)."""
    for leftover in published_path.parent.glob(f".{published_path.name}.*.tmp"):
        pid = leftover.name.removeprefix(f".{published_path.name}.").removesuffix(".tmp")
        if pid.isdigit() and not _alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _check_copy(path: Path) -> None:
    """Open the copy read-only before anyone else can: a broken copy never replaces a good one."""
    try:
        con = duckdb.connect(str(path), read_only=True, config=dict(OFFLINE_CONFIG))
        try:
            con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        raise PublishError(f"the copy {path} does not open as a warehouse: {exc}") from exc


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
