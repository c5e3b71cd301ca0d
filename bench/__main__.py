"""`python -m bench` (`make bench`): run every `bench/bench_*.py` and print one table.

Each benchmark module exposes `run() -> dict` (or a list of dicts, one per table row) with at
least `stage`, `rate`, `baseline_rate`, `ratio` and `peak_rss_mb`. Every benchmark runs in a
subprocess of its own, so that one crash, hang or memory peak cannot spoil the others' numbers;
the harness samples that subprocess's whole tree (its own children included) for peak memory.

    python -m bench                          # everything, default sizes
    python -m bench --only pipeline          # bench_pipeline only (repeatable, or a,b)
    python -m bench --only pipeline --pages 10000
    python -m bench --json bench.json        # also write every number as JSON

A row passes when every goal on it holds. Goals come from the row itself (`goals`: a list of
{key, op, limit}, or `goal`: "<op> <limit>" on the ratio) or from STAGE_GOALS below.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from bench.common import REPO, Goal, Row, TreeMemory

BENCH_DIR = Path(__file__).resolve().parent
# The end-to-end goals this harness owns (issue 8); stage ratios come from the stage issues,
# reported by each benchmark in its own `goals`/`goal`.
STAGE_GOALS: dict[str, list[Goal]] = {
    "pipeline": [
        Goal("seconds", "<=", 600, "10k pages <= 600 s"),
        Goal("peak_rss_mb", "<=", 1024, "peak RSS <= 1 GB"),
    ],
    "pipeline memory": [Goal("ratio", "<=", 1.2, "10k/1k RSS <= 1.2")],
    "process 2 vs 1 workers": [Goal("ratio", ">=", 1.7, "speed-up >= 1.7")],
    "incremental": [
        Goal("ratio", "<=", 0.10, "time 2nd/1st <= 0.10"),
        Goal("article_requests", "<=", 0, "no article request"),
        Goal("rows_loaded", "<=", 0, "loads nothing"),
    ],
}
UNITS = {
    "crawl": "pages/s",
    "clean": "pages/s",
    "figures": "sentences/s",
    "load": "rows/s",
    "pipeline": "pages/s",
    "incremental": "s",
}


def discover() -> list[str]:
    """Names of the benchmark modules, e.g. ['crawl', 'clean', ...] for bench/bench_<name>.py."""
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def chosen(only: list[str] | None) -> list[str]:
    names = discover()
    if not only:
        return names
    wanted = [n.strip().removeprefix("bench_") for item in only for n in item.split(",")]
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}")
    return [n for n in names if n in wanted]


# --- one benchmark, in its own process -----------------------------------------------------


def run_child(name: str, out: Path, options: dict[str, Any]) -> int:
    """Import bench_<name>, call its run() with the options it accepts, write the result."""
    from bench.common import isolate_prefect

    isolate_prefect()
    try:
        module = importlib.import_module(f"bench.bench_{name}")
        run = getattr(module, "run", None)
        if run is None:
            payload: Any = {"stage": name, "skipped": "module has no run()"}
        else:
            accepted = inspect.signature(run).parameters
            kwargs = {k: v for k, v in options.items() if k in accepted and v is not None}
            payload = run(**kwargs)
    except BaseException as error:  # reported in the table, never a crash of the harness
        payload = {
            "stage": name,
            "error": f"{type(error).__name__}: {error}",
            "traceback": traceback.format_exc(),
        }
    out.write_text(json.dumps(payload, default=str, indent=1), encoding="utf-8")
    return 0


def run_isolated(name: str, options: dict[str, Any], timeout: float) -> tuple[Any, float]:
    """Run one benchmark in a subprocess; (its result, the peak RSS MB of its whole tree)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        out = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "bench", "--child", name, "--child-out", str(out)]
        command += ["--options", json.dumps(options)]
        env = os.environ | {"PYTHONPATH": str(REPO)}
        with TreeMemory(interval=0.25) as memory:
            try:
                done = subprocess.run(command, cwd=REPO, env=env, timeout=timeout, check=False)
                returncode = done.returncode
            except subprocess.TimeoutExpired:
                return {"stage": name, "error": f"timed out after {timeout:.0f} s"}, memory.peak_mb
        if not out.exists():
            return {
                "stage": name,
                "error": f"benchmark process exited {returncode}",
            }, memory.peak_mb
        return json.loads(out.read_text(encoding="utf-8")), memory.peak_mb


