-- 001: the whole domain of SPEC section 3.
SET NAMES utf8mb4;
-- Enumerations are short ASCII codes; labels live in templates/lang/*.hdf.
-- Dates are Beijing time (the module sets time_zone = '+08:00' on connect).

CREATE TABLE districts (
    code        VARCHAR(16) NOT NULL PRIMARY KEY,
    name_zh     VARCHAR(16) NOT NULL,
    name_en     VARCHAR(32) NOT NULL,
    division    CHAR(6)     NOT NULL COMMENT 'GB/T 2260 code',
    sort_order  TINYINT UNSIGNED NOT NULL,
    UNIQUE KEY uq_districts_name (name_zh)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO districts (code, name_zh, name_en, division, sort_order) VALUES
 ('city',     '市级',   'Municipal',     '120000', 0),
 ('heping',   '和平区', 'Heping',        '120101', 1),
 ('hedong',   '河东区', 'Hedong',        '120102', 2),
 ('hexi',     '河西区', 'Hexi',          '120103', 3),
 ('nankai',   '南开区', 'Nankai',        '120104', 4),
 ('hebei',    '河北区', 'Hebei',         '120105', 5),
 ('hongqiao', '红桥区', 'Hongqiao',      '120106', 6),
 ('dongli',   '东丽区', 'Dongli',        '120110', 7),
 ('xiqing',   '西青区', 'Xiqing',        '120111', 8),
 ('jinnan',   '津南区', 'Jinnan',        '120112', 9),
 ('beichen',  '北辰区', 'Beichen',       '120113', 10),
 ('wuqing',   '武清区', 'Wuqing',        '120114', 11),
 ('baodi',    '宝坻区', 'Baodi',         '120115', 12),
 ('binhai',   '滨海新区', 'Binhai New Area', '120116', 13),
 ('ninghe',   '宁河区', 'Ninghe',        '120117', 14),
 ('jinghai',  '静海区', 'Jinghai',       '120118', 15),
 ('jizhou',   '蓟州区', 'Jizhou',        '120119', 16);

-- Departments own records and cases (issue 4/4 scopes staff by department).
CREATE TABLE departments (
    id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code        VARCHAR(32)  NOT NULL,
    name        VARCHAR(100) NOT NULL,
    district    VARCHAR(16)  NOT NULL,
    UNIQUE KEY uq_departments_code (code),
    KEY ix_departments_district (district),
    CONSTRAINT fk_departments_district FOREIGN KEY (district) REFERENCES districts (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 失信主体: a government body (gov) or a civil servant (official).
CREATE TABLE subjects (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    kind         ENUM('gov','official') NOT NULL,
    name         VARCHAR(100) NOT NULL,
    credit_code  CHAR(18) NULL COMMENT 'GB 32100-2015, gov only',
    district     VARCHAR(16) NOT NULL,
    level        ENUM('city','district','township') NOT NULL,
    employer_id  BIGINT UNSIGNED NULL COMMENT 'official: the gov subject employing them',
    position     VARCHAR(100) NULL,
    id_hash      BINARY(32) NULL COMMENT 'official: HMAC-SHA256 of the ID-card number',
    id_masked    CHAR(18) NULL COMMENT 'official: first 6 and last 4 characters only',
    created_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_subjects_credit_code (credit_code),
    UNIQUE KEY uq_subjects_id_hash (id_hash),
    KEY ix_subjects_district (district, kind),
    KEY ix_subjects_employer (employer_id),
    KEY ix_subjects_name (name),
    CONSTRAINT fk_subjects_district FOREIGN KEY (district) REFERENCES districts (code),
    CONSTRAINT fk_subjects_employer FOREIGN KEY (employer_id) REFERENCES subjects (id),
    CONSTRAINT ck_subjects_kind CHECK ((kind = 'gov' AND credit_code IS NOT NULL AND employer_id IS NULL)
                                    OR (kind = 'official' AND credit_code IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 政务失信记录. The disclosure clock (NDRC Order 36) is computed by the
-- database from severity and disclosure date, never typed:
--   minor:   withdrawn after 3 months, no repair
--   general: repair after 3 months, withdrawn after 1 year
--   serious: repair after 1 year, withdrawn after 3 years
-- A record is public while status is not withdrawn and
-- disclosed_on <= today < withdraw_on (credit_store_maria.c holds that predicate).
CREATE TABLE records (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    record_no       VARCHAR(20) NOT NULL COMMENT 'permanent public number TJZW-YYYY-NNNNNN',
    subject_id      BIGINT UNSIGNED NOT NULL,
    subject_kind    ENUM('gov','official') NOT NULL COMMENT 'copy of subjects.kind for the kind filter',
    district        VARCHAR(16) NOT NULL COMMENT 'copy of subjects.district for the district filter',
    category        ENUM('judgment','penalty','discipline','accountability','breach') NOT NULL,
    domain          ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    severity        ENUM('minor','general','serious') NOT NULL,
    status          ENUM('published','contested','corrected','repaired','revoked','expired') NOT NULL DEFAULT 'published',
    title           VARCHAR(200) NOT NULL,
    facts           TEXT NOT NULL,
    legal_basis     VARCHAR(1000) NOT NULL,
    decision_no     VARCHAR(100) NOT NULL COMMENT '决定书文号',
    authority       VARCHAR(100) NOT NULL COMMENT '决定机关',
    decided_on      DATE NOT NULL,
    department_id   INT UNSIGNED NOT NULL COMMENT 'source department',
    amount          DECIMAL(15,2) NULL COMMENT 'yuan',
    rectification   TEXT NULL,
    rectify_due     DATE NULL,
    rectified       BOOLEAN NOT NULL DEFAULT FALSE,
    correction_note VARCHAR(1000) NULL,
    disclosed_on    DATE NOT NULL,
    repair_from     DATE AS (CASE severity
                               WHEN 'general' THEN disclosed_on + INTERVAL 3 MONTH
                               WHEN 'serious' THEN disclosed_on + INTERVAL 1 YEAR
                               ELSE NULL END) PERSISTENT,
    withdraw_on     DATE AS (CASE severity
                               WHEN 'minor'   THEN disclosed_on + INTERVAL 3 MONTH
                               WHEN 'general' THEN disclosed_on + INTERVAL 1 YEAR
                               ELSE disclosed_on + INTERVAL 3 YEAR END) PERSISTENT,
    withdrawn_on    DATE NULL COMMENT 'set when repaired or revoked',
    created_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_records_no (record_no),
    -- One index per list filter, ordered as the list is (disclosed_on, id)
    -- and covering the public predicate (status, withdraw_on), so that
    -- pages and totals are read from the index alone.
    KEY ix_records_disclosed (disclosed_on, id, status, withdraw_on),
    KEY ix_records_district (district, disclosed_on, id, status, withdraw_on),
    KEY ix_records_kind (subject_kind, disclosed_on, id, status, withdraw_on),
    KEY ix_records_category (category, disclosed_on, id, status, withdraw_on),
    KEY ix_records_domain (domain, disclosed_on, id, status, withdraw_on),
    KEY ix_records_severity (severity, disclosed_on, id, status, withdraw_on),
    KEY ix_records_status (status, disclosed_on, id, withdraw_on),
    KEY ix_records_withdraw (withdraw_on),
    KEY ix_records_subject (subject_id, disclosed_on, id, status, withdraw_on),
    KEY ix_records_department (department_id, disclosed_on),
    KEY ix_records_decision_no (decision_no),
    KEY ix_records_updated (updated_at, id),
    CONSTRAINT fk_records_subject FOREIGN KEY (subject_id) REFERENCES subjects (id),
    CONSTRAINT fk_records_district FOREIGN KEY (district) REFERENCES districts (code),
    CONSTRAINT fk_records_department FOREIGN KEY (department_id) REFERENCES departments (id),
    CONSTRAINT ck_records_amount CHECK (amount IS NULL OR amount >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Old numbers of renumbered or merged records: permanent links redirect.
CREATE TABLE record_aliases (
    old_no      VARCHAR(20) NOT NULL PRIMARY KEY,
    record_id   BIGINT UNSIGNED NOT NULL,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT fk_record_aliases_record FOREIGN KEY (record_id) REFERENCES records (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The public timeline of a record.
CREATE TABLE record_events (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    record_id   BIGINT UNSIGNED NOT NULL,
    event       ENUM('listed','contested','uncontested','corrected','repaired','revoked','expired') NOT NULL,
    occurred_on DATE NOT NULL,
    decision_no VARCHAR(100) NULL,
    note        VARCHAR(1000) NULL,
    created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_record_events_record (record_id, occurred_on, id),
    CONSTRAINT fk_record_events_record FOREIGN KEY (record_id) REFERENCES records (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 投诉举报. Personal data is optional (anonymous allowed); the client
-- address and the query code are stored only as keyed hashes.
CREATE TABLE complaints (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    receipt_no    CHAR(18) NOT NULL COMMENT 'TS-YYYYMMDD-NNNNNN',
    form_token    CHAR(64) NOT NULL COMMENT 'idempotency key',
    code_hash     BINARY(32) NOT NULL,
    client_hash   BINARY(32) NOT NULL,
    target        VARCHAR(200) NOT NULL,
    subject_id    BIGINT UNSIGNED NULL,
    district      VARCHAR(16) NOT NULL,
    domain        ENUM('procurement','ppp','bidding','investment','debt','grassroots','other') NOT NULL,
    title         VARCHAR(100) NOT NULL,
    content       TEXT NOT NULL COMMENT '<= 5000 characters',
    conduct_on    DATE NULL,
    evidence      TEXT NULL,
    name          VARCHAR(50) NULL,
    phone         VARCHAR(20) NULL,
    email         VARCHAR(254) NULL,
    department_id INT UNSIGNED NULL,
    status        ENUM('received','accepted','rejected','processing','concluded') NOT NULL DEFAULT 'received',
    accepted_on   DATE NULL,
    due_on        DATE NULL,
    reply         TEXT NULL,
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_complaints_receipt (receipt_no),
    UNIQUE KEY uq_complaints_token (form_token),
    KEY ix_complaints_queue (department_id, status, due_on),
    KEY ix_complaints_district (district, created_at),
    CONSTRAINT fk_complaints_subject FOREIGN KEY (subject_id) REFERENCES subjects (id),
    CONSTRAINT fk_complaints_district FOREIGN KEY (district) REFERENCES districts (code),
    CONSTRAINT fk_complaints_department FOREIGN KEY (department_id) REFERENCES departments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 异议: against one record.
CREATE TABLE objections (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    receipt_no    CHAR(18) NOT NULL COMMENT 'YY-YYYYMMDD-NNNNNN',
    form_token    CHAR(64) NOT NULL,
    code_hash     BINARY(32) NOT NULL,
    client_hash   BINARY(32) NOT NULL,
    record_id     BIGINT UNSIGNED NOT NULL,
    applicant     VARCHAR(100) NOT NULL,
    contact       VARCHAR(254) NOT NULL,
    relation      ENUM('self','unit','agent') NOT NULL,
    reason        TEXT NOT NULL,
    evidence      TEXT NULL,
    status        ENUM('received','accepted','rejected','upheld','corrected','revoked') NOT NULL DEFAULT 'received',
    accepted_on   DATE NULL,
    due_on        DATE NULL,
    reply         TEXT NULL,
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_objections_receipt (receipt_no),
    UNIQUE KEY uq_objections_token (form_token),
    KEY ix_objections_record (record_id),
    KEY ix_objections_queue (status, due_on),
    CONSTRAINT fk_objections_record FOREIGN KEY (record_id) REFERENCES records (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 信用修复申请: against one record, after the minimum period.
CREATE TABLE repair_applications (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    receipt_no    CHAR(18) NOT NULL COMMENT 'XF-YYYYMMDD-NNNNNN',
    form_token    CHAR(64) NOT NULL,
    code_hash     BINARY(32) NOT NULL,
    client_hash   BINARY(32) NOT NULL,
    record_id     BIGINT UNSIGNED NOT NULL,
    applicant     VARCHAR(100) NOT NULL,
    contact       VARCHAR(254) NOT NULL,
    rectification TEXT NOT NULL,
    commitment    TEXT NOT NULL COMMENT '信用承诺',
    status        ENUM('received','accepted','rejected','approved','denied') NOT NULL DEFAULT 'received',
    received_on   DATE NULL COMMENT 'received by the deciding authority',
    decide_due_on DATE NULL COMMENT '3 working days',
    reply_due_on  DATE NULL COMMENT '10 working days',
    reply         TEXT NULL,
    created_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY uq_repairs_receipt (receipt_no),
    UNIQUE KEY uq_repairs_token (form_token),
    KEY ix_repairs_record (record_id),
    KEY ix_repairs_queue (status, decide_due_on),
    CONSTRAINT fk_repairs_record FOREIGN KEY (record_id) REFERENCES records (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Dated status notes of complaints, objections and repairs.
CREATE TABLE case_events (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    case_type   ENUM('complaint','objection','repair') NOT NULL,
    case_id     BIGINT UNSIGNED NOT NULL,
    status      VARCHAR(16) NOT NULL,
    note        VARCHAR(2000) NULL,
    occurred_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    KEY ix_case_events_case (case_type, case_id, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 政务诚信评价: per district government or department and year.
CREATE TABLE ratings (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subject_id   BIGINT UNSIGNED NOT NULL,
    year         SMALLINT UNSIGNED NOT NULL,
    score        DECIMAL(5,2) NOT NULL,
    grade        ENUM('A','B','C','D') NOT NULL,
    published_on DATE NOT NULL,
    UNIQUE KEY uq_ratings_subject_year (subject_id, year),
    KEY ix_ratings_year (year, score),
    CONSTRAINT fk_ratings_subject FOREIGN KEY (subject_id) REFERENCES subjects (id),
    CONSTRAINT ck_ratings_score CHECK (score BETWEEN 0 AND 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE rating_indicators (
    rating_id   BIGINT UNSIGNED NOT NULL,
    code        VARCHAR(32) NOT NULL,
    name        VARCHAR(100) NOT NULL,
    weight      DECIMAL(5,2) NOT NULL,
    raw_value   DECIMAL(10,2) NOT NULL,
    score       DECIMAL(5,2) NOT NULL,
    PRIMARY KEY (rating_id, code),
    CONSTRAINT fk_rating_indicators_rating FOREIGN KEY (rating_id) REFERENCES ratings (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 公开承诺 of streets and townships.
CREATE TABLE commitments (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subject_id   BIGINT UNSIGNED NOT NULL COMMENT 'a street or township (level township)',
    area         ENUM('employment','property','schooling','family','elderly','disability','poverty',
                      'insurance','housing','transport','parking','safety','military','services') NOT NULL,
    text         VARCHAR(1000) NOT NULL,
    promised_on  DATE NOT NULL,
    status       ENUM('pending','kept','broken') NOT NULL DEFAULT 'pending',
    evidence     VARCHAR(1000) NULL,
    updated_at   DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    KEY ix_commitments_subject (subject_id, status),
    KEY ix_commitments_area (area, status),
    CONSTRAINT fk_commitments_subject FOREIGN KEY (subject_id) REFERENCES subjects (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only audit log: the module's users may INSERT and SELECT only.
CREATE TABLE audit_log (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    actor       VARCHAR(100) NOT NULL COMMENT 'r->user',
    at          DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    action      VARCHAR(32) NOT NULL,
    entity      VARCHAR(32) NOT NULL,
    entity_id   BIGINT UNSIGNED NOT NULL,
    before_json JSON NULL,
    after_json  JSON NULL,
    KEY ix_audit_entity (entity, entity_id, at),
    KEY ix_audit_actor (actor, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Working-day calendar: China's public holidays and adjusted working days.
CREATE TABLE calendar_days (
    day         DATE NOT NULL PRIMARY KEY,
    is_workday  BOOLEAN NOT NULL,
    note        VARCHAR(32) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row, bumped by every write to the public data: ETags and cached
-- totals are keyed on it, so a withdrawal invalidates them at once.
CREATE TABLE data_version (
    id          TINYINT UNSIGNED NOT NULL PRIMARY KEY,
    version     BIGINT UNSIGNED NOT NULL,
    changed_at  DATETIME(3) NOT NULL,
    CONSTRAINT ck_data_version_one CHECK (id = 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO data_version VALUES (1, 1, CURRENT_TIMESTAMP(3));

CREATE TRIGGER tr_records_ai AFTER INSERT ON records FOR EACH ROW
    UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP(3) WHERE id = 1;
CREATE TRIGGER tr_records_au AFTER UPDATE ON records FOR EACH ROW
    UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP(3) WHERE id = 1;
CREATE TRIGGER tr_records_ad AFTER DELETE ON records FOR EACH ROW
    UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP(3) WHERE id = 1;
CREATE TRIGGER tr_record_events_ai AFTER INSERT ON record_events FOR EACH ROW
    UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP(3) WHERE id = 1;
CREATE TRIGGER tr_subjects_au AFTER UPDATE ON subjects FOR EACH ROW
    UPDATE data_version SET version = version + 1, changed_at = CURRENT_TIMESTAMP(3) WHERE id = 1;
