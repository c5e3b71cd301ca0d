-- 001: the core tables. Timestamps are UTC (TIMESTAMP without time zone, converted on load).
-- Every column carries a COMMENT: docs/data-dictionary.md is generated from them.

CREATE TABLE sources (
    name          VARCHAR PRIMARY KEY,
    kind          VARCHAR,
    start_url     VARCHAR,
    config        JSON,
    first_run_id  VARCHAR,
    last_run_id   VARCHAR
);
COMMENT ON TABLE sources IS 'One row per configured source (sources.toml entry) seen in a run.';
COMMENT ON COLUMN sources.name IS 'Source name from sources.toml, e.g. demo-wp.';
COMMENT ON COLUMN sources.kind IS 'wordpress | feed | sitemap (NULL when only seen on an article).';
COMMENT ON COLUMN sources.start_url IS 'Where the crawl of this source starts.';
COMMENT ON COLUMN sources.config IS 'The whole source entry as run.json gave it (limits, domains, ...).';
COMMENT ON COLUMN sources.first_run_id IS 'First run that named this source.';
COMMENT ON COLUMN sources.last_run_id IS 'Latest run that named this source; config comes from it.';

CREATE TABLE runs (
    run_id              VARCHAR PRIMARY KEY,
    flow                VARCHAR,
    flow_run_id         VARCHAR,
    started_at          TIMESTAMP,
    finished_at         TIMESTAMP,
    extractor_version   VARCHAR,
    status              VARCHAR NOT NULL,
    input_sha256        VARCHAR,
    sources             VARCHAR[],
    crawls              JSON,
    articles_new        INTEGER,
    articles_updated    INTEGER,
    articles_unchanged  INTEGER,
    articles_merged     INTEGER,
    duplicates          INTEGER,
    figures             INTEGER,
    rejects             INTEGER
);
COMMENT ON TABLE runs IS 'One row per run folder loaded (nightly, backfill, reprocess).';
COMMENT ON COLUMN runs.run_id IS 'YYYYMMDDTHHMMSSZ-<flow>; sorts in time order.';
COMMENT ON COLUMN runs.flow IS 'Flow that produced the run: nightly | backfill | reprocess | ...';
COMMENT ON COLUMN runs.flow_run_id IS 'Prefect flow run id (links to the Prefect UI).';
COMMENT ON COLUMN runs.started_at IS 'When the flow run started (UTC), from run.json.';
COMMENT ON COLUMN runs.finished_at IS 'When the flow run finished writing the run folder (UTC).';
COMMENT ON COLUMN runs.extractor_version IS 'figures.EXTRACTOR_VERSION used for the run.';
COMMENT ON COLUMN runs.status IS 'loading = a load began and has not committed (crashed or running); complete = loaded.';
COMMENT ON COLUMN runs.input_sha256 IS 'sha256 over the run folder files; tells a reload of changed input.';
COMMENT ON COLUMN runs.sources IS 'Names of the sources the run crawled.';
COMMENT ON COLUMN runs.crawls IS 'Per-source crawl outcome from run.json: pages, rejects, stats, status.';
COMMENT ON COLUMN runs.articles_new IS 'Articles first seen in this run.';
COMMENT ON COLUMN runs.articles_updated IS 'Articles whose text changed in this run (a new version).';
COMMENT ON COLUMN runs.articles_unchanged IS 'Articles seen again with the same text.';
COMMENT ON COLUMN runs.articles_merged IS 'Extra article lines folded into one article (same article through several sources).';
COMMENT ON COLUMN runs.duplicates IS 'Articles of this run that are near or exact duplicates of another article (at load time).';
COMMENT ON COLUMN runs.figures IS 'Figures loaded by this run.';
COMMENT ON COLUMN runs.rejects IS 'Rejects recorded for this run (all stages, including load).';

