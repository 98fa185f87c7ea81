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
-- (body, and each domain's and category's own text: sql/023.)
CALL record_search_rebuild();
SELECT '@indexed', COUNT(*) FROM record_search;
