-- 011: totals without counting (issue 10). The number of public records for
-- any combination of the enumerated filters (district, kind, category,
-- domain, severity, status) is kept by the triggers below in the same
-- transaction as every write, and follows the public window as it moves at
-- midnight without any write:
--
--   record_counts        n per combination, for the day record_counts_state.as_of
--   record_count_deltas  per day and combination, how the number changes on
--                        that day: +1 on a record's disclosed_on, -1 on its
--                        withdraw_on (listed statuses only); kept for days
--                        after keep_from (as_of - 7 days)
--
-- The number on day T is n + the deltas of (as_of, T] (T >= as_of), or n -
-- the deltas of (T, as_of] (keep_from <= T < as_of: a clock a little behind
-- the database's). Reading it is one small statement whatever the filter
-- (credit_store_maria.c, credit_tally.c); record_counts_roll moves as_of to
-- today once a day (the event below) so that the deltas read stay few, but
-- the numbers are right whether it ran or not. record_counts_rebuild()
-- computes everything again from records (bulk loads, make reindex).
CREATE TABLE record_counts_state (
    id         TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    as_of      DATE NOT NULL COMMENT 'record_counts.n is the number on this day',
    keep_from  DATE NOT NULL COMMENT 'record_count_deltas holds the days after this one',
    CONSTRAINT ck_record_counts_state_one CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE record_counts (
    district      VARCHAR(16) NOT NULL,
    subject_kind  ENUM('gov','official') NOT NULL,
    category      ENUM('judgment','penalty','discipline','accountability','breach') NOT NULL,
    domain        ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    severity      ENUM('minor','general','serious') NOT NULL,
    status        ENUM('published','contested','corrected') NOT NULL,
    n             INT NOT NULL,
    PRIMARY KEY (district, subject_kind, category, domain, severity, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE record_count_deltas (
    day           DATE NOT NULL,
    district      VARCHAR(16) NOT NULL,
    subject_kind  ENUM('gov','official') NOT NULL,
    category      ENUM('judgment','penalty','discipline','accountability','breach') NOT NULL,
    domain        ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    severity      ENUM('minor','general','serious') NOT NULL,
    status        ENUM('published','contested','corrected') NOT NULL,
    delta         INT NOT NULL,
    PRIMARY KEY (day, district, subject_kind, category, domain, severity, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DELIMITER //

-- One change of the number of a combination from day p_day on.
CREATE PROCEDURE record_count_move(p_day DATE, p_district VARCHAR(16), p_kind VARCHAR(16),
                                   p_category VARCHAR(16), p_domain VARCHAR(16),
                                   p_severity VARCHAR(16), p_status VARCHAR(16), p_delta INT)
BEGIN
    DECLARE a, k DATE;
    -- Shared: writes go on side by side; a roll or rebuild waits for them.
    SELECT as_of, keep_from INTO a, k FROM record_counts_state WHERE id = 1 LOCK IN SHARE MODE;
    IF p_day <= a THEN
        INSERT INTO record_counts (district, subject_kind, category, domain, severity, status, n)
        VALUES (p_district, p_kind, p_category, p_domain, p_severity, p_status, p_delta)
        ON DUPLICATE KEY UPDATE n = n + p_delta;
    END IF;
    IF p_day > k THEN
        INSERT INTO record_count_deltas (day, district, subject_kind, category, domain, severity,
                                         status, delta)
        VALUES (p_day, p_district, p_kind, p_category, p_domain, p_severity, p_status, p_delta)
        ON DUPLICATE KEY UPDATE delta = delta + p_delta;
    END IF;
END//

-- A record's part in the numbers (p_sign 1) or taking it back (-1): public
-- from its disclosure day until its withdrawal day, while its status is listed.
CREATE PROCEDURE record_count_apply(p_status VARCHAR(16), p_disclosed DATE, p_withdraw DATE,
                                    p_district VARCHAR(16), p_kind VARCHAR(16),
                                    p_category VARCHAR(16), p_domain VARCHAR(16),
                                    p_severity VARCHAR(16), p_sign INT)
BEGIN
    IF p_status IN ('published','contested','corrected') AND p_disclosed < p_withdraw THEN
        CALL record_count_move(p_disclosed, p_district, p_kind, p_category, p_domain, p_severity,
                               p_status, p_sign);
        CALL record_count_move(p_withdraw, p_district, p_kind, p_category, p_domain, p_severity,
                               p_status, -p_sign);
    END IF;
END//

CREATE TRIGGER tr_records_counts_ai AFTER INSERT ON records FOR EACH ROW
BEGIN
    IF @credit_bulk_load IS NULL THEN
        CALL record_count_apply(NEW.status, NEW.disclosed_on, NEW.withdraw_on, NEW.district,
                                NEW.subject_kind, NEW.category, NEW.domain, NEW.severity, 1);
    END IF;
END//

CREATE TRIGGER tr_records_counts_au AFTER UPDATE ON records FOR EACH ROW
BEGIN
    IF @credit_bulk_load IS NULL AND
       (NOT (OLD.status <=> NEW.status) OR NOT (OLD.disclosed_on <=> NEW.disclosed_on)
        OR NOT (OLD.withdraw_on <=> NEW.withdraw_on) OR NOT (OLD.district <=> NEW.district)
        OR NOT (OLD.subject_kind <=> NEW.subject_kind) OR NOT (OLD.category <=> NEW.category)
        OR NOT (OLD.domain <=> NEW.domain) OR NOT (OLD.severity <=> NEW.severity)) THEN
        CALL record_count_apply(OLD.status, OLD.disclosed_on, OLD.withdraw_on, OLD.district,
                                OLD.subject_kind, OLD.category, OLD.domain, OLD.severity, -1);
        CALL record_count_apply(NEW.status, NEW.disclosed_on, NEW.withdraw_on, NEW.district,
                                NEW.subject_kind, NEW.category, NEW.domain, NEW.severity, 1);
    END IF;
END//

CREATE TRIGGER tr_records_counts_ad AFTER DELETE ON records FOR EACH ROW
BEGIN
    CALL record_count_apply(OLD.status, OLD.disclosed_on, OLD.withdraw_on, OLD.district,
                            OLD.subject_kind, OLD.category, OLD.domain, OLD.severity, -1);
END//

-- Moves as_of to p_to (never backwards): the deltas up to it go into n,
-- those older than a week are dropped. Cheap: one day's deltas a day.
CREATE PROCEDURE record_counts_roll(p_to DATE)
BEGIN
    DECLARE a DATE;
    START TRANSACTION;
    SELECT as_of INTO a FROM record_counts_state WHERE id = 1 FOR UPDATE;
    IF p_to > a THEN
        INSERT INTO record_counts (district, subject_kind, category, domain, severity, status, n)
        SELECT district, subject_kind, category, domain, severity, status, SUM(delta)
          FROM record_count_deltas WHERE day > a AND day <= p_to
         GROUP BY district, subject_kind, category, domain, severity, status
        ON DUPLICATE KEY UPDATE n = n + VALUES(n);
        DELETE FROM record_counts WHERE n = 0;
        UPDATE record_counts_state SET as_of = p_to, keep_from = p_to - INTERVAL 7 DAY WHERE id = 1;
        DELETE FROM record_count_deltas WHERE day <= p_to - INTERVAL 7 DAY;
    END IF;
    COMMIT;
END//

-- Everything again from records, as of today.
CREATE PROCEDURE record_counts_rebuild()
BEGIN
    DECLARE a DATE DEFAULT CURDATE();
    DECLARE k DATE DEFAULT CURDATE() - INTERVAL 7 DAY;
    START TRANSACTION;
    INSERT INTO record_counts_state (id, as_of, keep_from) VALUES (1, a, k)
    ON DUPLICATE KEY UPDATE as_of = a, keep_from = k;
    SELECT as_of INTO a FROM record_counts_state WHERE id = 1 FOR UPDATE;
    DELETE FROM record_counts;
    DELETE FROM record_count_deltas;
    INSERT INTO record_counts (district, subject_kind, category, domain, severity, status, n)
    SELECT district, subject_kind, category, domain, severity, status, COUNT(*)
      FROM records
     WHERE status IN ('published','contested','corrected') AND disclosed_on <= a AND withdraw_on > a
     GROUP BY district, subject_kind, category, domain, severity, status;
    INSERT INTO record_count_deltas (day, district, subject_kind, category, domain, severity,
                                     status, delta)
    SELECT day, district, subject_kind, category, domain, severity, status, SUM(d)
      FROM (SELECT disclosed_on AS day, district, subject_kind, category, domain, severity,
                   status, 1 AS d
              FROM records
             WHERE status IN ('published','contested','corrected') AND disclosed_on > k
               AND disclosed_on < withdraw_on
            UNION ALL
            SELECT withdraw_on, district, subject_kind, category, domain, severity, status, -1
              FROM records
             WHERE status IN ('published','contested','corrected') AND withdraw_on > k
               AND disclosed_on < withdraw_on) AS e
     GROUP BY day, district, subject_kind, category, domain, severity, status
    HAVING SUM(d) <> 0;
    COMMIT;
END//

DELIMITER ;

CALL record_counts_rebuild();

-- Half a minute after midnight (the database's clock is Beijing time).
CREATE EVENT ev_record_counts_roll
    ON SCHEDULE EVERY 1 DAY STARTS (CURRENT_DATE + INTERVAL 1 DAY + INTERVAL 30 SECOND)
    DO CALL record_counts_roll(CURDATE());
