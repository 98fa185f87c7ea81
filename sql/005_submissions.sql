-- 005: receipts of citizens' submissions. Numbers are PREFIX-YYYYMMDD-NNNNNN
-- (TS complaints, YY objections, XF repair applications) counted per day;
-- the counter is taken in the submission's own transaction, so a rolled
-- back submission leaves no gap and two submissions never share a number.
CREATE TABLE receipt_counters (
    prefix  CHAR(2) NOT NULL,
    day     DATE NOT NULL,
    n       INT UNSIGNED NOT NULL,
    PRIMARY KEY (prefix, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The idempotency key is a keyed hash of the form token (64 hex characters).
ALTER TABLE complaints MODIFY form_token CHAR(64) NOT NULL COMMENT 'HMAC of the form token: a resubmitted form finds its first receipt';
ALTER TABLE objections MODIFY form_token CHAR(64) NOT NULL COMMENT 'HMAC of the form token';
ALTER TABLE repair_applications MODIFY form_token CHAR(64) NOT NULL COMMENT 'HMAC of the form token';
