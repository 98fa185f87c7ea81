-- 023: the engine's text once more by domain and by category (docs/SEARCH.md,
-- "A word frequent overall and rare within a domain or a category").
--
-- Groonga puts every hit of a word in a result set before the filters drop
-- the hits they refuse: a word of one domain's titles (改革委员, 目采) asked
-- within another domain cost 17 ms on average and up to 70 ms, a third of
-- the database's time in the search mix; within a category, 6.9 ms on
-- average and up to 62 ms. body_<domain> and body_<category> hold the text
-- of the records of that domain or category alone (the empty string in the
-- others), each with its own index, so a search within a domain or a
-- category reads only the hits within it; body keeps every record's text
-- for the others. The column names are the values of records.domain and
-- records.category (sql/001), which no two share: a new value needs its
-- column here, in record_search_source and in record_search_rebuild.
--
-- record_search_rebuild() refills the table from InnoDB and indexes it once
-- (several times faster than indexing row by row): this migration and make
-- reindex (sql/reindex.sql) call it. Searches answer an error until the
-- indexes are back (about 4.5 minutes at 1,000,000 records).
ALTER TABLE record_search DROP INDEX ft_body,
  ADD COLUMN body_procurement TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_ppp TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_bidding TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_investment TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_debt TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_grassroots TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_other TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_judgment TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_penalty TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_discipline TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_accountability TEXT NOT NULL DEFAULT '',
  ADD COLUMN body_breach TEXT NOT NULL DEFAULT '';

-- In record_search's column order.
CREATE OR REPLACE ALGORITHM=MERGE VIEW record_search_source AS
SELECT id AS record_id, disclosed_on, withdraw_on,
       status IN ('published','contested','corrected') AS listed, status, district,
       subject_kind, category, domain, severity, body,
       IF(domain = 'procurement', body, '') AS body_procurement,
       IF(domain = 'ppp', body, '') AS body_ppp,
       IF(domain = 'bidding', body, '') AS body_bidding,
       IF(domain = 'investment', body, '') AS body_investment,
       IF(domain = 'debt', body, '') AS body_debt,
       IF(domain = 'grassroots', body, '') AS body_grassroots,
       IF(domain = 'other', body, '') AS body_other,
       IF(category = 'judgment', body, '') AS body_judgment,
       IF(category = 'penalty', body, '') AS body_penalty,
       IF(category = 'discipline', body, '') AS body_discipline,
       IF(category = 'accountability', body, '') AS body_accountability,
       IF(category = 'breach', body, '') AS body_breach
  FROM record_text_source;

DROP PROCEDURE IF EXISTS record_search_rebuild;
DELIMITER //
CREATE PROCEDURE record_search_rebuild()
BEGIN
    -- (ft_body_*: made by the first rebuild; IF EXISTS for that one)
    ALTER TABLE record_search
      DROP INDEX IF EXISTS ft_body,
      DROP INDEX IF EXISTS ft_body_procurement,
      DROP INDEX IF EXISTS ft_body_ppp,
      DROP INDEX IF EXISTS ft_body_bidding,
      DROP INDEX IF EXISTS ft_body_investment,
      DROP INDEX IF EXISTS ft_body_debt,
      DROP INDEX IF EXISTS ft_body_grassroots,
      DROP INDEX IF EXISTS ft_body_other,
      DROP INDEX IF EXISTS ft_body_judgment,
      DROP INDEX IF EXISTS ft_body_penalty,
      DROP INDEX IF EXISTS ft_body_discipline,
      DROP INDEX IF EXISTS ft_body_accountability,
      DROP INDEX IF EXISTS ft_body_breach;
    TRUNCATE TABLE record_search;
    INSERT INTO record_search SELECT * FROM record_search_source;
    ALTER TABLE record_search
      ADD FULLTEXT INDEX ft_body (body) COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_procurement (body_procurement)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_ppp (body_ppp)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_bidding (body_bidding)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_investment (body_investment)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_debt (body_debt)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_grassroots (body_grassroots)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_other (body_other)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_judgment (body_judgment)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_penalty (body_penalty)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_discipline (body_discipline)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_accountability (body_accountability)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
      ADD FULLTEXT INDEX ft_body_breach (body_breach)
          COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"';
END//
DELIMITER ;

CALL record_search_rebuild();
