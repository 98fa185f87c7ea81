-- 020: the change feed for mirrors (issue 14, point 4). Every entry of
-- record_changes now says why it was made (reason), a withdrawal (DEL) carries
-- its tombstone (number, state, date: no personal data), and every entry
-- carries the public set as it stands after it: the number of records and an
-- order-independent checksum, so that a mirror can prove it is in sync
-- (docs/MIRRORING.md gives the algorithm; tests/integration/mirror.py is a
-- reference implementation).
--
--   reason      listed (ADD: the record became public), contested,
--               uncontested (the objection was not upheld), corrected (a
--               correction, an edit, its subject renamed), repaired, revoked,
--               expired (its disclosure window ended)
--   digest      ADD/MOD: the record's digest as of this change; DEL: the
--               digest it leaves the set with
--   records     the number of records in the public set after this change
--   checksum    XOR of the digests of the records in the public set after it
--
-- A record's digest is the first 64 bits (big-endian) of the SHA-256 of its
-- canonical form (the view record_digests below): 22 fields of the record as the API
-- serves them, each written as <byte length>:<UTF-8 bytes>, and null as ~,
-- each followed by a comma.
--
-- The feed's own view of the public set is feed_members (one row per record
-- it announced and has not withdrawn, with its digest); feed_state holds the
-- last sequence number, the number of members and their checksum. Both are
-- kept by the BEFORE INSERT trigger of record_changes, which also numbers the
-- entries from feed_state under its row lock: an entry's seq is given when its
-- transaction is the only writer of the feed, so seq order is commit order and
-- a reader that resumes after seq N never misses an entry committed later with
-- a smaller number.
--
-- Expiry (a record leaving the public window by date) is no write: the pages
-- follow the clock at query time. The feed reports it when record_expiries()
-- runs (the daily event ev_record_expiries at 00:05, and every dump before its
-- snapshot): an 'expired' entry for each record whose window ended, and it
-- reconciles the feed with the clock both ways. Between midnight and that run
-- a mirror still holds records that the portal no longer shows.
ALTER TABLE record_changes
    ADD COLUMN reason ENUM('listed','contested','uncontested','corrected','repaired','revoked',
                           'expired') NULL AFTER op,
    ADD COLUMN tomb_state ENUM('repaired','revoked','expired') NULL COMMENT 'DEL: the state shown',
    ADD COLUMN tomb_on DATE NULL COMMENT 'DEL: the date of the tombstone',
    ADD COLUMN digest BIGINT UNSIGNED NULL,
    ADD COLUMN records INT NULL COMMENT 'public set after this entry: number of records',
    ADD COLUMN checksum BIGINT UNSIGNED NULL COMMENT 'public set after this entry: XOR of digests';

