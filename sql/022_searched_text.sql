-- 022: one definition of a record's searched text, and the engine's copy
-- mended after a rollback (docs/SEARCH.md).
--
-- The text a search reads (record number, subject name, title, facts,
-- decision number) was spelled out in every trigger, procedure and rebuild
-- that copies it into record_search (sql/003) and record_text (sql/021);
-- record_text_source is now that definition, and record_search_source the
-- engine's row made of it. Both are merged into the statements that read
-- them (ALGORITHM=MERGE: a read by id uses the records' primary key).
--
-- record_search is a Mroonga table, which does not take part in
-- transactions: a write rolled back left the engine holding what the write
-- had made (a new title found by a search, a withdrawal that hid a record
-- still public). Each write of a record's engine row now also notes the
-- record in @credit_touched (ids separated by commas: 10,000 appends take
-- 0.1 s, against 4 s for a JSON array, parsed at each append), a session
-- variable that a ROLLBACK does not undo; record_search_mend(), which the module calls after every ROLLBACK
-- of its own transactions, puts those rows back as InnoDB kept them. A
-- client that rolls back by hand calls it too, or `make reindex` mends all.
CREATE OR REPLACE ALGORITHM=MERGE VIEW record_text_source AS
SELECT r.disclosed_on, r.id, r.status, r.withdraw_on, r.district, r.subject_kind, r.category,
       r.domain, r.severity, r.subject_id,
       CONCAT_WS(' ', r.record_no, s.name, r.title, r.facts, r.decision_no) AS body
  FROM records r JOIN subjects s ON s.id = r.subject_id;

-- In record_search's column order.
CREATE OR REPLACE ALGORITHM=MERGE VIEW record_search_source AS
SELECT id AS record_id, disclosed_on, withdraw_on,
       status IN ('published','contested','corrected') AS listed, status, district,
       subject_kind, category, domain, severity, body
  FROM record_text_source;

DROP TRIGGER IF EXISTS tr_records_search_ai;
DROP TRIGGER IF EXISTS tr_records_search_au;
DROP TRIGGER IF EXISTS tr_records_search_ad;
DROP TRIGGER IF EXISTS tr_subjects_search_au;
DROP TRIGGER IF EXISTS tr_subjects_text_au;
DROP PROCEDURE IF EXISTS record_text_put;
DROP PROCEDURE IF EXISTS record_search_row;
DROP PROCEDURE IF EXISTS record_search_put;
DROP PROCEDURE IF EXISTS record_search_mend;

DELIMITER //

-- A record's row of the walk's copy, as it stands in its transaction
-- (REPLACE: a new disclosure date moves the row, the unique id removing the
-- old one). Bulk loads (sql/demo.sql) set @credit_bulk_load = 1 and
-- reindex once at the end.
CREATE PROCEDURE record_text_put(IN rid BIGINT UNSIGNED)
    REPLACE INTO record_text (disclosed_on, id, status, withdraw_on, district, subject_kind,
                              category, domain, severity, body)
    SELECT disclosed_on, id, status, withdraw_on, district, subject_kind, category, domain,
           severity, body
      FROM record_text_source WHERE id = rid AND @credit_bulk_load IS NULL//

-- A record's engine row as it stands in the transaction (none when the
-- record is gone). REPLACE, not a DELETE and an INSERT: a search between
-- the two would find the record missing.
CREATE PROCEDURE record_search_row(IN rid BIGINT UNSIGNED)
BEGIN
    IF EXISTS (SELECT 1 FROM records WHERE id = rid) THEN
        REPLACE INTO record_search SELECT * FROM record_search_source WHERE record_id = rid;
    ELSE
        DELETE FROM record_search WHERE record_id = rid;
    END IF;
END//

-- The same from the triggers, the record noted for record_search_mend.
CREATE PROCEDURE record_search_put(IN rid BIGINT UNSIGNED)
BEGIN
    IF @credit_bulk_load IS NULL THEN
        CALL record_search_row(rid);
        SET @credit_touched = CONCAT_WS(',', @credit_touched, rid);
    END IF;
END//

-- The engine rows of the records noted since the last mend, as InnoDB has
-- them now; then nothing is noted.
CREATE PROCEDURE record_search_mend()
BEGIN
    DECLARE touched LONGTEXT DEFAULT @credit_touched;
    SET @credit_touched = NULL;
    IF touched IS NOT NULL THEN
        FOR rec IN (SELECT DISTINCT t.id FROM JSON_TABLE(CONCAT('[', touched, ']'), '$[*]'
                        COLUMNS (id BIGINT UNSIGNED PATH '$')) AS t) DO
            CALL record_search_row(rec.id);
        END FOR;
    END IF;
END//

CREATE TRIGGER tr_records_search_ai AFTER INSERT ON records FOR EACH ROW
    CALL record_search_put(NEW.id)//
CREATE TRIGGER tr_records_search_au AFTER UPDATE ON records FOR EACH ROW
    CALL record_search_put(NEW.id)//
CREATE TRIGGER tr_records_search_ad AFTER DELETE ON records FOR EACH ROW
    CALL record_search_put(OLD.id)//

-- A subject renamed: the text of each of its records.
CREATE TRIGGER tr_subjects_search_au AFTER UPDATE ON subjects FOR EACH ROW
BEGIN
    IF NEW.name <> OLD.name THEN
        FOR rec IN (SELECT id FROM records WHERE subject_id = NEW.id) DO
            CALL record_text_put(rec.id);
            CALL record_search_put(rec.id);
        END FOR;
    END IF;
END//

DELIMITER ;
