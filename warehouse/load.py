"""Load one run folder (docs/contracts.md) into the private warehouse, set-based and idempotent.

The run is marked `loading` in a committed step of its own; everything else (articles and
their versions and sources, figures, rejects, crawl state, duplicate groups, the search index,
the run's stats and `complete`) is one transaction. A crash anywhere in it leaves the run
`loading` and none of its data visible; loading the folder again applies it exactly once.

Every statement works on whole tables (`read_json` into temp tables, `MERGE INTO`, set
`DELETE`/`INSERT`); nothing goes row by row. Decisions never depend on the wall clock or on
the order rows arrive in, so loading the same run twice leaves identical tables.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from warehouse.db import connect_writer, size_bytes, writer_memory_limit
from warehouse.dedup import mark_duplicates
from warehouse.fts import refresh_search

log = logging.getLogger(__name__)

# Explicit types: an empty, missing or odd file can never change the schema.
ARTICLE_COLUMNS = {
    "article_id": "VARCHAR",
    "url": "VARCHAR",
    "canonical_url": "VARCHAR",
    "title": "VARCHAR",
    "text": "VARCHAR",
    "published": "VARCHAR",
    "published_source": "VARCHAR",
    "modified": "VARCHAR",
    "language": "VARCHAR",
    "authors": "VARCHAR[]",
    "categories": "VARCHAR[]",
    "tags": "VARCHAR[]",
    "content_hash": "VARCHAR",
    "fingerprint": "VARCHAR",
    "word_count": "BIGINT",
    "source": "VARCHAR",
    "raw_path": "VARCHAR",
}
FIGURE_COLUMNS = {
    "article_id": "VARCHAR",
    "ordinal": "BIGINT",
    "value": "DOUBLE",
    "value_high": "DOUBLE",
    "unit": "VARCHAR",
    "item": "VARCHAR",
    "metric": "VARCHAR",
    "measure": "VARCHAR",
    "entity": "VARCHAR",
    "region": "VARCHAR",
    "period": "VARCHAR",
    "qualifier": "VARCHAR",
    "modality": "VARCHAR",
    "change_basis": "VARCHAR",
    "equivalents": "STRUCT(value DOUBLE, unit VARCHAR)[]",
    "surface": "VARCHAR",
    "start": "BIGINT",
    "end": "BIGINT",
    "sentence": "VARCHAR",
    "rule": "VARCHAR",
    "extractor_version": "VARCHAR",
}
REJECT_COLUMNS = {
    "url": "VARCHAR",
    "stage": "VARCHAR",
    "reason": "VARCHAR",
    "detail": "VARCHAR",
    "source": "VARCHAR",
    "raw_path": "VARCHAR",
    "at": "VARCHAR",
}
RUN_COLUMNS = {
    "run_id": "VARCHAR",
    "flow": "VARCHAR",
    "flow_run_id": "VARCHAR",
    "started_at": "VARCHAR",
    "finished_at": "VARCHAR",
    "extractor_version": "VARCHAR",
    "sources": "JSON",
    "crawls": "JSON",
}
STATE_COLUMNS = {
    "source": "VARCHAR",
    "newest": "VARCHAR",
    "pages": "MAP(VARCHAR, STRUCT(modified VARCHAR, body_sha256 VARCHAR))",
    "listings": "MAP(VARCHAR, STRUCT(etag VARCHAR, last_modified VARCHAR))",
}
# read_json buffers about twice the largest object it may meet, so these bound its memory:
# a line of articles.jsonl (an article's text) may be 16 MiB; a crawl state (one object listing
# every page a source ever gave, ~150 bytes a page) 64 MiB, about 400,000 pages.
MAX_LINE_SIZE = 16 << 20
MAX_STATE_SIZE = 64 << 20
# Test hook: NEWSFIGURES_LOAD_PAUSE="<step>:<marker file>" touches the marker and sleeps at
# that step, so a test can kill the loader at a known point without timing guesses.
PAUSE_ENV = "NEWSFIGURES_LOAD_PAUSE"
# 128MB doubled six times is 8GiB: a run that needs more is an error worth reading.
MEMORY_DOUBLINGS = 6


class LoadError(ValueError):
    """A run folder that cannot be loaded as it is; nothing of it was committed."""


@dataclass(slots=True)
class LoadStats:
    run_id: str
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_merged: int = 0  # extra lines folded into one article (several sources)
    duplicates: int = 0  # this run's articles that duplicate another article
    figures: int = 0  # figures this run loaded
    figures_kept: int = 0  # figures not loaded because a later run already gave the article's
    rejects: int = 0  # all rejects recorded for the run (file + load stage)
    rejects_load: int = 0  # lines the loader itself refused (orphan figures, missing ids)
    sources: list[str] = field(default_factory=list)
    fts: bool = False
    memory_limit: str = ""  # DuckDB's memory limit the load completed under
    input_sha256: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# How a merge of the staged articles inserts one it has not seen (the file loader and the
# DuckLake loader share it).
NEW_ARTICLE_INSERT = """
WHEN NOT MATCHED THEN INSERT (article_id, url, canonical_url, title, text, published,
    published_source, modified, language, authors, categories, tags, content_hash,
    fingerprint, word_count, source, raw_path, version, first_run_id, last_run_id,
    version_run_id, figures_run_id, extractor_version, duplicate_of)
