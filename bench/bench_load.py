"""Warehouse load vs DuckDB's own COPY from Parquet of the same rows: rows/s and the ratio.

A synthetic run of 10,000 articles and 100,000 figures (about 20 MB of JSON lines) is loaded
with `warehouse.load_run` into a fresh warehouse: staging, MERGE of articles, versions and
sources, figure replacement, rejects, near-duplicate groups, the FTS index and the commit.
The baseline copies the same article and figure rows from Parquet into tables of the same
schema with `COPY ... FROM`, the fastest bulk path DuckDB has. Rows = articles + figures.

    python -m bench.bench_load [articles] [figures_per_article]
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

import warehouse
from warehouse.db import OFFLINE_CONFIG, apply_migrations

RUN_ID = "20260101T020000Z-nightly"


def make_run(run_dir: Path, articles: int, figures_per_article: int) -> None:
    """Write a run folder with DuckDB itself (Python would dominate the set-up time)."""
    (run_dir / "state").mkdir(parents=True)
    meta = {
        "run_id": RUN_ID,
        "flow": "nightly",
        "flow_run_id": "bench",
        "started_at": "2026-01-01T02:00:00Z",
        "finished_at": "2026-01-01T02:30:00Z",
        "extractor_version": "bench-1",
        "sources": [
            {"name": f"site-{i}", "kind": "wordpress", "start_url": f"http://127.0.0.1/{i}"}
            for i in range(10)
        ],
        "crawls": {},
    }
    (run_dir / "run.json").write_text(json.dumps(meta))
    con = duckdb.connect(config=dict(OFFLINE_CONFIG))
    con.execute(
        f"""
        COPY (
            SELECT format('a{{:07d}}', i) AS article_id,
                   format('http://127.0.0.1/site-{{}}/a{{:07d}}', i % 10, i) AS url,
                   format('http://127.0.0.1/news/a{{:07d}}', i) AS canonical_url,
                   format('Company {{}} reports quarter {{}}', i % 500, i % 4 + 1) AS title,
                   repeat(format('Company {{}} shipped {{}} million phones in the quarter. ', i % 500, i % 97), 25) AS text,
                   strftime(TIMESTAMP '2025-01-01' + to_minutes(i), '%Y-%m-%dT%H:%M:%SZ') AS published,
                   'wp_api' AS published_source, NULL AS modified, 'en' AS language,
                   ['Reporter'] AS authors, ['Mobile'] AS categories, []::VARCHAR[] AS tags,
                   sha256(i::VARCHAR) AS content_hash,
                   format('{{:016x}}', hash(i)) AS fingerprint,
                   250 AS word_count, format('site-{{}}', i % 10) AS source,
                   format('raw/a{{:07d}}.gz', i) AS raw_path, '{RUN_ID}' AS run_id
            FROM range({articles}) t(i)
        ) TO '{run_dir / "articles.jsonl"}' (FORMAT json)
        """
    )
    con.execute(
        f"""
        COPY (
            SELECT format('a{{:07d}}', i) AS article_id, j AS ordinal,
                   (i % 97 + j) * 1e6 AS value, NULL AS value_high, 'count' AS unit,
                   'phones' AS item, 'shipments' AS metric, 'level' AS measure,
                   format('Company {{}}', i % 500) AS entity, NULL AS region,
                   format('2025-Q{{}}', i % 4 + 1) AS period, 'exact' AS qualifier,
                   'actual' AS modality, NULL AS change_basis, [] AS equivalents,
                   format('{{}} million phones', i % 97 + j) AS surface,
                   j * 60 AS start, j * 60 + 17 AS "end",
                   format('Company {{}} shipped {{}} million phones in the quarter.', i % 500, i % 97) AS sentence,
                   'bench' AS rule, 'bench-1' AS extractor_version
            FROM range({articles}) a(i), range({figures_per_article}) f(j)
        ) TO '{run_dir / "figures.jsonl"}' (FORMAT json)
        """
    )
    (run_dir / "rejects.jsonl").write_text("")
    con.close()


ARTICLE_COLS = (
    "article_id, url, canonical_url, title, text, published, published_source, modified, language, "
    "authors, categories, tags, content_hash, fingerprint, word_count, source, raw_path"
)


def baseline_copy(loaded_db: Path, work: Path) -> tuple[int, float]:
    """Rows and seconds for COPY FROM Parquet of the rows the load produced, same types."""
    src = duckdb.connect(str(loaded_db), read_only=True, config=dict(OFFLINE_CONFIG))
    src.execute(
        f"COPY (SELECT {ARTICLE_COLS} FROM articles) TO '{work / 'articles.parquet'}' (FORMAT parquet)"
    )
    src.execute(
        f"COPY (SELECT * EXCLUDE (run_id) FROM figures) TO '{work / 'figures.parquet'}' (FORMAT parquet)"
    )
    rows = src.execute(
        "SELECT (SELECT count(*) FROM articles) + (SELECT count(*) FROM figures)"
    ).fetchone()[0]
    src.close()
    con = duckdb.connect(str(work / "baseline.duckdb"), config=dict(OFFLINE_CONFIG))
    apply_migrations(con)
    # Tables with the loaded columns, types and keys, so COPY does the same kind of work.
    con.execute(f"CREATE TABLE b_articles AS SELECT {ARTICLE_COLS} FROM articles LIMIT 0")
    con.execute("ALTER TABLE b_articles ADD PRIMARY KEY (article_id)")
    con.execute("CREATE TABLE b_figures AS SELECT * EXCLUDE (run_id) FROM figures LIMIT 0")
    con.execute("ALTER TABLE b_figures ADD PRIMARY KEY (article_id, ordinal)")
    start = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    con.execute(f"COPY b_articles FROM '{work / 'articles.parquet'}' (FORMAT parquet)")
    con.execute(f"COPY b_figures FROM '{work / 'figures.parquet'}' (FORMAT parquet)")
    con.execute("COMMIT")
    con.close()
    return int(rows), time.perf_counter() - start


def run(articles: int = 10_000, figures_per_article: int = 10) -> dict:
    """{stage, rate, baseline_rate, ratio, peak_rss_mb, ...} for loading one run."""
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        work = Path(tmp)
        run_dir = work / "runs" / RUN_ID
        make_run(run_dir, articles, figures_per_article)
        db = work / "private" / "newsfigures.duckdb"
        start, cpu = time.perf_counter(), time.process_time()
        stats = warehouse.load_run(db, run_dir)
        load_seconds, load_cpu = time.perf_counter() - start, time.process_time() - cpu
        start = time.perf_counter()
        stats_again = warehouse.load_run(db, run_dir)
        reload_seconds = time.perf_counter() - start
        start = time.perf_counter()
        warehouse.publish(db, work / "newsfigures.duckdb")
        publish_seconds = time.perf_counter() - start
        rows = stats.articles_new + stats.figures
        cpu = time.process_time()
        baseline_rows, baseline_seconds = baseline_copy(db, work)
        baseline_cpu = time.process_time() - cpu  # includes writing the Parquet files
    rate = rows / load_seconds
    baseline_rate = baseline_rows / baseline_seconds
    return {
        "stage": "load",
        "rate": round(rate),
        "baseline_rate": round(baseline_rate),
        "ratio": round(rate / baseline_rate, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rows": rows,
        "articles": stats.articles_new,
        "figures": stats.figures,
        "load_seconds": round(load_seconds, 2),
        "reload_seconds": round(reload_seconds, 2),
        "reload_figures": stats_again.figures,
        "load_cpu_seconds": round(load_cpu, 2),
        "baseline_cpu_seconds_incl_parquet_write": round(baseline_cpu, 2),
        "publish_seconds": round(publish_seconds, 2),
        "baseline_seconds": round(baseline_seconds, 3),
        "fts": stats.fts,
    }


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(json.dumps(run(*args), indent=2))