CREATE TABLE articles (
    article_id        VARCHAR PRIMARY KEY,
    url               VARCHAR,
    canonical_url     VARCHAR,
    title             VARCHAR,
    text              VARCHAR,
    published         TIMESTAMP,
    published_source  VARCHAR,
    modified          TIMESTAMP,
    language          VARCHAR,
    authors           VARCHAR[],
    categories        VARCHAR[],
    tags              VARCHAR[],
    content_hash      VARCHAR,
    fingerprint       VARCHAR,
    word_count        INTEGER,
    source            VARCHAR,
    raw_path          VARCHAR,
    version           INTEGER NOT NULL,
    first_run_id      VARCHAR NOT NULL,
    last_run_id       VARCHAR NOT NULL,
    version_run_id    VARCHAR NOT NULL,
    figures_run_id    VARCHAR,
    extractor_version VARCHAR,
    duplicate_of      VARCHAR
);
COMMENT ON TABLE articles IS 'One row per article (identity: article_id from the canonical URL), its current version.';
COMMENT ON COLUMN articles.article_id IS 'Stable id from the normalised canonical URL.';
COMMENT ON COLUMN articles.url IS 'URL the article was fetched from (first source that supplied this version).';
COMMENT ON COLUMN articles.canonical_url IS 'Canonical URL (rel=canonical or normalised URL).';
COMMENT ON COLUMN articles.title IS 'Headline.';
COMMENT ON COLUMN articles.text IS 'Cleaned article text (trafilatura, tables kept); figure offsets refer to it.';
COMMENT ON COLUMN articles.published IS 'Publication time (UTC).';
COMMENT ON COLUMN articles.published_source IS 'Where the date came from: wp_api | feed | news_sitemap | html_meta | url | text_header.';
COMMENT ON COLUMN articles.modified IS 'Last modification time the site reported (UTC).';
COMMENT ON COLUMN articles.language IS 'Detected language code, e.g. en.';
COMMENT ON COLUMN articles.authors IS 'Author names.';
COMMENT ON COLUMN articles.categories IS 'Site categories.';
COMMENT ON COLUMN articles.tags IS 'Site tags.';
COMMENT ON COLUMN articles.content_hash IS 'sha256 of the normalised text; a change makes a new version.';
COMMENT ON COLUMN articles.fingerprint IS '64-bit SimHash of the text as 16 hex digits (near-duplicate key).';
COMMENT ON COLUMN articles.word_count IS 'Words in text.';
COMMENT ON COLUMN articles.source IS 'Source that first supplied the article (all sources: article_sources).';
COMMENT ON COLUMN articles.raw_path IS 'Raw page reference under data/raw, for reprocessing.';
COMMENT ON COLUMN articles.version IS 'Current version number (1 = as first seen); history in article_versions.';
COMMENT ON COLUMN articles.first_run_id IS 'Run that first loaded the article.';
COMMENT ON COLUMN articles.last_run_id IS 'Latest run that saw the article.';
COMMENT ON COLUMN articles.version_run_id IS 'Run that supplied the current version.';
COMMENT ON COLUMN articles.figures_run_id IS 'Run whose figures the article currently has.';
COMMENT ON COLUMN articles.extractor_version IS 'Extractor version of the current figures.';
COMMENT ON COLUMN articles.duplicate_of IS 'article_id of the original when this article is a near duplicate (SimHash within articles.identity.NEAR_DUPLICATE_DISTANCE bits, 11) or an exact one (same content_hash), in a group whose earliest published article is the original; NULL for originals.';

CREATE TABLE article_versions (
    article_id    VARCHAR NOT NULL,
    version       INTEGER NOT NULL,
    content_hash  VARCHAR,
    fingerprint   VARCHAR,
    title         VARCHAR,
    text          VARCHAR,
    published     TIMESTAMP,
    modified      TIMESTAMP,
    word_count    INTEGER,
    run_id        VARCHAR NOT NULL,
    PRIMARY KEY (article_id, version)
);
COMMENT ON TABLE article_versions IS 'Every distinct text an article has had; version 1 is the first seen.';
COMMENT ON COLUMN article_versions.article_id IS 'The article.';
COMMENT ON COLUMN article_versions.version IS '1, 2, ... in the order the versions were loaded.';
COMMENT ON COLUMN article_versions.content_hash IS 'sha256 of this version''s normalised text.';
COMMENT ON COLUMN article_versions.fingerprint IS 'SimHash of this version.';
COMMENT ON COLUMN article_versions.title IS 'Headline of this version.';
COMMENT ON COLUMN article_versions.text IS 'Text of this version.';
COMMENT ON COLUMN article_versions.published IS 'Publication time this version gave (UTC).';
COMMENT ON COLUMN article_versions.modified IS 'Modification time this version gave (UTC).';
COMMENT ON COLUMN article_versions.word_count IS 'Words in this version.';
COMMENT ON COLUMN article_versions.run_id IS 'Run that first loaded this version.';

