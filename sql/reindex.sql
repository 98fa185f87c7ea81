-- make reindex: rebuild the derived search tables from InnoDB, from scratch.
-- record_text (sql/021, the walk's InnoDB copy) in one transaction: a walk
-- meanwhile sees the old rows or the new ones, never none.
START TRANSACTION;
DELETE FROM record_text;
INSERT INTO record_text (disclosed_on, id, status, withdraw_on, district, subject_kind,
                         category, domain, severity, body)
SELECT r.disclosed_on, r.id, r.status, r.withdraw_on, r.district, r.subject_kind, r.category,
       r.domain, r.severity, CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)
  FROM records r JOIN subjects s ON s.id = r.subject_id;
COMMIT;
-- record_search (Mroonga):
-- The full-text index is dropped for the load and built once afterwards
-- (several times faster than indexing row by row); searches answer an
-- error until it is back.
ALTER TABLE record_search DROP INDEX ft_body;
TRUNCATE TABLE record_search;
INSERT INTO record_search
SELECT r.id, r.disclosed_on, r.withdraw_on,
       r.status IN ('published','contested','corrected'), r.status, r.district,
       r.subject_kind, r.category, r.domain, r.severity,
       CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)
  FROM records r JOIN subjects s ON s.id = r.subject_id;
ALTER TABLE record_search
  ADD FULLTEXT INDEX ft_body (body) COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"';
SELECT '@indexed', COUNT(*) FROM record_search;