VALUES (s.article_id, s.url, s.canonical_url, s.title, s.text, s.published,
    s.published_source, s.modified, s.language, s.authors, s.categories, s.tags,
    s.content_hash, s.fingerprint, s.word_count, s.source, s.raw_path, s.new_version,
    $run, $run, $run, NULL, s.run_extractor, NULL)
"""


def load_run(db_path: Path, run_dir: Path, *, retries: int = 5, backoff: float = 1.0) -> LoadStats:
    """Load the run folder `run_dir` into the warehouse at `db_path` (created if missing)."""
    started = time.perf_counter()
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise LoadError(f"run folder {run_dir} does not exist")
    run_id = run_id_of(run_dir)
    input_sha = input_sha256(run_dir)
    con = connect_writer(Path(db_path), retries=retries, backoff=backoff)
    try:
        mark_loading(con, run_dir, run_id, input_sha)
        _pause("loading")
        stats = _load_within_memory(con, run_dir, run_id, input_sha)
    finally:
        con.close()
    stats.seconds = round(time.perf_counter() - started, 3)
    log.info("loaded run %s: %s", run_id, stats)
    return stats


def _load_within_memory(
    con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str, input_sha: str
) -> LoadStats:
    """The load's transaction under DuckDB's memory limit, doubled and retried if it runs out.

    The limit keeps a nightly's memory flat whatever the run's size (DuckDB spills), but the
    rows of an open transaction cannot spill, so a big backfill may need more: it gets it
    (logged) rather than failing, up to MEMORY_DOUBLINGS times.
    """
    limit = size_bytes(writer_memory_limit())
    con.execute(f"SET memory_limit = '{_mib(limit)}'")
    for doublings in itertools.count():
        try:
            stats = _load_transaction(con, run_dir, run_id, input_sha)
        except duckdb.OutOfMemoryException as exc:
            if doublings == MEMORY_DOUBLINGS:
                raise LoadError(
                    f"run {run_id} does not load within {_mib(limit)} of DuckDB memory; "
                    f"set NEWSFIGURES_DUCKDB_MEMORY higher. DuckDB said: {exc}"
                ) from exc
            log.warning(
                "run %s needs more than %s of DuckDB memory to load; retrying with %s",
                run_id,
                _mib(limit),
                _mib(2 * limit),
            )
            limit *= 2
            con.execute(f"SET memory_limit = '{_mib(limit)}'")
            continue
        stats.memory_limit = _mib(limit)
        return stats


def _load_transaction(
    con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str, input_sha: str
) -> LoadStats:
    """Everything but the `loading` mark, in one transaction: all of it lands or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        stats = _load_in_transaction(con, run_dir, run_id, input_sha)
        _pause("before_commit")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return stats


