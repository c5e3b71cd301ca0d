"""Example queries for people: printed in docs/data-dictionary.md and the README, run by tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Example:
    title: str
    sql: str


EXAMPLES = [
    Example(
        "Xiaomi's smartphone shipments by quarter",
        """\
SELECT period, value / 1e6 AS million_units, n_articles, n_sources, conflict
FROM facts
WHERE entity = 'Xiaomi' AND metric = 'shipments' AND measure = 'level'
  AND modality = 'actual' AND unit = 'count' AND region IS NULL
  AND regexp_full_match(period, '\\d{4}-Q\\d')
ORDER BY period""",
    ),
    Example(
        "Targets against actuals (what a company aimed for, and what it reported)",
        """\
SELECT t.entity, t.metric, t.period, t.unit,
       t.value AS target, a.value AS actual,
       round(100 * a.value / t.value, 1) AS pct_of_target
FROM facts t
JOIN facts a
  ON a.entity = t.entity AND a.metric = t.metric AND a.measure = t.measure
 AND a.period = t.period AND a.unit = t.unit
 AND a.region IS NOT DISTINCT FROM t.region AND a.modality = 'actual'
WHERE t.modality = 'target' AND t.measure = 'level'
ORDER BY t.entity, t.period""",
    ),
    Example(
        "Companies by revenue growth (latest stated growth per company)",
        """\
SELECT entity, period, value AS revenue_growth_pct, n_articles
FROM facts
WHERE metric = 'revenue' AND measure = 'change' AND unit = 'percent'
  AND modality = 'actual' AND entity IS NOT NULL AND region IS NULL
QUALIFY row_number() OVER (PARTITION BY entity ORDER BY period DESC NULLS LAST) = 1
ORDER BY revenue_growth_pct DESC""",
    ),
    Example(
        "Figures per source per night (duplicates left out)",
        """\
SELECT r.started_at::DATE AS night, a.source, count(*) AS figures
FROM figures f
JOIN articles a USING (article_id)
JOIN runs r ON r.run_id = f.run_id
WHERE a.duplicate_of IS NULL
GROUP BY ALL
ORDER BY night, a.source""",
    ),
    Example(
        "Full-text search (BM25 with the fts extension, plain word matching without)",
        """\
SELECT article_id, title, published, score
FROM search('iphone record quarter')
LIMIT 5""",
    ),
    Example(
        "Where two articles disagree beyond rounding",
        """\
SELECT entity, metric, period, modality, unit, "values", article_ids
FROM facts
WHERE conflict
ORDER BY n_articles DESC, entity""",
    ),
]
