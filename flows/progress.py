"""Progress of the stages for whoever watches: a rich progress bar at a terminal, nothing in
a deployment (the Prefect UI has its own progress artifact).

Stage tasks call `report(...)`; the CLI installs a reporter around a flow run. The flow runs in
the CLI's own process (its tasks in threads), so one module-level reporter reaches them all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Reporter = Callable[[str, str, int, int | None], None]
_reporter: Reporter | None = None


def report(stage: str, source: str, done: int, total: int | None = None) -> None:
    """`done` of `total` items of `stage` for `source` (total None: not known yet)."""
    if _reporter is not None:
        _reporter(stage, source, done, total)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


class RichReporter:
    """One bar per stage and source on a `rich.progress.Progress`."""

    def __init__(self, bars) -> None:
        self.bars = bars
        self.tasks: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()

    def __call__(self, stage: str, source: str, done: int, total: int | None) -> None:
        with self.lock:
            key = (stage, source)
            if key not in self.tasks:
                self.tasks[key] = self.bars.add_task(f"{stage:<8} {source}", total=total)
            self.bars.update(self.tasks[key], completed=done, total=total)