def _mib(size: int) -> str:
    return f"{size >> 10}KiB" if size % (1 << 20) else f"{size >> 20}MiB"


def run_id_of(run_dir: Path) -> str:
    """The run's id: run.json's `run_id`, else the folder's name."""
    run_json = run_dir / "run.json"
    if run_json.exists():
        try:
            meta = json.loads(run_json.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise LoadError(f"{run_json} is not valid JSON: {exc}") from exc
        if not isinstance(meta, dict):
            raise LoadError(f"{run_json} must hold a JSON object")
        if meta.get("run_id"):
            return str(meta["run_id"])
    return run_dir.name


def input_sha256(run_dir: Path) -> str:
    """sha256 over the names and bytes of every file the loader reads."""
    digest = hashlib.sha256()
    for path in _input_files(run_dir):
        digest.update(path.relative_to(run_dir).as_posix().encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _input_files(run_dir: Path) -> list[Path]:
    names = ["run.json", "articles.jsonl", "figures.jsonl", "rejects.jsonl"]
    files = [run_dir / n for n in names if (run_dir / n).exists()]
    return files + sorted((run_dir / "state").glob("*.json"))


def _pause(step: str) -> None:
    hook = os.environ.get(PAUSE_ENV, "")
    if not hook or hook.split(":", 1)[0] != step:
        return
    marker = Path(hook.split(":", 1)[1])
    marker.write_text(str(os.getpid()))
    time.sleep(3600)


def _utc(column: str) -> str:
    """SQL turning an ISO 8601 string column into a UTC TIMESTAMP (NULL when unreadable)."""
    return f"(try_cast({column} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')"


# --- staging -------------------------------------------------------------------------------


def object_size_bound(paths: list[Path], cap: int) -> int:
    """read_json's maximum_object_size for these files: no object is longer than its file.

    read_json allocates buffers of twice this size up front, so a small night must not pay
    for the largest object a file could hold (64 MiB of crawl state costs a 128 MiB buffer).
    """
    largest = max((p.stat().st_size for p in paths), default=0)
    return max(1 << 20, min(cap, largest + 1))


def _stage_jsonl(
    con: duckdb.DuckDBPyConnection, table: str, path: Path, columns: dict[str, str]
) -> None:
    """Read a JSON-lines file into a temp table with exactly `columns`; missing file = no rows."""
    if not path.exists():
        select = ", ".join(f'NULL::{t} AS "{c}"' for c, t in columns.items())
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select} LIMIT 0")
        return
    spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_json(?, "
            f"format = 'newline_delimited', columns = {spec}, "
            f"maximum_object_size = {object_size_bound([path], MAX_LINE_SIZE)})",
            [str(path)],
        )
    except duckdb.OutOfMemoryException:
        raise  # not the file's fault: the caller retries with more memory
    except duckdb.Error as exc:
        raise LoadError(f"cannot read {path}: {exc}") from exc


def _stage_run(con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str) -> None:
    path = run_dir / "run.json"
    if path.exists():
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in RUN_COLUMNS.items()) + "}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE s_run AS SELECT * REPLACE (? AS run_id) "
            f"FROM read_json(?, format = 'auto', columns = {spec})",
            [run_id, str(path)],
        )
    else:
        select = ", ".join(f"NULL::{t} AS {c}" for c, t in RUN_COLUMNS.items() if c != "run_id")
        con.execute(f"CREATE OR REPLACE TEMP TABLE s_run AS SELECT ? AS run_id, {select}", [run_id])
    if con.execute("SELECT count(*) FROM s_run").fetchone()[0] != 1:
        raise LoadError(f"{path} must hold exactly one JSON object")


