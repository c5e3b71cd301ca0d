"""The per-source canary: sources that delivered no new article for N days.

Sites break silently: a feed moves, an API starts answering 403, a sitemap empties, and the
crawl still "succeeds" with nothing new. The nightly asks `stale_sources(published_db, days)`
after it publishes, and marks its run with a warning (`with_canary_warning`, an artifact from
`canary_markdown`) when the list is not empty.

"New article" for a source means an article that source delivered for the first time
(`article_sources.first_run_id`), timed by that run's start (the run id's UTC timestamp).
A source that has never delivered one counts from the first run that named it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

CANARY_DAYS_ENV = "NEWSFIGURES_CANARY_DAYS"
DEFAULT_CANARY_DAYS = 3
# The state name of a nightly that completed but tripped the canary. Keep it starting with
# "Completed": the "nightly missing" automation expects `prefect.flow-run.Completed*` events.
WARNING_STATE_NAME = "Completed with warnings"
# run_id is YYYYMMDDTHHMMSSZ-<flow> (docs/contracts.md): its first 16 characters are the start.
_RUN_TIME = "try_strptime(left({col}, 16), '%Y%m%dT%H%M%SZ')"


@dataclass(frozen=True, slots=True)
class StaleSource:
    """One source the canary flags, and what it knows about it."""

    source: str
    last_new_article_at: str | None  # UTC, ISO 8601; None if it never delivered one
    days_without_new: float  # since last_new_article_at, or since the source's first run
    articles: int  # articles this source delivered, ever
    newest_published: str | None  # newest publication time among them (UTC, ISO 8601)


def canary_days(value: str | int | None = None) -> int:
    """N: the argument, else NEWSFIGURES_CANARY_DAYS, else 3; a positive whole number."""
    raw = value if value is not None else os.environ.get(CANARY_DAYS_ENV, DEFAULT_CANARY_DAYS)
    try:
        days = int(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{CANARY_DAYS_ENV} must be a whole number of days, got {raw!r}") from None
    if days < 1:
        raise ValueError(f"{CANARY_DAYS_ENV} must be at least 1, got {days}")
    return days


def _tables(con) -> set[str]:
    return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def _deliveries_sql(tables: set[str]) -> str:
    """(source, article_id, first_run_id) for every article each source delivered."""
    if "article_sources" in tables:
        return "SELECT source, article_id, first_run_id FROM article_sources"
    return "SELECT source, article_id, first_run_id FROM articles"  # before article_sources


def _sources_sql(tables: set[str]) -> str:
    """(source, first_run_id) for every source the warehouse knows."""
    if "sources" in tables:
        return "SELECT name AS source, first_run_id FROM sources"
    return "SELECT source, min(first_run_id) AS first_run_id FROM deliveries GROUP BY source"


def _canary_rows(con, tables: set[str]) -> list[tuple]:
    deliveries = _deliveries_sql(tables)
    sources = _sources_sql(tables)
    first_seen = _RUN_TIME.format(col="s.first_run_id")
    delivered = _RUN_TIME.format(col="d.first_run_id")
    published = (
        "(SELECT max(a.published) FROM articles a JOIN deliveries x USING (article_id) "
        "WHERE x.source = s.source)"
    )
    sql = f"""
        WITH deliveries AS ({deliveries}), known AS ({sources})
        SELECT s.source, {first_seen} AS first_seen, max({delivered}) AS last_new,
               count(d.article_id) AS articles, {published} AS newest_published
        FROM known s LEFT JOIN deliveries d ON d.source = s.source
        GROUP BY s.source, s.first_run_id
        ORDER BY s.source
    """
    return con.execute(sql).fetchall()


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def stale_sources(
    db_path: str | Path,
    days: int | None = None,
    sources: list[str] | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Sources with no new article in the last `days` days (default NEWSFIGURES_CANARY_DAYS).

    `sources` limits the check to those names (the nightly passes the sources it crawled, so
    a source dropped from sources.toml stops being reported); a named source the warehouse
    has never seen is not judged. Returns StaleSource fields as dicts, by source name.
    A warehouse without the tables (nothing loaded yet) has no stale sources.
    """
    import duckdb

    days = canary_days(days)
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: the canary reads the published file")
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    with duckdb.connect(str(db_path), read_only=True, config=config) as con:
        tables = _tables(con)
        if "articles" not in tables:
            return []
        rows = _canary_rows(con, tables)

    wanted = set(sources) if sources is not None else None
    cutoff = now - timedelta(days=days)
    stale = []
    for source, first_seen, last_new, articles, newest in rows:
        if wanted is not None and source not in wanted:
            continue
        since = last_new or first_seen
        if since is None or since > cutoff:
            continue  # fresh, or a source too new (or too oddly named) to judge
        stale.append(
            StaleSource(
                source=source,
                last_new_article_at=_iso(last_new),
                days_without_new=round((now - since).total_seconds() / 86400, 1),
                articles=articles,
                newest_published=_iso(newest),
            )
        )
    return [asdict(s) for s in stale]


