-- make reindex: rebuild the derived search tables from InnoDB, from scratch
-- (the rows as sql/022's views define them).
-- record_text (sql/021, the walk's InnoDB copy) in one transaction: a walk
-- meanwhile sees the old rows or the new ones, never none.
START TRANSACTION;
DELETE FROM record_text;
INSERT INTO record_text (disclosed_on, id, status, withdraw_on, district, subject_kind,
                         category, domain, severity, body)
SELECT disclosed_on, id, status, withdraw_on, district, subject_kind, category, domain, severity,
       body
  FROM record_text_source;
COMMIT;
-- record_search (Mroonga):
-- The full-text index is dropped for the load and built once afterwards
-- (several times faster than indexing row by row); searches answer an
-- error until it is back.
-- (body, and each domain's and category's own text: sql/023, sql/024.)
ALTER TABLE record_search
  DROP INDEX ft_body,
  DROP INDEX ft_body_procurement,
  DROP INDEX ft_body_ppp,
  DROP INDEX ft_body_bidding,
  DROP INDEX ft_body_investment,
  DROP INDEX ft_body_debt,
  DROP INDEX ft_body_grassroots,
  DROP INDEX ft_body_other,
  DROP INDEX ft_body_judgment,
  DROP INDEX ft_body_penalty,
  DROP INDEX ft_body_discipline,
  DROP INDEX ft_body_accountability,
  DROP INDEX ft_body_breach;
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
SELECT '@indexed', COUNT(*) FROM record_search;
