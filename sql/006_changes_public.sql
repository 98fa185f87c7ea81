-- 006: the delta feed follows visibility, not only status. A record is
-- announced (ADD) when it is public: listed status, disclosed, window open.
-- Records disclosed in the future are announced by the daily bookkeeping on
-- the day they become public; a subject's rename is a MOD of each of its
-- public records (their pages changed).
DROP TRIGGER IF EXISTS tr_records_changes_ai;
DROP TRIGGER IF EXISTS tr_records_changes_au;
DROP PROCEDURE IF EXISTS record_expiries;
DROP EVENT IF EXISTS ev_record_expiries;

CREATE TRIGGER tr_records_changes_ai AFTER INSERT ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT NEW.id, NEW.record_no, 'ADD'
     WHERE NEW.status IN ('published','contested','corrected')
       AND NEW.disclosed_on <= CURDATE() AND NEW.withdraw_on > CURDATE()
       AND @credit_bulk_load IS NULL;

CREATE TRIGGER tr_records_changes_au AFTER UPDATE ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT NEW.id, NEW.record_no,
           CASE WHEN was AND NOT now_public THEN 'DEL'
                WHEN now_public AND NOT was THEN 'ADD'
                ELSE 'MOD' END
      FROM (SELECT OLD.status IN ('published','contested','corrected')
                   AND OLD.disclosed_on <= CURDATE() AND OLD.withdraw_on > CURDATE() AS was,
                   NEW.status IN ('published','contested','corrected')
                   AND NEW.disclosed_on <= CURDATE() AND NEW.withdraw_on > CURDATE() AS now_public) v
     WHERE (was OR now_public) AND @credit_bulk_load IS NULL;

CREATE TRIGGER tr_subjects_changes_au AFTER UPDATE ON subjects FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT r.id, r.record_no, 'MOD' FROM records r
     WHERE r.subject_id = NEW.id AND NEW.name <> OLD.name
       AND r.status IN ('published','contested','corrected')
       AND r.disclosed_on <= CURDATE() AND r.withdraw_on > CURDATE();

DELIMITER //
-- Daily: an 'expired' event (and so a DEL) for every record whose window
-- ended, and an ADD for every record disclosed since that was not announced.
-- Visibility never waits for this: it follows the clock at query time.
CREATE PROCEDURE record_expiries()
BEGIN
    INSERT INTO record_events (record_id, event, occurred_on, note)
    SELECT r.id, 'expired', r.withdraw_on, '公示期满,自动撤下'
      FROM records r
     WHERE r.withdraw_on <= CURDATE()
       AND r.status IN ('published','contested','corrected')
       AND NOT EXISTS (SELECT 1 FROM record_events e
                        WHERE e.record_id = r.id AND e.event = 'expired');
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT r.id, r.record_no, 'ADD'
      FROM records r
     WHERE r.status IN ('published','contested','corrected')
       AND r.disclosed_on <= CURDATE() AND r.withdraw_on > CURDATE()
       AND NOT EXISTS (SELECT 1 FROM record_changes c WHERE c.record_id = r.id);
END//
DELIMITER ;

CREATE EVENT ev_record_expiries
    ON SCHEDULE EVERY 1 DAY STARTS (CURRENT_DATE + INTERVAL 1 DAY + INTERVAL 5 MINUTE)
    DO CALL record_expiries();
