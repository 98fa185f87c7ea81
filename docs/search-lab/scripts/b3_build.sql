-- Design B3: the search table without secondary indexes (full-text index only), built
-- like sql/reindex.sql: load, then one full-text index build. Times printed by the caller.
DROP TABLE IF EXISTS record_search_ss;
CREATE TABLE record_search_ss (
    record_id     BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    disclosed_on  DATE NOT NULL,
    withdraw_on   DATE NOT NULL,
    listed        TINYINT NOT NULL,
    status        VARCHAR(16) NOT NULL,
    district      VARCHAR(16) NOT NULL,
    subject_kind  VARCHAR(16) NOT NULL,
    category      VARCHAR(16) NOT NULL,
    domain        VARCHAR(16) NOT NULL,
    severity      VARCHAR(16) NOT NULL,
    body          TEXT NOT NULL
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
SELECT '@t_create', NOW(6);
INSERT INTO record_search_ss
SELECT r.id, r.disclosed_on, r.withdraw_on,
       r.status IN ('published','contested','corrected'), r.status, r.district,
       r.subject_kind, r.category, r.domain, r.severity,
       CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)
  FROM records r JOIN subjects s ON s.id = r.subject_id;
SELECT '@t_loaded', NOW(6);
ALTER TABLE record_search_ss
  ADD FULLTEXT INDEX ft_body (body) COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"';
SELECT '@t_indexed', NOW(6);