CREATE TABLE feed_state (
    id          TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    seq         BIGINT UNSIGNED NOT NULL COMMENT 'the last entry of record_changes',
    records     INT NOT NULL,
    checksum    BIGINT UNSIGNED NOT NULL,
    changed_at  DATETIME(3) NOT NULL,
    CONSTRAINT ck_feed_state_one CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE feed_members (
    record_id   BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    digest      BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

DROP TRIGGER IF EXISTS tr_records_changes_ai;
DROP TRIGGER IF EXISTS tr_records_changes_au;
DROP TRIGGER IF EXISTS tr_records_changes_ad;
DROP TRIGGER IF EXISTS tr_subjects_changes_au;
DROP TRIGGER IF EXISTS tr_record_events_changes_ai;
DROP PROCEDURE IF EXISTS record_expiries;

-- The digest of every record as it stands, from these fields of the API's
-- record in this order: no, title, category, domain, severity, status,
-- decision_no, authority, decided_on, disclosed_on, amount, facts,
-- legal_basis, correction_note, rectification.text (rectification),
-- rectification.due (rectify_due), rectification.done (rectified: true or
-- false), updated_at, subject.id, subject.name, subject.credit_code,
-- subject.position. credit_dump.c computes the same from a record,
-- tests/integration/mirror.py from its JSON. One definition: the trigger
-- below and feed_rebuild() read this view.
CREATE VIEW record_digests AS
SELECT r.id AS record_id, CAST(CONV(LEFT(SHA2(CONCAT(
        IF(r.record_no IS NULL, '~,', CONCAT(LENGTH(r.record_no), ':', r.record_no, ',')),
        IF(r.title IS NULL, '~,', CONCAT(LENGTH(r.title), ':', r.title, ',')),
        IF(r.category IS NULL, '~,', CONCAT(LENGTH(r.category), ':', r.category, ',')),
        IF(r.domain IS NULL, '~,', CONCAT(LENGTH(r.domain), ':', r.domain, ',')),
        IF(r.severity IS NULL, '~,', CONCAT(LENGTH(r.severity), ':', r.severity, ',')),
        IF(r.status IS NULL, '~,', CONCAT(LENGTH(r.status), ':', r.status, ',')),
        IF(r.decision_no IS NULL, '~,', CONCAT(LENGTH(r.decision_no), ':', r.decision_no, ',')),
        IF(r.authority IS NULL, '~,', CONCAT(LENGTH(r.authority), ':', r.authority, ',')),
        IF(r.decided_on IS NULL, '~,', CONCAT(LENGTH(r.decided_on), ':', r.decided_on, ',')),
        IF(r.disclosed_on IS NULL, '~,', CONCAT(LENGTH(r.disclosed_on), ':', r.disclosed_on, ',')),
        IF(r.amount IS NULL, '~,', CONCAT(LENGTH(r.amount), ':', r.amount, ',')),
        IF(r.facts IS NULL, '~,', CONCAT(LENGTH(r.facts), ':', r.facts, ',')),
        IF(r.legal_basis IS NULL, '~,', CONCAT(LENGTH(r.legal_basis), ':', r.legal_basis, ',')),
        IF(r.correction_note IS NULL, '~,',
           CONCAT(LENGTH(r.correction_note), ':', r.correction_note, ',')),
        IF(r.rectification IS NULL, '~,',
           CONCAT(LENGTH(r.rectification), ':', r.rectification, ',')),
        IF(r.rectify_due IS NULL, '~,', CONCAT(LENGTH(r.rectify_due), ':', r.rectify_due, ',')),
        IF(r.rectified, '4:true,', '5:false,'),
        IF(r.updated_at IS NULL, '~,', CONCAT(LENGTH(r.updated_at), ':', r.updated_at, ',')),
        IF(s.id IS NULL, '~,', CONCAT(LENGTH(s.id), ':', s.id, ',')),
        IF(s.name IS NULL, '~,', CONCAT(LENGTH(s.name), ':', s.name, ',')),
        IF(s.credit_code IS NULL, '~,', CONCAT(LENGTH(s.credit_code), ':', s.credit_code, ',')),
        IF(s.position IS NULL, '~,', CONCAT(LENGTH(s.position), ':', s.position, ','))
    ), 256), 16), 16, 10) AS UNSIGNED) AS digest
  FROM records r JOIN subjects s ON s.id = r.subject_id;

DELIMITER //

-- Numbers each entry and keeps the feed's public set (see above). Bulk loads
-- (@credit_bulk_load) write raw entries and call feed_rebuild() afterwards.
CREATE TRIGGER tr_record_changes_bi BEFORE INSERT ON record_changes FOR EACH ROW
BEGIN
    DECLARE was BIGINT UNSIGNED;
    DECLARE d BIGINT UNSIGNED;
    DECLARE delta BIGINT UNSIGNED DEFAULT 0;
    DECLARE dn INT DEFAULT 0;
    IF @credit_bulk_load IS NULL THEN
        IF NEW.reason IS NULL THEN
            SET NEW.reason = CASE NEW.op WHEN 'ADD' THEN 'listed' WHEN 'MOD' THEN 'corrected'
                                         ELSE 'expired' END;
        END IF;
        SET was = (SELECT digest FROM feed_members WHERE record_id = NEW.record_id);
        IF NEW.op = 'DEL' THEN
            IF was IS NOT NULL THEN
                DELETE FROM feed_members WHERE record_id = NEW.record_id;
                SET delta = was, dn = -1;
            END IF;
            SET NEW.digest = was;
            IF NEW.tomb_state IS NULL THEN
                SET NEW.tomb_state = 'expired';
            END IF;
            IF NEW.tomb_on IS NULL THEN
                SET NEW.tomb_on = CURDATE();
            END IF;
        ELSE
            -- ADD and MOD alike: the record is in the set with this content.
            SET d = (SELECT digest FROM record_digests WHERE record_id = NEW.record_id);
            IF was IS NULL THEN
                INSERT INTO feed_members (record_id, digest) VALUES (NEW.record_id, d);
                SET delta = d, dn = 1;
            ELSE
                UPDATE feed_members SET digest = d WHERE record_id = NEW.record_id;
                SET delta = was ^ d;
            END IF;
            SET NEW.digest = d, NEW.tomb_state = NULL, NEW.tomb_on = NULL;
        END IF;
        UPDATE feed_state
           SET seq = seq + 1, records = records + dn, checksum = checksum ^ delta,
               changed_at = CURRENT_TIMESTAMP(3)
         WHERE id = 1;
        SET NEW.seq = (SELECT seq FROM feed_state WHERE id = 1);
        SET NEW.records = (SELECT records FROM feed_state WHERE id = 1);
        SET NEW.checksum = (SELECT checksum FROM feed_state WHERE id = 1);
    END IF;
END//

CREATE TRIGGER tr_records_changes_ai AFTER INSERT ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op, reason)
    SELECT NEW.id, NEW.record_no, 'ADD', 'listed'
     WHERE NEW.status IN ('published','contested','corrected')
       AND NEW.disclosed_on <= CURDATE() AND NEW.withdraw_on > CURDATE()
       AND @credit_bulk_load IS NULL//

-- ADD when a record becomes public, DEL when it stops being public, MOD for
-- any other change of a public record; the reason from the status change.
CREATE TRIGGER tr_records_changes_au AFTER UPDATE ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op, reason, tomb_state, tomb_on)
    SELECT NEW.id, NEW.record_no,
           CASE WHEN was AND NOT now_public THEN 'DEL'
                WHEN now_public AND NOT was THEN 'ADD'
                ELSE 'MOD' END,
           CASE WHEN was AND NOT now_public THEN
                    IF(NEW.status IN ('repaired','revoked','expired'), NEW.status, 'corrected')
                WHEN now_public AND NOT was THEN 'listed'
                WHEN NEW.status = 'contested' AND OLD.status <> 'contested' THEN 'contested'
                WHEN OLD.status = 'contested' AND NEW.status = 'published' THEN 'uncontested'
                ELSE 'corrected' END,
           IF(was AND NOT now_public,
              IF(NEW.status IN ('repaired','revoked','expired'), NEW.status, 'expired'), NULL),
           IF(was AND NOT now_public,
              LEAST(CURDATE(), COALESCE(NEW.withdrawn_on,
                                        IF(NEW.status IN ('repaired','revoked','expired'),
                                           DATE(NEW.updated_at), NULL),
                                        NEW.withdraw_on)), NULL)
      FROM (SELECT OLD.status IN ('published','contested','corrected')
                   AND OLD.disclosed_on <= CURDATE() AND OLD.withdraw_on > CURDATE() AS was,
                   NEW.status IN ('published','contested','corrected')
                   AND NEW.disclosed_on <= CURDATE() AND NEW.withdraw_on > CURDATE()
                   AS now_public) v
     WHERE (was OR now_public) AND @credit_bulk_load IS NULL//

