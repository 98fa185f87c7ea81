-- 003: Chinese full-text search (issue 2/4). InnoDB stays the source of
-- truth; record_search is derived: a Mroonga (storage mode, bigram) copy of
-- what search needs, kept in step by the triggers below on every write and
-- rebuilt from scratch by sql/reindex.sql (make reindex). Every hit is
-- re-checked against InnoDB's records before it is shown.
CREATE TABLE record_search (
    record_id     BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    disclosed_on  DATE NOT NULL,
    withdraw_on   DATE NOT NULL,
    listed        TINYINT NOT NULL COMMENT '1 while status is published, contested or corrected',
    status        VARCHAR(16) NOT NULL,
    district      VARCHAR(16) NOT NULL,
    subject_kind  VARCHAR(16) NOT NULL,
    category      VARCHAR(16) NOT NULL,
    domain        VARCHAR(16) NOT NULL,
    severity      VARCHAR(16) NOT NULL,
    body          TEXT NOT NULL COMMENT 'record number, subject name, title, facts, decision number',
    FULLTEXT INDEX ft_body (body) COMMENT 'tokenizer "TokenBigram", normalizer "NormalizerAuto"',
    KEY ix_search_disclosed (disclosed_on),
    KEY ix_search_withdraw (withdraw_on),
    KEY ix_search_listed (listed),
    KEY ix_search_district (district),
    KEY ix_search_kind (subject_kind),
    KEY ix_search_category (category),
    KEY ix_search_domain (domain),
    KEY ix_search_severity (severity),
    KEY ix_search_status (status)
) ENGINE=Mroonga DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bulk loads (sql/demo.sql) set @credit_bulk_load = 1 and reindex once at the end.
CREATE TRIGGER tr_records_search_ai AFTER INSERT ON records FOR EACH ROW
    REPLACE INTO record_search
    SELECT NEW.id, NEW.disclosed_on, NEW.withdraw_on,
           NEW.status IN ('published','contested','corrected'), NEW.status, NEW.district,
           NEW.subject_kind, NEW.category, NEW.domain, NEW.severity,
           CONCAT_WS(' ', NEW.record_no, s.name, NEW.title, NEW.facts, NEW.decision_no)
      FROM subjects s WHERE s.id = NEW.subject_id AND @credit_bulk_load IS NULL;
CREATE TRIGGER tr_records_search_au AFTER UPDATE ON records FOR EACH ROW
    REPLACE INTO record_search
    SELECT NEW.id, NEW.disclosed_on, NEW.withdraw_on,
           NEW.status IN ('published','contested','corrected'), NEW.status, NEW.district,
           NEW.subject_kind, NEW.category, NEW.domain, NEW.severity,
           CONCAT_WS(' ', NEW.record_no, s.name, NEW.title, NEW.facts, NEW.decision_no)
      FROM subjects s WHERE s.id = NEW.subject_id AND @credit_bulk_load IS NULL;
CREATE TRIGGER tr_records_search_ad AFTER DELETE ON records FOR EACH ROW
    DELETE FROM record_search WHERE record_id = OLD.id;
CREATE TRIGGER tr_subjects_search_au AFTER UPDATE ON subjects FOR EACH ROW
    REPLACE INTO record_search
    SELECT r.id, r.disclosed_on, r.withdraw_on,
           r.status IN ('published','contested','corrected'), r.status, r.district,
           r.subject_kind, r.category, r.domain, r.severity,
           CONCAT_WS(' ', r.record_no, NEW.name, r.title, r.facts, r.decision_no)
      FROM records r WHERE r.subject_id = NEW.id AND NEW.name <> OLD.name;
