-- 021: the walk's narrow copy of the searched text (docs/SEARCH.md). A
-- search of frequent CJK words walks the public rows newest first and
-- tests each one's text; through records that meant a row of about 1 KB
-- looked up by id for each entry of the index, its subject joined and the
-- text put together, then a collation-aware LIKE: about 1.9 us a record.
-- record_text holds, in the walk's order (its primary key), only what the
-- walk reads: the window, the enumerated filters and the text as UTF-8
-- bytes, which a binary LOCATE tests (for words of CJK ideographs it
-- matches exactly what utf8mb4_unicode_ci's LIKE matches: measured in
-- docs/SEARCH.md). It is derived from records and subjects and kept by the
-- triggers below in the transaction of every write, so the walk sees what
-- InnoDB's records say in the same read view; scripts/db.sh reindex
-- (sql/reindex.sql) rebuilds it. The filter columns take their types from
-- records.
CREATE TABLE record_text (
    body MEDIUMBLOB NOT NULL COMMENT 'CONCAT_WS of record number, subject name, title, facts, decision number',
    PRIMARY KEY (disclosed_on, id),
    UNIQUE KEY uq_text_id (id),
    KEY ix_text_district (district),
    KEY ix_text_kind (subject_kind),
    KEY ix_text_category (category),
    KEY ix_text_domain (domain),
    KEY ix_text_severity (severity),
    KEY ix_text_status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
SELECT r.disclosed_on, r.id, r.status, r.withdraw_on, r.district, r.subject_kind, r.category,
       r.domain, r.severity,
       CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no) AS body
  FROM records r JOIN subjects s ON s.id = r.subject_id;

-- A record's row, as it stands in its transaction (REPLACE: a new disclosure
-- date moves the row, the unique id removing the old one). Bulk loads
-- (sql/demo.sql) set @credit_bulk_load = 1 and reindex once at the end.
CREATE PROCEDURE record_text_put(IN rid BIGINT UNSIGNED)
    REPLACE INTO record_text (disclosed_on, id, status, withdraw_on, district, subject_kind,
                              category, domain, severity, body)
    SELECT r.disclosed_on, r.id, r.status, r.withdraw_on, r.district, r.subject_kind,
           r.category, r.domain, r.severity,
           CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no)
      FROM records r JOIN subjects s ON s.id = r.subject_id
     WHERE r.id = rid AND @credit_bulk_load IS NULL;
CREATE TRIGGER tr_records_text_ai AFTER INSERT ON records FOR EACH ROW
    CALL record_text_put(NEW.id);
CREATE TRIGGER tr_records_text_au AFTER UPDATE ON records FOR EACH ROW
    CALL record_text_put(NEW.id);
CREATE TRIGGER tr_records_text_ad AFTER DELETE ON records FOR EACH ROW
    DELETE FROM record_text WHERE id = OLD.id;
CREATE TRIGGER tr_subjects_text_au AFTER UPDATE ON subjects FOR EACH ROW
    UPDATE record_text t JOIN records r ON r.id = t.id
       SET t.body = CONCAT_WS(' ', r.record_no, NEW.name, r.title, r.facts, r.decision_no)
     WHERE r.subject_id = NEW.id AND NEW.name <> OLD.name;