def _stage_state(con: duckdb.DuckDBPyConnection, run_dir: Path) -> None:
    files = sorted((run_dir / "state").glob("*.json"))
    if not files:
        _stage_jsonl(
            con, "s_state", run_dir / "state" / "-none-", {**STATE_COLUMNS, "filename": "VARCHAR"}
        )
        return
    spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in STATE_COLUMNS.items()) + "}"
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE s_state AS SELECT * FROM read_json(?, format = 'auto', "
            f"columns = {spec}, filename = true, "
            f"maximum_object_size = {object_size_bound(files, MAX_STATE_SIZE)})",
            [[str(f) for f in files]],
        )
    except duckdb.OutOfMemoryException:
        raise  # not the file's fault: the caller retries with more memory
    except duckdb.Error as exc:
        raise LoadError(f"cannot read crawl state in {run_dir / 'state'}: {exc}") from exc


# --- the load ------------------------------------------------------------------------------


def mark_loading(
    con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str, input_sha: str
) -> None:
    """Record the run as `loading` and commit: a crash from here on leaves it visibly incomplete."""
    _stage_run(con, run_dir, run_id)
    con.execute(
        f"""
        MERGE INTO runs t USING (SELECT * FROM s_run) s ON t.run_id = s.run_id
        WHEN MATCHED THEN UPDATE SET status = 'loading'
        WHEN NOT MATCHED THEN INSERT (run_id, flow, flow_run_id, started_at, finished_at,
            extractor_version, status, input_sha256)
        VALUES (s.run_id, s.flow, s.flow_run_id, {_utc("s.started_at")}, {_utc("s.finished_at")},
            s.extractor_version, 'loading', ?)
        """,
        [input_sha],
    )


def _load_in_transaction(
    con: duckdb.DuckDBPyConnection, run_dir: Path, run_id: str, input_sha: str
) -> LoadStats:
    stats = LoadStats(run_id=run_id, input_sha256=input_sha)
    _stage_run(con, run_dir, run_id)
    _stage_jsonl(con, "s_articles_raw", run_dir / "articles.jsonl", ARTICLE_COLUMNS)
    _stage_jsonl(con, "s_figures_raw", run_dir / "figures.jsonl", FIGURE_COLUMNS)
    _stage_jsonl(con, "s_rejects_raw", run_dir / "rejects.jsonl", REJECT_COLUMNS)
    _stage_state(con, run_dir)
    _prepare_articles(con)
    _prepare_figures(con)
    con.execute("DROP TABLE s_figures_raw")  # staging is in memory until commit: free it early
    _pause("staged")
    stats.sources = _merge_sources(con, run_id)
    _merge_articles(con, run_id)
    _pause("articles")
    stats.figures, stats.figures_kept = _replace_figures(con, run_id)
    _pause("figures")
    stats.rejects, stats.rejects_load = _replace_rejects(con, run_id)
    _merge_crawl_state(con, run_id)
    mark_duplicates(con)
    _count_articles(con, run_id, stats)
    stats.fts = refresh_search(con, rebuild=_texts_changed(con))
    _mark_complete(con, run_id, input_sha, stats)
    return stats


def _prepare_articles(con: duckdb.DuckDBPyConnection) -> None:
    """One row per article_id: the fullest text wins (a feed may carry only a summary)."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE s_articles AS
        SELECT * EXCLUDE (rn) FROM (
            SELECT * REPLACE ({_utc("published")} AS published, {_utc("modified")} AS modified,
                              coalesce(source, 'unknown') AS source),
                row_number() OVER (PARTITION BY article_id
                    ORDER BY word_count DESC NULLS LAST, source NULLS LAST, url, content_hash,
                             raw_path, title) AS rn
            FROM s_articles_raw
            WHERE coalesce(article_id, '') <> ''
        ) WHERE rn = 1
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_article_sources AS
        SELECT article_id, coalesce(source, 'unknown') AS source, min(url) AS url,
               min(raw_path) AS raw_path
        FROM s_articles_raw WHERE coalesce(article_id, '') <> ''
        GROUP BY ALL
        """
    )


