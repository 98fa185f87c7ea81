-- After a bulk load (sql/demo.sql): the delta feed starts with one ADD per
-- record in disclosure order, then the DEL of those withdrawn since, and the
-- expiry bookkeeping catches up.
INSERT INTO record_changes (record_id, record_no, op, changed_at)
SELECT id, record_no, 'ADD', TIMESTAMP(disclosed_on) FROM records ORDER BY disclosed_on, id;
INSERT INTO record_changes (record_id, record_no, op, changed_at)
SELECT id, record_no, 'DEL', TIMESTAMP(COALESCE(withdrawn_on, withdraw_on)) FROM records
 WHERE status IN ('repaired','revoked','expired') OR withdraw_on <= CURDATE()
 ORDER BY COALESCE(withdrawn_on, withdraw_on), id;
SET @credit_bulk_load = 1;
CALL record_expiries();
SET @credit_bulk_load = NULL;
