-- 002: views and macros for ad hoc SQL.

-- The place value of a written number's last significant digit: 18700000 -> 100000,
-- 23160000 -> 10000, 0.31 -> 0.01. Half of it is how far the number may be from the truth
-- through rounding alone.
CREATE MACRO rounding_step(v) AS
    CASE WHEN v IS NULL OR v = 0 OR isinf(v) OR isnan(v) THEN 1.0
    ELSE coalesce(list_max(list_filter(
        list_transform(range(-6, 16), k -> pow(10, k)),
        p -> round(v / p) <> 0 AND abs(v / p - round(v / p)) < 1e-6)), 1e-6)
    END;

-- The interval of amounts a figure is compatible with, given its qualifier and rounding.
-- "approx" is widened to at least 5%.
CREATE MACRO figure_low(value, value_high, qualifier) AS
    CASE qualifier
        WHEN 'range' THEN least(value, coalesce(value_high, value))
        WHEN 'at_most' THEN '-infinity'::DOUBLE
        WHEN 'approx' THEN value - greatest(rounding_step(value) / 2, abs(value) * 0.05)
        ELSE value - rounding_step(value) / 2
    END;
CREATE MACRO figure_high(value, value_high, qualifier) AS
    CASE qualifier
        WHEN 'range' THEN greatest(value, coalesce(value_high, value))
        WHEN 'at_least' THEN 'infinity'::DOUBLE
        WHEN 'approx' THEN value + greatest(rounding_step(value) / 2, abs(value) * 0.05)
        ELSE value + rounding_step(value) / 2
    END;

CREATE VIEW figures_full AS
SELECT
    f.*,
    a.title,
    a.published,
    a.canonical_url,
    a.source,
    s.kind AS source_kind,
    a.language,
    a.duplicate_of,
    a.duplicate_of IS NOT NULL AS is_duplicate
FROM figures f
JOIN articles a USING (article_id)
LEFT JOIN sources s ON s.name = a.source;
COMMENT ON VIEW figures_full IS 'Every figure with its article and source: the starting point for ad hoc questions.';
COMMENT ON COLUMN figures_full.article_id IS 'The article (figures.article_id).';
COMMENT ON COLUMN figures_full.ordinal IS 'figures.ordinal.';
COMMENT ON COLUMN figures_full.value IS 'figures.value.';
COMMENT ON COLUMN figures_full.value_high IS 'figures.value_high.';
COMMENT ON COLUMN figures_full.unit IS 'figures.unit.';
COMMENT ON COLUMN figures_full.item IS 'figures.item.';
COMMENT ON COLUMN figures_full.metric IS 'figures.metric.';
COMMENT ON COLUMN figures_full.measure IS 'figures.measure.';
COMMENT ON COLUMN figures_full.entity IS 'figures.entity.';
COMMENT ON COLUMN figures_full.region IS 'figures.region.';
COMMENT ON COLUMN figures_full.period IS 'figures.period.';
COMMENT ON COLUMN figures_full.qualifier IS 'figures.qualifier.';
COMMENT ON COLUMN figures_full.modality IS 'figures.modality.';
COMMENT ON COLUMN figures_full.change_basis IS 'figures.change_basis.';
COMMENT ON COLUMN figures_full.equivalents IS 'figures.equivalents.';
COMMENT ON COLUMN figures_full.surface IS 'figures.surface.';
COMMENT ON COLUMN figures_full."start" IS 'figures.start.';
COMMENT ON COLUMN figures_full."end" IS 'figures.end.';
COMMENT ON COLUMN figures_full.sentence IS 'figures.sentence.';
COMMENT ON COLUMN figures_full.rule IS 'figures.rule.';
COMMENT ON COLUMN figures_full.extractor_version IS 'figures.extractor_version.';
COMMENT ON COLUMN figures_full.run_id IS 'figures.run_id (the run that loaded the figure).';
COMMENT ON COLUMN figures_full.title IS 'articles.title.';
COMMENT ON COLUMN figures_full.published IS 'articles.published (UTC).';
COMMENT ON COLUMN figures_full.canonical_url IS 'articles.canonical_url.';
COMMENT ON COLUMN figures_full.source IS 'articles.source (the source that first supplied the article).';
COMMENT ON COLUMN figures_full.source_kind IS 'sources.kind of that source.';
COMMENT ON COLUMN figures_full.language IS 'articles.language.';
COMMENT ON COLUMN figures_full.duplicate_of IS 'articles.duplicate_of.';
COMMENT ON COLUMN figures_full.is_duplicate IS 'True when the article duplicates another one (its figures are left out of facts).';