def _prepare_figures(con: duckdb.DuckDBPyConnection) -> None:
    """Figures of this run's articles, one per (article_id, ordinal); the rest become rejects."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_figures AS
        SELECT * EXCLUDE (rn) FROM (
            SELECT f.*, row_number() OVER (PARTITION BY f.article_id, f.ordinal
                ORDER BY f.start, f.end, f.value, f.unit, f.metric, f.entity, f.period,
                         f.surface, f.rule) AS rn
            FROM s_figures_raw f SEMI JOIN s_articles a USING (article_id)
            WHERE f.ordinal IS NOT NULL
        ) WHERE rn = 1
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_load_rejects AS
        SELECT coalesce(article_id, '') AS url, 'load' AS stage, 'missing_article_id' AS reason,
               'article line without article_id: ' || coalesce(url, title, '?') AS detail,
               source, raw_path
        FROM s_articles_raw WHERE coalesce(article_id, '') = ''
        UNION ALL
        SELECT f.article_id, 'load', 'orphan_figure',
               'figure ' || coalesce(f.ordinal::VARCHAR, '?') || ' (' || coalesce(f.surface, '')
               || ') names an article that is not in this run''s articles.jsonl',
               NULL, NULL
        FROM s_figures_raw f ANTI JOIN s_articles a USING (article_id)
        UNION ALL
        SELECT f.article_id, 'load', 'figure_without_ordinal',
               'figure (' || coalesce(f.surface, '') || ') has no ordinal', NULL, NULL
        FROM s_figures_raw f SEMI JOIN s_articles a USING (article_id)
        WHERE f.ordinal IS NULL
        """
    )