CREATE TRIGGER tr_records_changes_ad AFTER DELETE ON records FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op, reason, tomb_state, tomb_on)
    VALUES (OLD.id, OLD.record_no, 'DEL', 'revoked', 'revoked', CURDATE())//

-- A change of what a record's page shows of its subject (or of an
-- official's employer) is a MOD of each of its public records.
CREATE TRIGGER tr_subjects_changes_au AFTER UPDATE ON subjects FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op, reason)
    SELECT r.id, r.record_no, 'MOD', 'corrected' FROM records r
     WHERE (r.subject_id = NEW.id
            OR (NOT (NEW.name <=> OLD.name)
                AND r.subject_id IN (SELECT e.id FROM subjects e WHERE e.employer_id = NEW.id)))
       AND (NOT (NEW.name <=> OLD.name) OR NOT (NEW.credit_code <=> OLD.credit_code)
            OR NOT (NEW.position <=> OLD.position) OR NOT (NEW.level <=> OLD.level)
            OR NOT (NEW.district <=> OLD.district) OR NOT (NEW.kind <=> OLD.kind)
            OR NOT (NEW.id_masked <=> OLD.id_masked)
            OR NOT (NEW.employer_id <=> OLD.employer_id))
       AND r.status IN ('published','contested','corrected')
       AND r.disclosed_on <= CURDATE() AND r.withdraw_on > CURDATE()
       AND @credit_bulk_load IS NULL//

