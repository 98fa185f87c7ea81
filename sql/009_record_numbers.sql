-- 009: permanent record numbers for records created by staff
-- (TJZW-<disclosure year>-NNNNNN). One counter row per year, locked until
-- the creating transaction ends; the module also takes every number of
-- that year already in records and record_aliases into account (rows
-- loaded by other means, the demo's, renumbered records' old numbers), so
-- a number is never given twice. The row is created on first use.
CREATE TABLE record_numbers (
    year     SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
    last_no  INT UNSIGNED NOT NULL COMMENT 'the highest NNNNNN given for the year',
    CONSTRAINT ck_record_numbers_range CHECK (last_no <= 999999)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
