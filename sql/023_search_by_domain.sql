-- 023: the engine's text once more, by domain (docs/SEARCH.md, "A word
-- frequent overall and rare within a domain").
--
-- Groonga puts every hit of a word in a result set before the filters drop
-- the hits they refuse: a word of one domain's titles (改革委员, 目采)
-- asked within another domain cost 17 ms on average and up to 70 ms, a
-- third of the database's time in the search mix. body_<domain> holds the
-- text of that domain's records alone (the empty string for the others),
-- each with its own index, so a search within a domain reads only the hits
-- of that domain; body keeps every record's text for the others. The
-- columns are the seven values of records.domain (sql/001): a new value
-- needs its column here and in record_search_source.
--
-- The table is refilled and indexed once (make reindex does the same):
-- searches answer an error until the indexes are back.
ALTER TABLE record_search DROP INDEX ft_body,
    ADD COLUMN body_procurement TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_ppp TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_bidding TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_investment TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_debt TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_grassroots TEXT NOT NULL DEFAULT '',
    ADD COLUMN body_other TEXT NOT NULL DEFAULT '';

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
       IF(domain = 'other', body, '') AS body_other
  FROM record_text_source;

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
      COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"';