CREATE TRIGGER tr_record_events_changes_ai AFTER INSERT ON record_events FOR EACH ROW
    INSERT INTO record_changes (record_id, record_no, op, reason, tomb_state, tomb_on)
    SELECT NEW.record_id, r.record_no, 'DEL', 'expired', 'expired',
           LEAST(CURDATE(), NEW.occurred_on)
      FROM records r
     WHERE r.id = NEW.record_id AND NEW.event = 'expired' AND @credit_bulk_load IS NULL//

-- Daily (and before every dump): an 'expired' event, and so a DEL, for every
-- record whose window ended; then the feed is reconciled with the clock: a
-- DEL for any record it holds that is not public, an ADD for any public
-- record it does not hold (disclosed today, or public again). Visibility
-- never waits for this: it follows the clock at query time.
CREATE PROCEDURE record_expiries()
BEGIN
    INSERT INTO record_events (record_id, event, occurred_on, note)
    SELECT r.id, 'expired', r.withdraw_on, '公示期满,自动撤下'
      FROM records r
     WHERE r.withdraw_on <= CURDATE()
       AND r.status IN ('published','contested','corrected')
       AND NOT EXISTS (SELECT 1 FROM record_events e
                        WHERE e.record_id = r.id AND e.event = 'expired');
    -- A bulk load (sql/changes_seed.sql) writes the history and rebuilds.
    IF @credit_bulk_load IS NULL THEN
    INSERT INTO record_changes (record_id, record_no, op, reason, tomb_state, tomb_on)
    SELECT r.id, r.record_no, 'DEL',
           CASE WHEN r.status IN ('repaired','revoked') THEN r.status
                WHEN r.withdraw_on <= CURDATE() THEN 'expired' ELSE 'corrected' END,
           IF(r.status IN ('repaired','revoked','expired'), r.status, 'expired'),
           LEAST(CURDATE(), COALESCE(r.withdrawn_on,
                                     IF(r.status IN ('repaired','revoked','expired'),
                                        DATE(r.updated_at), NULL),
                                     r.withdraw_on))
      FROM feed_members m JOIN records r ON r.id = m.record_id
     WHERE NOT (r.status IN ('published','contested','corrected')
                AND r.disclosed_on <= CURDATE() AND r.withdraw_on > CURDATE())
     ORDER BY r.id;
    INSERT INTO record_changes (record_id, record_no, op, reason)
    SELECT r.id, r.record_no, 'ADD', 'listed'
      FROM records r
     WHERE r.status IN ('published','contested','corrected')
       AND r.disclosed_on <= CURDATE() AND r.withdraw_on > CURDATE()
       AND NOT EXISTS (SELECT 1 FROM feed_members m WHERE m.record_id = r.id)
     ORDER BY r.disclosed_on, r.id;
    END IF;
END//