CREATE VIEW facts AS
WITH f AS (
    SELECT
        f.article_id, f.ordinal, f.entity, f.metric, f.measure, f.region, f.period,
        f.modality, f.unit, f.value, f.value_high, f.qualifier,
        figure_low(f.value, f.value_high, f.qualifier) AS lo,
        figure_high(f.value, f.value_high, f.qualifier) AS hi,
        rounding_step(f.value) AS step,
        a.published
    FROM figures f
    JOIN articles a USING (article_id)
    WHERE a.duplicate_of IS NULL AND f.value IS NOT NULL
),
-- What each article says about a key: the hull of its own figures (one article may give
-- "nearly 19 million" and "18.7 million" for the same thing; that is not a disagreement).
per_article AS (
    SELECT entity, metric, measure, region, period, modality, unit, article_id,
        min(lo) AS lo, max(hi) AS hi
    FROM f
    GROUP BY ALL
),
article_conflicts AS (
    SELECT entity, metric, measure, region, period, modality, unit,
        -- Without a period, or for the catch-all metric, figures under one key need not be
        -- about the same thing: no verdict (NULL) rather than a false alarm.
        CASE WHEN period IS NOT NULL AND metric IS DISTINCT FROM 'other'
             THEN count(*) > 1 AND max(lo) > min(hi) END AS conflict
    FROM per_article
    GROUP BY entity, metric, measure, region, period, modality, unit
),
ranked AS (
    SELECT f.*,
        count(DISTINCT article_id) OVER (
            PARTITION BY entity, metric, measure, region, period, modality, unit, value) AS value_articles
    FROM f
),
grouped AS (
    SELECT
        r.entity, r.metric, r.measure, r.region, r.period, r.modality, r.unit,
        first(r.value ORDER BY r.value_articles DESC, r.qualifier = 'exact' DESC, r.step ASC, r.value ASC) AS value,
        count(DISTINCT r.article_id) AS n_articles,
        count(DISTINCT s.source) AS n_sources,
        count(DISTINCT (r.article_id, r.ordinal)) AS n_figures,
        min(r.value) AS min_value,
        max(coalesce(r.value_high, r.value)) AS max_value,
        list(DISTINCT r.value ORDER BY r.value) AS "values",
        list(DISTINCT r.article_id ORDER BY r.article_id) AS article_ids,
        min(r.published) AS first_published,
        max(r.published) AS last_published
    FROM ranked r
    LEFT JOIN article_sources s USING (article_id)
    GROUP BY ALL
)
SELECT
    g.entity, g.metric, g.measure, g.region, g.period, g.modality, g.unit, g.value,
    g.n_articles, g.n_sources, g.n_figures, g.min_value, g.max_value,
    g.max_value - g.min_value AS spread,
    CASE WHEN g.value <> 0 THEN 100 * (g.max_value - g.min_value) / abs(g.value) END AS spread_pct,
    c.conflict,
    g."values", g.article_ids, g.first_published, g.last_published
FROM grouped g
JOIN article_conflicts c
    ON  c.entity IS NOT DISTINCT FROM g.entity AND c.metric IS NOT DISTINCT FROM g.metric
    AND c.measure IS NOT DISTINCT FROM g.measure AND c.region IS NOT DISTINCT FROM g.region
    AND c.period IS NOT DISTINCT FROM g.period AND c.modality IS NOT DISTINCT FROM g.modality
    AND c.unit IS NOT DISTINCT FROM g.unit;
COMMENT ON VIEW facts IS 'One row per entity, metric, measure, region, period, modality and unit across all original (non-duplicate) articles: the agreed value, how many articles and sources state it, the spread and a conflict flag.';
COMMENT ON COLUMN facts.entity IS 'Company or organisation (NULL: market-wide).';
COMMENT ON COLUMN facts.metric IS 'Metric (taxonomy of figures-spec.md).';
COMMENT ON COLUMN facts.measure IS 'level | change | share.';
COMMENT ON COLUMN facts.region IS 'Geography the figure is restricted to (NULL: none). Kept in the key so that "revenue in India" never conflicts with total revenue.';
COMMENT ON COLUMN facts.period IS 'Period (2017-Q2, FY2017, ...).';
COMMENT ON COLUMN facts.modality IS 'actual | target | forecast.';
COMMENT ON COLUMN facts.unit IS 'Unit.';
COMMENT ON COLUMN facts.value IS 'Agreed value: stated by the most articles; ties go to an exact statement, then the most precise, then the smallest.';
COMMENT ON COLUMN facts.n_articles IS 'Distinct (non-duplicate) articles stating a value for this key.';
COMMENT ON COLUMN facts.n_sources IS 'Distinct sources that delivered those articles.';
COMMENT ON COLUMN facts.n_figures IS 'Figures behind the row.';
COMMENT ON COLUMN facts.min_value IS 'Smallest value stated.';
COMMENT ON COLUMN facts.max_value IS 'Largest value stated (upper ends of ranges included).';
COMMENT ON COLUMN facts.spread IS 'max_value - min_value.';
COMMENT ON COLUMN facts.spread_pct IS 'spread as a percentage of |value|.';
COMMENT ON COLUMN facts.conflict IS 'True when two articles state values that cannot both be right once rounding, qualifiers (approx, at least, at most) and ranges are allowed for; NULL (no verdict) when period is NULL or metric is other, where one key can hold unrelated figures.';
COMMENT ON COLUMN facts."values" IS 'The distinct values stated.';
COMMENT ON COLUMN facts.article_ids IS 'The articles stating them.';
COMMENT ON COLUMN facts.first_published IS 'Earliest publication time among them.';
COMMENT ON COLUMN facts.last_published IS 'Latest publication time among them.';

