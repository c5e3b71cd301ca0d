-- 003: near-duplicate links kept between loads, so a load compares only the articles whose
-- text changed against the rest instead of every article against every other.

CREATE TABLE article_links (
    article_id    VARCHAR NOT NULL,
    other_id      VARCHAR NOT NULL,
    distance      INTEGER,
    same_content  BOOLEAN NOT NULL,
    PRIMARY KEY (article_id, other_id)
);
COMMENT ON TABLE article_links IS 'Pairs of articles that are near or exact copies of each other (article_id < other_id); duplicate groups are the connected components.';
COMMENT ON COLUMN article_links.article_id IS 'The smaller article_id of the pair.';
COMMENT ON COLUMN article_links.other_id IS 'The larger article_id of the pair.';
COMMENT ON COLUMN article_links.distance IS 'Hamming distance between their SimHash fingerprints (NULL when one has none).';
COMMENT ON COLUMN article_links.same_content IS 'True when their content_hash is equal (an exact copy).';

CREATE TABLE article_link_state (
    article_id    VARCHAR PRIMARY KEY,
    fingerprint   VARCHAR,
    content_hash  VARCHAR
);
COMMENT ON TABLE article_link_state IS 'The fingerprint and content hash each article''s links were computed for; an article whose current ones differ is compared again.';
COMMENT ON COLUMN article_link_state.article_id IS 'The article.';
COMMENT ON COLUMN article_link_state.fingerprint IS 'articles.fingerprint when its links were computed.';
COMMENT ON COLUMN article_link_state.content_hash IS 'articles.content_hash when its links were computed.';
