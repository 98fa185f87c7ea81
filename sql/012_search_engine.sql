-- 012: the search engine as measured (docs/SEARCH.md). record_search keeps
-- only its key and its full-text index: the per-column indexes made
-- Mroonga's embedded Groonga check each condition of the public window
-- through its own index, reading up to a million entries whatever the
-- word. The module asks Groonga directly, through Mroonga's UDF, for the
-- page's ids and the number of matches in one call (the window and the
-- filters inside the engine); frequent words are walked in InnoDB.
CREATE FUNCTION IF NOT EXISTS mroonga_command RETURNS STRING SONAME 'ha_mroonga.so';
ALTER TABLE record_search
    DROP INDEX ix_search_disclosed, DROP INDEX ix_search_withdraw, DROP INDEX ix_search_listed,
    DROP INDEX ix_search_district, DROP INDEX ix_search_kind, DROP INDEX ix_search_category,
    DROP INDEX ix_search_domain, DROP INDEX ix_search_severity, DROP INDEX ix_search_status;
