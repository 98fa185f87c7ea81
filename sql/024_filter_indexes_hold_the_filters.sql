-- 024: each filter's index holds the other filters (issue 10). A list or
-- feed page that is not read cell by cell (sql/013) walks the index of its
-- narrowest filter; that index held the list's order and the public rule
-- but not the other filters, so MariaDB read the whole row of every entry
-- to test them: a feed of category, domain and severity read about 250
-- rows for its 51. With the other five filters in the index, the page's
-- ids come from the index alone and only their rows are read
-- (credit_store_maria_narrow.c, list_by_index): the statements of 74 feeds
-- of 2-4 filters took 78 ms against 126-135 ms, of 119 list pages 107 ms
-- against 170 ms, at 1,000,000 records (docs/BENCH.md, "The filters'
-- indexes hold the other filters"). The columns keep their order (the
-- exports and counts that use these indexes read the same prefix); each
-- index grows from about 25 to 36 MB at 1,000,000 records.
ALTER TABLE records
    DROP INDEX ix_records_district,
    ADD INDEX ix_records_district (district, disclosed_on, id, status, withdraw_on,
                                   subject_kind, category, domain, severity),
    DROP INDEX ix_records_kind,
    ADD INDEX ix_records_kind (subject_kind, disclosed_on, id, status, withdraw_on,
                               district, category, domain, severity),
    DROP INDEX ix_records_category,
    ADD INDEX ix_records_category (category, disclosed_on, id, status, withdraw_on,
                                   district, subject_kind, domain, severity),
    DROP INDEX ix_records_domain,
    ADD INDEX ix_records_domain (domain, disclosed_on, id, status, withdraw_on,
                                 district, subject_kind, category, severity),
    DROP INDEX ix_records_severity,
    ADD INDEX ix_records_severity (severity, disclosed_on, id, status, withdraw_on,
                                   district, subject_kind, category, domain),
    DROP INDEX ix_records_status,
    ADD INDEX ix_records_status (status, disclosed_on, id, withdraw_on,
                                 district, subject_kind, category, domain, severity),
    ALGORITHM=INPLACE, LOCK=NONE;