CREATE TABLE article_sources (
    article_id    VARCHAR NOT NULL,
    source        VARCHAR NOT NULL,
    url           VARCHAR,
    raw_path      VARCHAR,
    first_run_id  VARCHAR NOT NULL,
    last_run_id   VARCHAR NOT NULL,
    PRIMARY KEY (article_id, source)
);
COMMENT ON TABLE article_sources IS 'Which sources delivered an article (one article can come through a WP API, a feed and a sitemap).';
COMMENT ON COLUMN article_sources.article_id IS 'The article.';
COMMENT ON COLUMN article_sources.source IS 'Source name.';
COMMENT ON COLUMN article_sources.url IS 'URL this source gave for the article.';
COMMENT ON COLUMN article_sources.raw_path IS 'Raw page reference from this source.';
COMMENT ON COLUMN article_sources.first_run_id IS 'First run in which this source delivered the article.';
COMMENT ON COLUMN article_sources.last_run_id IS 'Latest run in which this source delivered the article.';

CREATE TABLE figures (
    article_id         VARCHAR NOT NULL,
    ordinal            INTEGER NOT NULL,
    value              DOUBLE,
    value_high         DOUBLE,
    unit               VARCHAR,
    item               VARCHAR,
    metric             VARCHAR,
    measure            VARCHAR,
    entity             VARCHAR,
    region             VARCHAR,
    period             VARCHAR,
    qualifier          VARCHAR,
    modality           VARCHAR,
    change_basis       VARCHAR,
    equivalents        STRUCT(value DOUBLE, unit VARCHAR)[],
    surface            VARCHAR,
    "start"            INTEGER,
    "end"              INTEGER,
    sentence           VARCHAR,
    rule               VARCHAR,
    extractor_version  VARCHAR,
    run_id             VARCHAR NOT NULL,
    PRIMARY KEY (article_id, ordinal)
);
COMMENT ON TABLE figures IS 'One numeric statement in an article (see figures-spec.md); replaced as a whole per article when it is reprocessed.';
COMMENT ON COLUMN figures.article_id IS 'The article the figure stands in.';
COMMENT ON COLUMN figures.ordinal IS '0, 1, ... within the article.';
COMMENT ON COLUMN figures.value IS 'Amount in base units (18.7 million -> 18700000); signed for changes and losses.';
COMMENT ON COLUMN figures.value_high IS 'Upper end of a range, else NULL.';
COMMENT ON COLUMN figures.unit IS 'ISO 4217 code, percent, pp, count, points, times or a lower-case physical/time unit.';
COMMENT ON COLUMN figures.item IS 'For counts: what is counted (phones, stores, jobs).';
COMMENT ON COLUMN figures.metric IS 'Taxonomy: revenue, profit, units_sold, shipments, users, market_share, ...';
COMMENT ON COLUMN figures.measure IS 'level | change | share.';
COMMENT ON COLUMN figures.entity IS 'Company or organisation the figure is about; NULL for market-wide figures.';
COMMENT ON COLUMN figures.region IS 'Geography the figure is restricted to.';
COMMENT ON COLUMN figures.period IS 'When it holds: 2013, 2017-Q2, 2017-H1, 2017-07, 2017-07-07, FY2017, FY2017-Q1.';
COMMENT ON COLUMN figures.qualifier IS 'exact | approx | at_least | at_most | range.';
COMMENT ON COLUMN figures.modality IS 'actual | target (own goal/guidance) | forecast (someone else''s estimate).';
COMMENT ON COLUMN figures.change_basis IS 'For changes: yoy | qoq | mom | vs_period | unspecified.';
COMMENT ON COLUMN figures.equivalents IS 'The same amount restated in other units: list of {value, unit}.';
COMMENT ON COLUMN figures.surface IS 'The words of the mention.';
COMMENT ON COLUMN figures."start" IS 'Character offset of the mention in articles.text.';
COMMENT ON COLUMN figures."end" IS 'End offset (exclusive).';
COMMENT ON COLUMN figures.sentence IS 'The sentence the figure stands in.';
COMMENT ON COLUMN figures.rule IS 'The extractor rule that produced it.';
COMMENT ON COLUMN figures.extractor_version IS 'Extractor version that produced it.';
COMMENT ON COLUMN figures.run_id IS 'Run that first loaded this exact figure (a later run that states it identically, same extractor version, keeps the row as it is).';

