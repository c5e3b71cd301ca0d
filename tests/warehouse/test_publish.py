"""Publishing the private file as a read-only copy."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest

import warehouse
from tests.warehouse.conftest import rows
from tests.warehouse.helpers import article, write_run


def test_publish_replaces_the_copy_whole_and_leaves_it_read_only_on_disk(tmp_path, db, published):
    warehouse.load_run(db, write_run(tmp_path, "20170707T020000Z-nightly", [article("a1", "One.")]))
    assert warehouse.publish(db, published) == published
    warehouse.load_run(db, write_run(tmp_path, "20170708T020000Z-nightly", [article("a2", "Two.")]))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    leftover = published.with_name(f".{published.name}.{dead.stdout.strip()}.tmp")
    leftover.write_bytes(b"half a copy from a publish that was killed")
    warehouse.publish(db, published)

    assert rows(published, "SELECT article_id FROM articles ORDER BY 1") == [("a1",), ("a2",)]
    assert stat.S_IMODE(published.stat().st_mode) == 0o444
    assert [p.name for p in published.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert not published.with_name(published.name + ".wal").exists()


def test_publishing_before_any_load_says_so(tmp_path, db, published):
    with pytest.raises(warehouse.PublishError, match="load a run first"):
        warehouse.publish(db, published)
    assert not published.exists()
