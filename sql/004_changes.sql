-- 004: the delta feed for sharing with the national platform
-- (/api/v1/changes), and the daily expiry bookkeeping.
-- record_changes is append-only: ADD when a record becomes public, MOD when
-- a public record changes, DEL when it is withdrawn (repaired, revoked, or
-- its disclosure window ended: the 'expired' event below).
CREATE TABLE record_changes (
    seq         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    record_id   BIGINT UNSIGNED NOT NULL,
    record_no   VARCHAR(20) NOT NULL,
    op          ENUM('ADD','MOD','DEL') NOT NULL,
    changed_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    KEY ix_record_changes_at (changed_at),
    KEY ix_record_changes_record (record_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TRIGGER tr_records_changes_ai AFTER INSERT ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT NEW.id, NEW.record_no, 'ADD'
     WHERE NEW.status IN ('published','contested','corrected') AND @credit_bulk_load IS NULL;
CREATE TRIGGER tr_records_changes_au AFTER UPDATE ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT NEW.id, NEW.record_no,
           CASE WHEN OLD.status IN ('published','contested','corrected')
                 AND NEW.status NOT IN ('published','contested','corrected') THEN 'DEL'
                WHEN OLD.status NOT IN ('published','contested','corrected')
                 AND NEW.status IN ('published','contested','corrected') THEN 'ADD'
                ELSE 'MOD' END
     WHERE (OLD.status IN ('published','contested','corrected')
            OR NEW.status IN ('published','contested','corrected'))
       AND @credit_bulk_load IS NULL;
CREATE TRIGGER tr_records_changes_ad AFTER DELETE ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op) VALUES (OLD.id, OLD.record_no, 'DEL');
CREATE TRIGGER tr_record_events_changes_ai AFTER INSERT ON record_events FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op)
    SELECT NEW.record_id, r.record_no, 'DEL' FROM records r
     WHERE r.id = NEW.record_id AND NEW.event = 'expired' AND @credit_bulk_load IS NULL;

-- Expiry bookkeeping: once a day, an 'expired' event for every record whose
-- window has ended. Visibility does not wait for it: it follows the clock at
-- query time. The event only records what already happened, for the
-- timeline and the delta feed.
CREATE PROCEDURE record_expiries()
    INSERT INTO record_events (record_id, event, occurred_on, note)
    SELECT r.id, 'expired', r.withdraw_on, '公示期满,自动撤下'
      FROM records r
     WHERE r.withdraw_on <= CURDATE()
       AND r.status IN ('published','contested','corrected')
       AND NOT EXISTS (SELECT 1 FROM record_events e
                        WHERE e.record_id = r.id AND e.event = 'expired');

CREATE EVENT IF NOT EXISTS ev_record_expiries
    ON SCHEDULE EVERY 1 DAY STARTS (CURRENT_DATE + INTERVAL 1 DAY + INTERVAL 5 MINUTE)
    DO CALL record_expiries();