CREATE TABLE rejects (
    run_id    VARCHAR NOT NULL,
    line      INTEGER NOT NULL,
    url       VARCHAR,
    stage     VARCHAR,
    reason    VARCHAR,
    detail    VARCHAR,
    source    VARCHAR,
    raw_path  VARCHAR,
    "at"      TIMESTAMP,
    PRIMARY KEY (run_id, line)
);
COMMENT ON TABLE rejects IS 'Everything that did not become data, with a reason: nothing is dropped silently.';
COMMENT ON COLUMN rejects.run_id IS 'Run that recorded it.';
COMMENT ON COLUMN rejects.line IS 'Position within the run (rejects.jsonl line, then load-stage rejects).';
COMMENT ON COLUMN rejects.url IS 'URL (or article id for load-stage rejects) concerned.';
COMMENT ON COLUMN rejects.stage IS 'crawl | clean | extract | load.';
COMMENT ON COLUMN rejects.reason IS 'Short code: http_404, timeout, not_article, too_short, language, orphan_figure, ...';
COMMENT ON COLUMN rejects.detail IS 'More words for a person.';
COMMENT ON COLUMN rejects.source IS 'Source name.';
COMMENT ON COLUMN rejects.raw_path IS 'Raw page reference, when a page was fetched.';
COMMENT ON COLUMN rejects."at" IS 'When it was rejected (UTC).';

CREATE TABLE crawl_state (
    source   VARCHAR PRIMARY KEY,
    newest   VARCHAR,
    run_id   VARCHAR NOT NULL
);
COMMENT ON TABLE crawl_state IS 'What the next crawl of a source needs to know (the crawl-state JSON of docs/contracts.md), from the latest run that returned one.';
COMMENT ON COLUMN crawl_state.source IS 'Source name.';
COMMENT ON COLUMN crawl_state.newest IS 'Newest publication time seen (ISO 8601 as the crawl wrote it).';
COMMENT ON COLUMN crawl_state.run_id IS 'Run whose state/<source>.json this is.';

CREATE TABLE crawl_pages (
    source       VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    modified     VARCHAR,
    body_sha256  VARCHAR,
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE crawl_pages IS 'Crawl state: pages already fetched per source (not fetched again unless modified).';
COMMENT ON COLUMN crawl_pages.source IS 'Source name.';
COMMENT ON COLUMN crawl_pages.url IS 'Page URL.';
COMMENT ON COLUMN crawl_pages.modified IS 'Modification time the listing gave when fetched.';
COMMENT ON COLUMN crawl_pages.body_sha256 IS 'sha256 of the fetched body.';

CREATE TABLE crawl_listings (
    source         VARCHAR NOT NULL,
    url            VARCHAR NOT NULL,
    etag           VARCHAR,
    last_modified  VARCHAR,
    PRIMARY KEY (source, url)
);
COMMENT ON TABLE crawl_listings IS 'Crawl state: validators of listing URLs (API pages, feeds, sitemaps) for conditional requests.';
COMMENT ON COLUMN crawl_listings.source IS 'Source name.';
COMMENT ON COLUMN crawl_listings.url IS 'Listing URL.';
COMMENT ON COLUMN crawl_listings.etag IS 'ETag header of the last response.';
COMMENT ON COLUMN crawl_listings.last_modified IS 'Last-Modified header of the last response.';
