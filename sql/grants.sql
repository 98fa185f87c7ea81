-- Least-privilege grants, applied by scripts/db.sh for each of @HOST@.
-- credit_ro: public pages (read only; never the audit log or personal data tables' secrets).
-- credit_ins: citizens' submissions (insert, and read back its own receipts; no UPDATE/DELETE).
-- credit_rw: staff actions; the audit log is INSERT and SELECT only.
GRANT SELECT ON `@DB@`.districts TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.departments TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.subjects TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.records TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_aliases TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_events TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_search TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_text TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_changes TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.ratings TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.rating_indicators TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.commitments TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.calendar_days TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.data_version TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.schema_migrations TO 'credit_ro'@'@HOST@';
-- /stats (complaint outcomes, handling time per department): the columns
-- it counts, never the complainant's data or the notes.
GRANT SELECT (id, department_id, status, created_at) ON `@DB@`.complaints TO 'credit_ro'@'@HOST@';
GRANT SELECT (id, case_type, case_id, status, occurred_at) ON `@DB@`.case_events TO 'credit_ro'@'@HOST@';

GRANT SELECT ON `@DB@`.districts TO 'credit_ins'@'@HOST@';
GRANT SELECT ON `@DB@`.records TO 'credit_ins'@'@HOST@';
GRANT SELECT ON `@DB@`.calendar_days TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.complaints TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.objections TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.repair_applications TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.case_events TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.receipt_seq_ts TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.receipt_seq_yy TO 'credit_ins'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.receipt_seq_xf TO 'credit_ins'@'@HOST@';
GRANT SELECT ON `@DB@`.subjects TO 'credit_ins'@'@HOST@';

GRANT SELECT, INSERT, UPDATE ON `@DB@`.subjects TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT, UPDATE ON `@DB@`.records TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.record_aliases TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.record_events TO 'credit_rw'@'@HOST@';
GRANT SELECT, UPDATE ON `@DB@`.complaints TO 'credit_rw'@'@HOST@';
GRANT SELECT, UPDATE ON `@DB@`.objections TO 'credit_rw'@'@HOST@';
GRANT SELECT, UPDATE ON `@DB@`.repair_applications TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.case_events TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.ratings TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT, UPDATE, DELETE ON `@DB@`.rating_indicators TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT, UPDATE ON `@DB@`.commitments TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.districts TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.departments TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.calendar_days TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.data_version TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT ON `@DB@`.audit_log TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.staff TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.record_search TO 'credit_rw'@'@HOST@';
-- The engine's rows of the records a rolled-back transaction wrote, put
-- back as InnoDB kept them (Mroonga is not transactional; sql/022).
GRANT EXECUTE ON PROCEDURE `@DB@`.record_search_mend TO 'credit_rw'@'@HOST@';
GRANT SELECT ON `@DB@`.record_text TO 'credit_rw'@'@HOST@';
GRANT SELECT, INSERT, UPDATE ON `@DB@`.record_numbers TO 'credit_rw'@'@HOST@';
-- Totals (011): the numbers the triggers keep.
GRANT SELECT ON `@DB@`.record_counts TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_count_deltas TO 'credit_ro'@'@HOST@';
GRANT SELECT ON `@DB@`.record_counts_state TO 'credit_ro'@'@HOST@';
-- The change feed for mirrors (020): its state, and the daily bookkeeping
-- that a dump runs before its snapshot (scripts/dumps.sh; the procedure
-- writes only the feed's bookkeeping, as its definer).
GRANT SELECT ON `@DB@`.feed_state TO 'credit_ro'@'@HOST@';
GRANT EXECUTE ON PROCEDURE `@DB@`.record_expiries TO 'credit_ro'@'@HOST@';
