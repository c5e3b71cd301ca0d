"""Run one crawl as a subprocess (`scrapy crawl <kind> ...`) with a hard timeout.

A Twisted reactor cannot restart inside a long-lived process, so every crawl is its own
`python -m scrapy crawl`. The output folder (docs/contracts.md) is read back into a
`CrawlResult`; a crawl killed by its timeout still returns what it wrote so far, and its
state is rebuilt from the pages it kept.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from spiders.parse.dates import newest
from spiders.settings import POLITENESS_OFF
from spiders.sources import Source
from spiders.state import CrawlState

REPO_ROOT = Path(__file__).resolve().parents[1]
LOG_TAIL_LINES = 40
# The spider stops itself this long before the hard timeout (CLOSESPIDER_TIMEOUT), so that its
# requests in flight (DOWNLOAD_TIMEOUT is 30 s) can finish and it writes state and stats.
GRACE_SECONDS = 45.0


@dataclass(slots=True)
class CrawlResult:
    status: Literal["ok", "failed", "timeout"]
    pages: int
    rejects: int
    stats: dict[str, Any] = field(default_factory=dict)
    returncode: int | None = None
    log_tail: str = ""
    duration: float = 0.0
    out_dir: Path | None = None
    state: dict[str, Any] = field(default_factory=dict)


def crawl_command(
    source: Path,
    out_dir: Path,
    state_path: Path | None,
    polite: bool = True,
    close_after: float | None = None,
    settings: dict[str, Any] | None = None,
) -> list[str]:
    """The command line of one crawl; `source` is the Source JSON written by `run_crawl`.

    `settings` are extra Scrapy settings (`-s KEY=VALUE`), e.g. shorter delays in tests.
    """
    kind = json.loads(Path(source).read_text(encoding="utf-8"))["kind"]
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        kind,
        "-a",
        f"source={source}",
        "-a",
        f"out={out_dir}",
    ]
    if state_path is not None:
        command += ["-a", f"state={state_path}"]
    if close_after:
        command += ["-s", f"CLOSESPIDER_TIMEOUT={close_after:.0f}"]
    if not polite:
        command += [
            arg for key, value in POLITENESS_OFF.items() for arg in ("-s", f"{key}={value}")
        ]
    command += [arg for key, value in (settings or {}).items() for arg in ("-s", f"{key}={value}")]
    return command


def run_crawl(
    source: Source,
    out_dir: Path,
    state: dict[str, Any] | None,
    timeout: float = 1800,
    polite: bool = True,
    settings: dict[str, Any] | None = None,
) -> CrawlResult:
    """Crawl one source into `out_dir`; never raises for a failed crawl, reports it instead."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    source_path = out_dir / "source.json"
    source_path.write_text(
        json.dumps(source.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for stale in ("pages.jsonl", "rejects.jsonl", "state.json", "stats.json"):
        (out_dir / stale).unlink(missing_ok=True)
    state_path = None
    if state:
        state_path = out_dir / "state.in.json"
        state_path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    close_after = timeout - GRACE_SECONDS if timeout > 2 * GRACE_SECONDS else None
    command = crawl_command(
        source_path, out_dir, state_path, polite=polite, close_after=close_after, settings=settings
    )
    env = {
        **os.environ,
        "NEWSFIGURES_POLITE": "1" if polite else "0",
        "SCRAPY_SETTINGS_MODULE": "spiders.settings",
    }
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    started = time.monotonic()
    log_path = out_dir / "crawl.log"
    with log_path.open("wb") as log:
        try:
            completed = subprocess.run(
                command,
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
            status: Literal["ok", "failed", "timeout"] = (
                "ok" if completed.returncode == 0 else "failed"
            )
            returncode: int | None = completed.returncode
        except subprocess.TimeoutExpired:
            status, returncode = "timeout", None
    duration = time.monotonic() - started
    pages = _jsonl(out_dir / "pages.jsonl")
    stats = _json(out_dir / "stats.json") or {}
    if status == "ok" and not stats:
        status = "failed"  # the process ended without the spider closing normally
    if status == "ok" and stats.get("finish_reason") == "closespider_timeout":
        status = "timeout"  # it stopped itself in time; what it got is complete and kept
    result_state = _json(out_dir / "state.json")
    if result_state is None:
        result_state = rebuilt_state(source.name, state, pages)
        (out_dir / "state.json").write_text(
            json.dumps(result_state, ensure_ascii=False), encoding="utf-8"
        )
    return CrawlResult(
        status=status,
        pages=len(pages),
        rejects=len(_jsonl(out_dir / "rejects.jsonl")),
        stats=stats,
        returncode=returncode,
        log_tail=_tail(log_path),
        duration=duration,
        out_dir=out_dir,
        state=result_state,
    )


def rebuilt_state(
    source: str, state: dict[str, Any] | None, pages: list[dict[str, Any]]
) -> dict[str, Any]:
    """The state a crawl would have written, from the input state and the pages it kept."""
    rebuilt = CrawlState.from_dict(state, source)
    for page in pages:
        rebuilt.record_page(
            page["url"],
            modified=newest(page.get("modified"), page.get("published")),
            body_sha256=page.get("body_sha256"),
        )
    return rebuilt.to_dict()


def _jsonl(path: Path) -> list[dict[str, Any]]:
    """Complete JSON lines of a file; a line cut by a killed process is ignored."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows


def _json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-LOG_TAIL_LINES:])