def _merge_sources(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_sources AS
        WITH listed AS (
            SELECT e ->> 'name' AS name, e ->> 'kind' AS kind, e ->> 'start_url' AS start_url,
                   e AS config
            FROM (SELECT unnest(CAST(sources AS JSON[])) AS e FROM s_run WHERE sources IS NOT NULL)
        ),
        seen AS (
            SELECT DISTINCT source AS name FROM s_article_sources
            UNION SELECT DISTINCT source FROM s_rejects_raw WHERE source IS NOT NULL
            UNION SELECT name FROM listed WHERE name IS NOT NULL
        )
        SELECT s.name, first(l.kind) AS kind, first(l.start_url) AS start_url,
               first(l.config) AS config
        FROM seen s LEFT JOIN listed l USING (name)
        GROUP BY s.name
        """
    )
    con.execute(
        """
        MERGE INTO sources t USING s_sources s ON t.name = s.name
        WHEN MATCHED THEN UPDATE SET
            kind = CASE WHEN $run >= t.last_run_id THEN coalesce(s.kind, t.kind) ELSE coalesce(t.kind, s.kind) END,
            start_url = CASE WHEN $run >= t.last_run_id THEN coalesce(s.start_url, t.start_url) ELSE coalesce(t.start_url, s.start_url) END,
            config = CASE WHEN $run >= t.last_run_id THEN coalesce(s.config, t.config) ELSE coalesce(t.config, s.config) END,
            first_run_id = least(t.first_run_id, $run),
            last_run_id = greatest(t.last_run_id, $run)
        WHEN NOT MATCHED THEN INSERT VALUES (s.name, s.kind, s.start_url, s.config, $run, $run)
        """,
        {"run": run_id},
    )
    listed = con.execute(
        "SELECT name FROM s_sources WHERE kind IS NOT NULL OR config IS NOT NULL ORDER BY name"
    ).fetchall()
    return [r[0] for r in listed]


def _merge_articles(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """New articles, new versions of changed ones, and the sources that delivered them.

    A run older than the one that gave an article its current text (a backfill loaded late)
    records its version but does not roll the article back.
    """
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_class AS
        SELECT s.article_id,
            CASE WHEN a.article_id IS NULL THEN 'new'
                 WHEN a.content_hash IS NOT DISTINCT FROM s.content_hash THEN 'same'
                 ELSE 'changed' END AS change,
            a.article_id IS NULL OR $run >= a.version_run_id AS current,
            v.version AS known_version,
            coalesce(m.max_version, 0) AS max_version
        FROM s_articles s
        LEFT JOIN articles a USING (article_id)
        LEFT JOIN (SELECT article_id, content_hash, min(version) AS version
                   FROM article_versions GROUP BY ALL) v
            ON v.article_id = s.article_id AND v.content_hash IS NOT DISTINCT FROM s.content_hash
        LEFT JOIN (SELECT article_id, max(version) AS max_version
                   FROM article_versions GROUP BY ALL) m ON m.article_id = s.article_id
        """,
        {"run": run_id},
    )
    con.execute(
        """
        INSERT INTO article_versions
        SELECT s.article_id, c.max_version + 1, s.content_hash, s.fingerprint, s.title, s.text,
               s.published, s.modified, s.word_count, $run
        FROM s_articles s JOIN s_class c USING (article_id)
        WHERE c.known_version IS NULL
        """,
        {"run": run_id},
    )
    con.execute(
        """
        MERGE INTO articles t
        USING (
            SELECT s.*, c.change, c.current, coalesce(c.known_version, c.max_version + 1) AS new_version,
                   (SELECT extractor_version FROM s_run) AS run_extractor
            FROM s_articles s JOIN s_class c USING (article_id)
        ) s ON t.article_id = s.article_id
        WHEN MATCHED AND s.change = 'changed' AND s.current THEN UPDATE SET
            url = s.url, canonical_url = s.canonical_url, title = s.title, text = s.text,
            published = coalesce(s.published, t.published),
            published_source = CASE WHEN s.published IS NULL THEN t.published_source ELSE s.published_source END,
            modified = s.modified, language = s.language, authors = s.authors,
            categories = s.categories, tags = s.tags, content_hash = s.content_hash,
            fingerprint = s.fingerprint, word_count = s.word_count, raw_path = s.raw_path,
            version = s.new_version, version_run_id = $run,
            first_run_id = least(t.first_run_id, $run), last_run_id = greatest(t.last_run_id, $run)
        WHEN MATCHED THEN UPDATE SET
            published = coalesce(t.published, s.published),
            published_source = coalesce(t.published_source, s.published_source),
            modified = coalesce(t.modified, s.modified),
            language = coalesce(t.language, s.language),
            first_run_id = least(t.first_run_id, $run), last_run_id = greatest(t.last_run_id, $run)
        """
        + NEW_ARTICLE_INSERT,
        {"run": run_id},
    )
    con.execute(
        """
        MERGE INTO article_sources t USING s_article_sources s
            ON t.article_id = s.article_id AND t.source = s.source
        WHEN MATCHED THEN UPDATE SET
            url = CASE WHEN $run >= t.last_run_id THEN coalesce(s.url, t.url) ELSE t.url END,
            raw_path = CASE WHEN $run >= t.last_run_id THEN coalesce(s.raw_path, t.raw_path) ELSE t.raw_path END,
            first_run_id = least(t.first_run_id, $run), last_run_id = greatest(t.last_run_id, $run)
        WHEN NOT MATCHED THEN INSERT VALUES (s.article_id, s.source, s.url, s.raw_path, $run, $run)
        """,
        {"run": run_id},
    )


