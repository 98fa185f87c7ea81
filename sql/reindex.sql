-- make reindex: rebuild the derived search table from InnoDB, from scratch.
TRUNCATE TABLE record_search;
INSERT INTO record_search
SELECT r.id, r.disclosed_on, r.withdraw_on,
       r.status IN ('published','contested','corrected'), r.status, r.district,
       r.subject_kind, r.category, r.domain, r.severity,
       CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)
  FROM records r JOIN subjects s ON s.id = r.subject_id;
SELECT COUNT(*) AS indexed FROM record_search;
