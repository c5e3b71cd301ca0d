"""What every benchmark shares: an isolated Prefect home, memory sampling, the result record.

Timings on a shared machine are noisy, so each benchmark reports a ratio against a baseline
measured in the same run; memory is the peak resident set of the whole process tree (this
process plus every child: the crawl's Scrapy subprocess, the process pool's workers, the
ephemeral Prefect server), sampled, because `ru_maxrss` only knows one process at a time.
"""

from __future__ import annotations

import os
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
MB = 2**20


def isolate_prefect() -> Path:
    """A throw-away PREFECT_HOME (Prefect reads it at import): no state leaks into ~/.prefect.

    Call before anything imports prefect. Offline, telemetry must be off; a configured API
    URL is dropped so benchmarks never write into a real server's history.
    """
    if os.environ.get("NEWSFIGURES_BENCH_PREFECT_HOME"):
        return Path(os.environ["NEWSFIGURES_BENCH_PREFECT_HOME"])
    home = Path(tempfile.mkdtemp(prefix="newsfigures-bench-prefect-"))
    os.environ["NEWSFIGURES_BENCH_PREFECT_HOME"] = str(home)
    os.environ["PREFECT_HOME"] = str(home)
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ.pop("PREFECT_API_URL", None)
    # The ephemeral server starts in about 8 s on an idle machine, much later on a busy one.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    # Flow and task logs go to the (temporary) API, not to the benchmark table's terminal.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    return home


def warm_prefect() -> float:
    """Start the ephemeral Prefect server now (about 8 s), so no timed run pays for it."""
    from prefect import flow

    @flow(name="bench-warm-up")
    def warm_up() -> int:
        return 1

    started = time.perf_counter()
    warm_up()
    return time.perf_counter() - started


def role_of(cmdline: list[str]) -> str:
    """What a process of the tree is, from its command line (for the memory breakdown)."""
    text = " ".join(cmdline)
    if "prefect.server" in text or "prefect server" in text:
        return "prefect-server"
    if "scrapy" in text:
        return "crawl"
    if "multiprocessing" in text or "spawn_main" in text or "forkserver" in text:
        return "pool-worker"
    if "distributed" in text or "dask" in text:
        return "dask-worker"
    return "other"


def tree_rss_by_role(
    pid: int | None = None, exclude: set[int] | frozenset[int] = frozenset()
) -> dict[str, int]:
    """Resident bytes of a process and its live descendants right now, summed per role.

    The root process is `main`. `exclude` names processes left out with their descendants
    (e.g. the demo site, which stands for a web server elsewhere, not part of the product).
    """
    import psutil

    try:
        root = psutil.Process(pid or os.getpid())
        members = root.children(recursive=True)
        skipped = set(exclude)
        for excluded in exclude:
            try:
                skipped |= {c.pid for c in psutil.Process(excluded).children(recursive=True)}
            except psutil.Error:
                continue
        roles = {"main": root.memory_info().rss}
    except psutil.Error:
        return {}
    for member in (m for m in members if m.pid not in skipped):
        try:
            role = role_of(member.cmdline())
            roles[role] = roles.get(role, 0) + member.memory_info().rss
        except psutil.Error:  # a child that exited between listing and reading
            continue
    return roles


def tree_rss_bytes(pid: int | None = None, exclude: set[int] | frozenset[int] = frozenset()) -> int:
    """Resident bytes of a process and all its live descendants, right now."""
    return sum(tree_rss_by_role(pid, exclude).values())


class TreeMemory:
    """Samples the process tree's RSS in a thread: the peak of the sum, with and without the
    Prefect server (a separate service in production), and each role's own peak."""

    def __init__(self, interval: float = 0.2, exclude: set[int] | None = None) -> None:
        self.interval = interval
        self.exclude = frozenset(exclude or ())
        self.peak = 0
        self.peak_without_server = 0
        self.role_peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True, name="rss-sampler")

    def _take(self) -> None:
        roles = tree_rss_by_role(exclude=self.exclude)
        total = sum(roles.values())
        self.peak = max(self.peak, total)
        server = roles.get("prefect-server", 0)
        self.peak_without_server = max(self.peak_without_server, total - server)
        for role, rss in roles.items():
            self.role_peaks[role] = max(self.role_peaks.get(role, 0), rss)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self._take()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._take()

    @property
    def peak_mb(self) -> float:
        return round(self.peak / MB, 1)

    @property
    def peak_without_server_mb(self) -> float:
        return round(self.peak_without_server / MB, 1)

    def roles_mb(self) -> dict[str, float]:
        return {role: round(rss / MB, 1) for role, rss in sorted(self.role_peaks.items())}


@contextmanager
def tree_memory(interval: float = 0.2) -> Iterator[TreeMemory]:
    with TreeMemory(interval) as sampler:
        yield sampler


def rusage_peak_mb() -> float:
    """The largest single-process peak of this process and of its waited-for children.

    A lower bound for the tree's peak (processes alive at once add up); the harness shows it
    when a benchmark reports no sampled figure of its own.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


@dataclass(slots=True)
class Goal:
    """A benchmark's pass condition on one of its numbers: `key` `op` `limit`."""

    key: str
    op: str  # ">=" or "<="
    limit: float
    label: str = ""

    def holds(self, value: Any) -> bool | None:
        if not isinstance(value, int | float):
            return None
        return value >= self.limit if self.op == ">=" else value <= self.limit

    def text(self) -> str:
        return self.label or f"{self.key} {self.op} {self.limit:g}"


@dataclass(slots=True)
class Row:
    """One line of the table, from one benchmark's result dict."""

    stage: str
    rate: float | None = None
    unit: str = ""
    baseline_rate: float | None = None
    ratio: float | None = None
    peak_rss_mb: float | None = None
    goals: list[Goal] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    skipped: str | None = None

    def verdicts(self) -> list[tuple[Goal, bool | None]]:
        return [(goal, goal.holds(self.values.get(goal.key))) for goal in self.goals]

    def passed(self) -> bool | None:
        """True when every goal holds, False when one fails, None without goals or numbers."""
        if self.error:
            return False
        results = [ok for _, ok in self.verdicts()]
        if not results or any(ok is None for ok in results):
            return None if not any(ok is False for ok in results) else False
        return all(results)


def stopwatch() -> Stopwatch:
    return Stopwatch()


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start