CREATE VIEW run_summary AS
WITH fig AS (
    SELECT f.run_id, count(*) AS figures_now,
        count(*) FILTER (WHERE a.duplicate_of IS NULL) AS figures_original
    FROM figures f JOIN articles a USING (article_id)
    GROUP BY f.run_id
),
rej AS (
    SELECT run_id, map_from_entries(list((reason, n) ORDER BY reason)) AS rejects_by_reason
    FROM (SELECT run_id, coalesce(reason, '?') AS reason, count(*) AS n FROM rejects GROUP BY ALL)
    GROUP BY run_id
)
SELECT
    r.run_id, r.flow, r.flow_run_id, r.status, r.started_at, r.finished_at,
    r.finished_at - r.started_at AS duration, r.extractor_version, r.sources,
    r.articles_new, r.articles_updated, r.articles_unchanged, r.articles_merged, r.duplicates,
    r.figures AS figures_loaded,
    coalesce(fig.figures_now, 0) AS figures_now,
    coalesce(fig.figures_original, 0) AS figures_original,
    r.rejects, rej.rejects_by_reason
FROM runs r
LEFT JOIN fig USING (run_id)
LEFT JOIN rej USING (run_id);
COMMENT ON VIEW run_summary IS 'One row per run: status, what it loaded, what is left of it, rejects by reason.';
COMMENT ON COLUMN run_summary.run_id IS 'runs.run_id.';
COMMENT ON COLUMN run_summary.flow IS 'runs.flow.';
COMMENT ON COLUMN run_summary.flow_run_id IS 'runs.flow_run_id (Prefect).';
COMMENT ON COLUMN run_summary.status IS 'runs.status: loading (incomplete) or complete.';
COMMENT ON COLUMN run_summary.started_at IS 'runs.started_at.';
COMMENT ON COLUMN run_summary.finished_at IS 'runs.finished_at.';
COMMENT ON COLUMN run_summary.duration IS 'finished_at - started_at.';
COMMENT ON COLUMN run_summary.extractor_version IS 'runs.extractor_version.';
COMMENT ON COLUMN run_summary.sources IS 'runs.sources.';
COMMENT ON COLUMN run_summary.articles_new IS 'runs.articles_new.';
COMMENT ON COLUMN run_summary.articles_updated IS 'runs.articles_updated.';
COMMENT ON COLUMN run_summary.articles_unchanged IS 'runs.articles_unchanged.';
COMMENT ON COLUMN run_summary.articles_merged IS 'runs.articles_merged.';
COMMENT ON COLUMN run_summary.duplicates IS 'runs.duplicates.';
COMMENT ON COLUMN run_summary.figures_loaded IS 'runs.figures: figures the run loaded.';
COMMENT ON COLUMN run_summary.figures_now IS 'Figures in the warehouse whose run_id is this run: loaded by it and not replaced by a later run.';
COMMENT ON COLUMN run_summary.figures_original IS 'figures_now without duplicates'' figures.';
COMMENT ON COLUMN run_summary.rejects IS 'runs.rejects.';
COMMENT ON COLUMN run_summary.rejects_by_reason IS 'MAP reason -> count.';

-- Search without the fts extension: every word of q must occur in the title or text.
-- The same shape as search(q); search(q) is redefined with BM25 when the extension is there.
CREATE MACRO search_plain(q) AS TABLE
    SELECT a.article_id, a.title, a.published, a.source, a.duplicate_of,
        (list_sum(list_transform(string_split(lower(trim(q)), ' '),
            w -> (contains(lower(coalesce(a.title, '')), w))::INTEGER * 2
               + (contains(lower(coalesce(a.text, '')), w))::INTEGER)))::DOUBLE AS score
    FROM articles a
    WHERE list_bool_and(list_transform(string_split(lower(trim(q)), ' '),
        w -> contains(lower(coalesce(a.title, '') || ' ' || coalesce(a.text, '')), w)))
    ORDER BY score DESC, a.published DESC NULLS LAST, a.article_id;

CREATE MACRO search(q) AS TABLE SELECT * FROM search_plain(q);