def _replace_figures(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[int, int]:
    """Replace, as a whole, the figures of every article this run speaks for.

    Each article in articles.jsonl comes with its complete set of figures (maybe none), so its
    old figures go and the run's come in under the run's extractor version. A run older than
    the one that last gave an article's figures leaves them alone. Returns (figures the run
    gives its articles, figures left out because a later run already spoke for the article).
    """
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_fig_targets AS
        SELECT a.article_id, a.article_id IN (SELECT article_id FROM figures) AS stored
        FROM articles a SEMI JOIN s_articles s USING (article_id)
        WHERE a.version_run_id <= $run AND (a.figures_run_id IS NULL OR a.figures_run_id <= $run)
        """,
        {"run": run_id},
    )
    # Articles with no figures stored yet (every article of a backfill, most of a nightly)
    # take the run's straight in: no copy, no comparison, memory flat in the run's size.
    con.execute(
        f"INSERT INTO figures SELECT *, $run FROM ({_run_figures('NOT t.stored')})",
        {"run": run_id},
    )
    # The others are replaced as a set difference: rows the run states exactly as stored stay
    # (with the run that first loaded them), the rest go or come. Same result as
    # delete-all-then-insert, without rewriting unchanged rows and their index entries (a
    # reload rewrites nothing).
    con.execute(f"CREATE OR REPLACE TEMP TABLE s_fig_new AS {_run_figures('t.stored')}")
    stored = (
        "SELECT * EXCLUDE (run_id) FROM figures "
        "WHERE article_id IN (SELECT article_id FROM s_fig_targets WHERE stored)"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE s_fig_gone AS {stored} EXCEPT SELECT * FROM s_fig_new"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE s_fig_come AS SELECT * FROM s_fig_new EXCEPT {stored}"
    )
    con.execute(
        """
        DELETE FROM figures USING s_fig_gone g
        WHERE figures.article_id = g.article_id AND figures.ordinal = g.ordinal
        """
    )
    con.execute("INSERT INTO figures SELECT *, $run FROM s_fig_come", {"run": run_id})
    for table in ("s_fig_new", "s_fig_gone", "s_fig_come"):
        con.execute(f"DROP TABLE {table}")
    con.execute(
        """
        UPDATE articles SET figures_run_id = $run, extractor_version = coalesce(
            (SELECT max(f.extractor_version) FROM s_figures f WHERE f.article_id = articles.article_id),
            (SELECT extractor_version FROM s_run), extractor_version)
        WHERE article_id IN (SELECT article_id FROM s_fig_targets)
        """,
        {"run": run_id},
    )
    inserted, kept = con.execute(
        """
        SELECT count(*) FILTER (WHERE t.article_id IS NOT NULL),
               count(*) FILTER (WHERE t.article_id IS NULL)
        FROM s_figures f LEFT JOIN s_fig_targets t USING (article_id)
        """
    ).fetchone()
    return int(inserted), int(kept)


def _run_figures(targets: str) -> str:
    """SELECT of the run's figures for the target articles matching `targets`, in the figures
    table's column order (without run_id)."""
    return f"""
        SELECT f.article_id, f.ordinal::INTEGER AS ordinal, f.value, f.value_high, f.unit, f.item,
               f.metric, f.measure, f.entity, f.region, f.period, f.qualifier, f.modality,
               f.change_basis, coalesce(f.equivalents, []) AS equivalents, f.surface,
               f.start::INTEGER AS start, f."end"::INTEGER AS "end", f.sentence, f.rule,
               coalesce(f.extractor_version, (SELECT extractor_version FROM s_run)) AS extractor_version
        FROM s_figures f JOIN s_fig_targets t USING (article_id)
        WHERE {targets}"""


def _replace_rejects(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[int, int]:
    """The run's rejects, file lines then the loader's own, numbered by content (stable)."""
    con.execute("DELETE FROM rejects WHERE run_id = ?", [run_id])
    con.execute(
        f"""
        INSERT INTO rejects
        SELECT $run, row_number() OVER (ORDER BY origin, url, stage, reason, detail, source,
                                        raw_path, "at") AS line,
               url, stage, reason, detail, source, raw_path, {_utc('"at"')}
        FROM (
            SELECT 0 AS origin, url, stage, reason, detail, source, raw_path, "at" FROM s_rejects_raw
            UNION ALL
            SELECT 1, url, stage, reason, detail, source, raw_path, NULL FROM s_load_rejects
        )
        """,
        {"run": run_id},
    )
    total = con.execute("SELECT count(*) FROM rejects WHERE run_id = ?", [run_id]).fetchone()[0]
    from_load = con.execute("SELECT count(*) FROM s_load_rejects").fetchone()[0]
    return int(total), int(from_load)


def _merge_crawl_state(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Each crawl returns its source's whole state; the latest run's state replaces older ones."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE s_state_targets AS
        SELECT coalesce(s.source, regexp_extract(s.filename, '([^/\\\\]+)\\.json$', 1)) AS source,
               s.newest, s.pages, s.listings
        FROM s_state s
        LEFT JOIN crawl_state c
            ON c.source = coalesce(s.source, regexp_extract(s.filename, '([^/\\\\]+)\\.json$', 1))
        WHERE c.run_id IS NULL OR c.run_id <= $run
        """,
        {"run": run_id},
    )
    con.execute("DELETE FROM crawl_pages WHERE source IN (SELECT source FROM s_state_targets)")
    con.execute("DELETE FROM crawl_listings WHERE source IN (SELECT source FROM s_state_targets)")
    con.execute(
        """
        MERGE INTO crawl_state t USING s_state_targets s ON t.source = s.source
        WHEN MATCHED THEN UPDATE SET newest = s.newest, run_id = $run
        WHEN NOT MATCHED THEN INSERT VALUES (s.source, s.newest, $run)
        """,
        {"run": run_id},
    )
    con.execute(
        """
        INSERT INTO crawl_pages
        SELECT source, e.key, e.value.modified, e.value.body_sha256
        FROM (SELECT source, unnest(map_entries(pages)) AS e FROM s_state_targets WHERE pages IS NOT NULL)
        """
    )
    con.execute(
        """
        INSERT INTO crawl_listings
        SELECT source, e.key, e.value.etag, e.value.last_modified
        FROM (SELECT source, unnest(map_entries(listings)) AS e FROM s_state_targets WHERE listings IS NOT NULL)
        """
    )


def _count_articles(con: duckdb.DuckDBPyConnection, run_id: str, stats: LoadStats) -> None:
    """Classify this run's articles from what the warehouse now holds, so a reload counts alike."""
    new, updated, total, dups = con.execute(
        """
        SELECT
            count(*) FILTER (WHERE a.first_run_id = $run),
            count(*) FILTER (WHERE a.first_run_id <> $run AND EXISTS (
                SELECT 1 FROM article_versions v
                WHERE v.article_id = a.article_id AND v.run_id = $run AND v.version > 1)),
            count(*),
            count(*) FILTER (WHERE a.duplicate_of IS NOT NULL)
        FROM articles a SEMI JOIN s_articles s USING (article_id)
        """,
        {"run": run_id},
    ).fetchone()
    raw = con.execute(
        "SELECT count(*) FROM s_articles_raw WHERE coalesce(article_id, '') <> ''"
    ).fetchone()[0]
    stats.articles_new, stats.articles_updated = int(new), int(updated)
    stats.articles_unchanged = int(total - new - updated)
    stats.articles_merged = int(raw - total)
    stats.duplicates = int(dups)


def _texts_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this load gave any article a new current text (the search index must follow)."""
    return bool(
        con.execute("SELECT count(*) FROM s_class WHERE change <> 'same' AND current").fetchone()[0]
    )


def _mark_complete(
    con: duckdb.DuckDBPyConnection, run_id: str, input_sha: str, stats: LoadStats
) -> None:
    con.execute(
        f"""
        UPDATE runs SET
            flow = s.flow, flow_run_id = s.flow_run_id,
            started_at = {_utc("s.started_at")}, finished_at = {_utc("s.finished_at")},
            extractor_version = s.extractor_version, status = 'complete', input_sha256 = $sha,
            sources = $sources, crawls = s.crawls,
            articles_new = $new, articles_updated = $updated, articles_unchanged = $unchanged,
            articles_merged = $merged, duplicates = $dups, figures = $figures, rejects = $rejects
        FROM s_run s WHERE runs.run_id = s.run_id
        """,
        {
            "sha": input_sha,
            "sources": stats.sources,
            "new": stats.articles_new,
            "updated": stats.articles_updated,
            "unchanged": stats.articles_unchanged,
            "merged": stats.articles_merged,
            "dups": stats.duplicates,
            "figures": stats.figures,
            "rejects": stats.rejects,
        },
    )
