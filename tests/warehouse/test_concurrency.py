"""Real processes against real files: readers never block the nightly, crashes lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import warehouse
from tests.warehouse.conftest import rows, table_sums
from tests.warehouse.helpers import article, figure, write_run

REPO = Path(__file__).resolve().parents[2]
RUN1 = "20170707T020000Z-nightly"
RUN2 = "20170708T020000Z-nightly"


def python(script: str, *args: str, env: dict | None = None) -> subprocess.Popen:
    """A Python subprocess running `script` from the repository, talking over pipes."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, proc: subprocess.Popen, limit: float = 60.0) -> None:
    """Until the subprocess has written `path` (it reached its step), or fail if it died."""
    deadline = time.monotonic() + limit
    while not path.exists():
        if proc.poll() is not None:
            pytest.fail(f"subprocess exited early: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("subprocess never reached its step")
        time.sleep(0.05)


def two_runs(root: Path) -> tuple[Path, Path]:
    run1 = write_run(
        root, RUN1, [article("a1", "Xiaomi shipped 23.16 million.")], {"a1": [figure(23160000)]}
    )
    run2 = write_run(
        root,
        RUN2,
        [
            article("b1", "Apple sold 74.5 million iPhones."),
            article("b2", "Samsung earned 14.5 trillion won."),
        ],
        {
            "b1": [figure(74500000, entity="Apple")],
            "b2": [figure(14.5e12, entity="Samsung", unit="KRW")],
        },
    )
    return run1, run2


READER = """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    def snapshot():
        return con.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM figures_full), "
            "(SELECT string_agg(run_id, ',' ORDER BY run_id) FROM runs)").fetchone()
    print(*snapshot(), sep="|", flush=True)
    sys.stdin.readline()  # hold the file open while the nightly loads and publishes
    print(*snapshot(), sep="|", flush=True)
"""


def test_a_reader_holding_the_published_file_neither_blocks_the_nightly_nor_sees_it_midway(
    tmp_path, db, published
):
    run1, run2 = two_runs(tmp_path)
    warehouse.load_run(db, run1)
    warehouse.publish(db, published)
    reader = python(READER, str(published))
    before = reader.stdout.readline().strip()
    assert before == f"1|1|{RUN1}"

    stats = warehouse.load_run(db, run2, retries=0)
    warehouse.publish(db, published, retries=0)

    out, err = reader.communicate("go\n", timeout=60)
    assert reader.returncode == 0, err
    assert out.strip() == before  # the reader's snapshot is the old, consistent warehouse
    assert stats.articles_new == 2
    assert rows(published, "SELECT count(*) FROM articles") == [(3,)]


LOCKER = """
    import sys, warehouse
    con = warehouse.connect_writer(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
"""


def test_a_second_writer_is_retried_then_refused_with_the_holders_pid(tmp_path, db):
    run1, _ = two_runs(tmp_path)
    holder = python(LOCKER, str(db))
    assert holder.stdout.readline().strip() == "open"
    try:
        with pytest.raises(warehouse.WarehouseLocked) as caught:
            warehouse.load_run(db, run1, retries=2, backoff=0.01)
    finally:
        holder.communicate("done\n", timeout=60)
    assert caught.value.pid == holder.pid
    assert f"PID {holder.pid}" in str(caught.value)
    assert "locked" in str(caught.value)
    warehouse.load_run(db, run1, retries=0)  # once the holder is gone the load goes through


LOADER = """
    import sys, warehouse
    from pathlib import Path
    warehouse.load_run(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.fixture(scope="module")
def clean_sums(tmp_path_factory) -> dict[str, str]:
    """Checksums of a warehouse that loaded both runs without incident."""
    root = tmp_path_factory.mktemp("clean")
    run1, run2 = two_runs(root)
    clean = root / "clean.duckdb"
    warehouse.load_run(clean, run1)
    warehouse.load_run(clean, run2)
    return table_sums(clean)


@pytest.mark.parametrize("step", ["figures", "before_commit"])
def test_a_load_killed_midway_leaves_nothing_visible_and_the_rerun_loads_it_once(
    tmp_path, db, step, clean_sums
):
    run1, run2 = two_runs(tmp_path)
    warehouse.load_run(db, run1)
    marker = tmp_path / "paused"
    loader = python(LOADER, str(db), str(run2), env={"NEWSFIGURES_LOAD_PAUSE": f"{step}:{marker}"})
    wait_for(marker, loader)
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait(timeout=60)

    assert rows(db, "SELECT run_id, status FROM runs ORDER BY run_id") == [
        (RUN1, "complete"),
        (RUN2, "loading"),
    ]
    assert rows(db, "SELECT article_id FROM articles") == [("a1",)]
    assert rows(db, "SELECT count(*) FROM figures WHERE run_id = ?", [RUN2]) == [(0,)]
    assert warehouse.incomplete_runs(db) == [RUN2]

    warehouse.load_run(db, run2)
    assert warehouse.incomplete_runs(db) == []
    assert table_sums(db) == clean_sums
    assert rows(db, "SELECT count(*) FROM figures WHERE run_id = ?", [RUN2]) == [(2,)]