# --- rows and the table --------------------------------------------------------------------


def goals_of(result: dict[str, Any], stage: str) -> list[Goal]:
    if isinstance(result.get("goals"), list):
        return [
            Goal(g["key"], g["op"], float(g["limit"]), g.get("label", "")) for g in result["goals"]
        ]
    if isinstance(result.get("goal"), str):
        op, limit = result["goal"].split()
        return [Goal("ratio", op, float(limit))]
    return list(STAGE_GOALS.get(stage, []))


def rows_of(name: str, result: Any, tree_peak_mb: float) -> list[Row]:
    """Table rows of one benchmark's result: a dict, or a list of dicts (one per row)."""
    results = result if isinstance(result, list) else [result]
    rows = []
    for item in results:
        stage = str(item.get("stage") or name)
        own_peak = item.get("peak_rss_mb")
        # A single-row benchmark's tree was sampled here; a multi-row one measures per row.
        peak = own_peak if len(results) > 1 else _max(own_peak, tree_peak_mb)
        values = dict(item) | {"peak_rss_mb": peak}
        rows.append(
            Row(
                stage=stage,
                rate=item.get("rate"),
                unit=str(item.get("unit") or UNITS.get(stage, UNITS.get(name, ""))),
                baseline_rate=item.get("baseline_rate"),
                ratio=item.get("ratio"),
                peak_rss_mb=peak,
                goals=goals_of(item, stage),
                values=values,
                error=item.get("error"),
                skipped=item.get("skipped"),
            )
        )
    return rows


def _max(a: Any, b: Any) -> float | None:
    numbers = [x for x in (a, b) if isinstance(x, int | float)]
    return max(numbers) if numbers else None


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(rows: list[Row], machine: str = "") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="newsfigures benchmarks (ratios against baselines measured in this run)")
    for column, justify in [
        ("stage", "left"),
        ("rate", "right"),
        ("baseline", "right"),
        ("ratio", "right"),
        ("peak RSS MB", "right"),
        ("goal", "left"),
        ("result", "left"),
    ]:
        table.add_column(column, justify=justify)
    for row in rows:
        if row.error or row.skipped:
            table.add_row(
                row.stage,
                "-",
                "-",
                "-",
                _num(row.peak_rss_mb),
                "",
                f"[red]ERROR {row.error}[/]" if row.error else f"skipped: {row.skipped}",
            )
            continue
        verdict = row.passed()
        shown = {True: "[green]pass[/]", False: "[red]FAIL[/]", None: "-"}[verdict]
        failing = [g.text() for g, ok in row.verdicts() if ok is False]
        if failing:
            shown += f" ({'; '.join(failing)})"
        table.add_row(
            row.stage,
            f"{_num(row.rate)} {row.unit}".strip(),
            _num(row.baseline_rate),
            _num(row.ratio, 3),
            _num(row.peak_rss_mb),
            "; ".join(g.text() for g in row.goals),
            shown,
        )
    console = Console(width=200)
    console.print(table)
    if machine:
        console.print(machine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="benchmark name(s): crawl, clean, ...")
    parser.add_argument("--pages", type=int, help="size, for the benchmarks that take `pages`")
    parser.add_argument("--json", type=Path, help="write every result as JSON to this file")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per benchmark")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child(args.child, args.child_out, json.loads(args.options))
    if args.list:
        print("\n".join(discover()))
        return 0
    options = {"pages": args.pages}
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    results: dict[str, Any] = {}
    for name in chosen(args.only):
        print(f"== bench_{name} ...", file=sys.stderr, flush=True)
        result, tree_peak = run_isolated(name, options, args.timeout)
        results[name] = {"result": result, "tree_peak_rss_mb": tree_peak}
        rows.extend(rows_of(name, result, tree_peak))
        for item in result if isinstance(result, list) else [result]:
            if item.get("traceback"):
                print(item["traceback"], file=sys.stderr)
    # Ratios hold up on a shared machine, absolute rates do not: say how busy it was.
    machine = (
        f"{os.cpu_count()} cores; load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    print_table(rows, machine)
    if args.json:
        results["machine"] = machine
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 1 if any(row.passed() is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