-- Everything of the feed's public set again from its entries (after a bulk
-- load, which writes raw entries): the members are the records whose last
-- entry is not a DEL, with the digests of their current content; each entry
-- gets the number and checksum of the set after it, computed with those
-- digests (the content a record had at an older entry is not kept).
CREATE PROCEDURE feed_rebuild()
BEGIN
    DROP TEMPORARY TABLE IF EXISTS feed_rebuild_digests;
    DROP TEMPORARY TABLE IF EXISTS feed_rebuild_steps;
    -- each record's digest once (the view costs a SHA-256 per read)
    CREATE TEMPORARY TABLE feed_rebuild_digests (
        record_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
        digest    BIGINT UNSIGNED NOT NULL
    ) ENGINE=InnoDB;
    CREATE TEMPORARY TABLE feed_rebuild_steps (
        seq      BIGINT UNSIGNED NOT NULL PRIMARY KEY,
        digest   BIGINT UNSIGNED NULL,
        delta    BIGINT UNSIGNED NOT NULL,
        dn       INT NOT NULL,
        records  INT NULL,
        checksum BIGINT UNSIGNED NULL
    ) ENGINE=InnoDB;
    START TRANSACTION;
    -- the writers of the feed wait
    INSERT INTO feed_state (id, seq, records, checksum, changed_at)
    VALUES (1, 0, 0, 0, CURRENT_TIMESTAMP(3))
    ON DUPLICATE KEY UPDATE seq = seq;
    SELECT seq INTO @feed_rebuild_ignored FROM feed_state WHERE id = 1 FOR UPDATE;
    INSERT INTO feed_rebuild_digests (record_id, digest)
    SELECT v.record_id, v.digest FROM record_digests v
     WHERE EXISTS (SELECT 1 FROM record_changes c WHERE c.record_id = v.record_id);
    DELETE FROM feed_members;
    INSERT INTO feed_members (record_id, digest)
    SELECT STRAIGHT_JOIN c.record_id, d.digest
      FROM (SELECT record_id, MAX(seq) AS seq FROM record_changes GROUP BY record_id) l
      JOIN record_changes c ON c.seq = l.seq
      JOIN feed_rebuild_digests d ON d.record_id = c.record_id
     WHERE c.op <> 'DEL';
    -- A record is in the set after an entry when the entry is not a DEL; an
    -- entry that moves it in or out changes the checksum by its digest.
    INSERT INTO feed_rebuild_steps (seq, digest, delta, dn)
    SELECT h.seq, h.d,
           IF(h.now_in <> h.was_in, COALESCE(h.d, 0), 0),
           h.now_in - h.was_in
      FROM (SELECT c.seq, d.digest AS d,
                   IF(c.op = 'DEL', 0, 1) AS now_in,
                   IF(COALESCE(LAG(c.op) OVER (PARTITION BY c.record_id ORDER BY c.seq), 'DEL')
                      = 'DEL', 0, 1) AS was_in
              FROM record_changes c
              LEFT JOIN feed_rebuild_digests d ON d.record_id = c.record_id) h;
    SET @feed_x = CAST(0 AS UNSIGNED), @feed_n = 0;
    UPDATE feed_rebuild_steps
       SET checksum = (@feed_x := @feed_x ^ delta), records = (@feed_n := @feed_n + dn)
     ORDER BY seq;
    UPDATE record_changes c JOIN feed_rebuild_steps s ON s.seq = c.seq
       SET c.digest = s.digest, c.records = s.records, c.checksum = s.checksum;
    UPDATE record_changes c JOIN records r ON r.id = c.record_id
       SET c.reason = CASE c.op WHEN 'ADD' THEN 'listed' WHEN 'MOD' THEN 'corrected'
                      ELSE CASE WHEN r.status IN ('repaired','revoked') THEN r.status
                                ELSE 'expired' END END
     WHERE c.reason IS NULL;
    UPDATE record_changes c JOIN records r ON r.id = c.record_id
       SET c.tomb_state = IF(r.status IN ('repaired','revoked','expired'), r.status, 'expired'),
           c.tomb_on = LEAST(DATE(c.changed_at),
                             COALESCE(r.withdrawn_on,
                                      IF(r.status IN ('repaired','revoked','expired'),
                                         DATE(r.updated_at), NULL),
                                      r.withdraw_on))
     WHERE c.op = 'DEL' AND c.tomb_state IS NULL;
    UPDATE feed_state
       SET seq = (SELECT COALESCE(MAX(seq), 0) FROM record_changes),
           records = (SELECT COUNT(*) FROM feed_members),
           checksum = (SELECT COALESCE(BIT_XOR(digest), 0) FROM feed_members),
           changed_at = CURRENT_TIMESTAMP(3)
     WHERE id = 1;
    COMMIT;
    DROP TEMPORARY TABLE feed_rebuild_steps;
    DROP TEMPORARY TABLE feed_rebuild_digests;
END//

DELIMITER ;

CALL feed_rebuild();