def canary_markdown(stale: list[dict[str, Any]], days: int) -> str:
    """The canary's verdict for a person reading the run in the Prefect UI."""
    if not stale:
        return f"# Canary\n\nEvery source delivered a new article in the last {days} days."
    lines = [
        "# Canary: sources that stopped delivering",
        "",
        f"No new article for {days} days or more from {len(stale)} source(s). A site may have "
        "changed its feed, API or sitemap, or started refusing the crawler: check the "
        "source's crawl rejects in this run and its start URL.",
        "",
        "| source | last new article | days without | articles ever | newest published |",
        "|---|---|---:|---:|---|",
    ]
    for s in stale:
        lines.append(
            f"| {s['source']} | {s['last_new_article_at'] or 'never'} | "
            f"{s['days_without_new']} | {s['articles']} | {s['newest_published'] or '-'} |"
        )
    return "\n".join(lines)


def with_canary_warning(state, stale: list[dict[str, Any]], days: int):
    """A Completed state renamed "Completed with warnings" naming the stale sources; any
    other state, or no stale source, is returned as it is."""
    from prefect.states import Completed

    if not stale or not state.is_completed():
        return state
    names = ", ".join(s["source"] for s in stale)
    message = f"{state.message or 'completed'}; WARNING: no new article for {days}+ days: {names}"
    return Completed(name=WARNING_STATE_NAME, message=message, data=state.data)


def apply_canary(
    state,
    db_path: str | Path,
    sources: list[str] | None = None,
    days: int | None = None,
    flow: str = "nightly",
):
    """What the nightly calls last: judge the sources, attach the `<flow>-canary` artifact
    when inside a flow run, and return the state with the warning if any source is stale.

    The canary never fails a run: a warehouse it cannot read is logged and ignored."""
    import logging

    try:
        days = canary_days(days)
        stale = stale_sources(db_path, days, sources)
    except Exception as error:  # a broken canary must not turn a good night into a failure
        logging.getLogger(__name__).warning("canary skipped: %s", error)
        return state
    _publish_artifact(canary_markdown(stale, days), flow)
    return with_canary_warning(state, stale, days)


def _publish_artifact(markdown: str, flow: str) -> None:
    from prefect.artifacts import create_markdown_artifact
    from prefect.context import FlowRunContext

    if FlowRunContext.get() is not None:
        create_markdown_artifact(markdown, key=f"{flow}-canary", description="canary")


def main(argv: list[str] | None = None) -> int:
    """`python -m ops.canary [--db PATH] [--days N]`: prints the stale sources as JSON and
    exits 1 when there are any (for cron jobs and monitoring), 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m ops.canary", description=main.__doc__)
    parser.add_argument(
        "--db", type=Path, help="published warehouse (default: under the data home)"
    )
    parser.add_argument("--days", help=f"N (default: ${CANARY_DAYS_ENV} or {DEFAULT_CANARY_DAYS})")
    parser.add_argument("--source", action="append", help="check only these sources")
    args = parser.parse_args(argv)
    if args.db is None:
        from flows.settings import paths

        args.db = paths().published_db
    try:
        stale = stale_sources(args.db, canary_days(args.days), args.source)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(stale, indent=2))
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
