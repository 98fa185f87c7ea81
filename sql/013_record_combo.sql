-- 013: lists of narrow filter combinations (issue 10). A list page reads the
-- newest rows through one filter's index; when the other filters keep few
-- of those rows it reads thousands to find twenty (150 ms for a district x
-- severity x category x domain that matches nothing). `combo` is the cell
-- of credit_tally.c: which combination of district, kind, category, domain,
-- severity and listed status a record is in (NULL while withdrawn by
-- status); the module knows from the totals which cells a filter matches
-- and how many records each holds, and reads a narrow filter's page as the
-- newest rows of each of its cells (ix_records_combo, in order, no row it
-- does not need). The formula is credit_tally_cell's, in the order of
-- credit_model.c's enumerations (the ENUMs' own order; districts by name).
ALTER TABLE records
    ADD COLUMN combo SMALLINT UNSIGNED AS (
        CASE WHEN status IN ('published','contested','corrected') THEN
            (((((FIELD(district, 'city','heping','hedong','hexi','nankai','hebei','hongqiao',
                               'dongli','xiqing','jinnan','beichen','wuqing','baodi','binhai',
                               'ninghe','jinghai','jizhou') - 1) * 2
                 + (subject_kind + 0 - 1)) * 5
                + (category + 0 - 1)) * 7
               + (domain + 0 - 1)) * 3
              + (severity + 0 - 1)) * 3
             + (status + 0 - 1)
        END) PERSISTENT COMMENT 'credit_tally_cell of the record (listed statuses only)',
    ADD INDEX ix_records_combo (combo, disclosed_on, id, withdraw_on);
