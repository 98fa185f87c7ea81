-- After a bulk load (sql/demo.sql): the delta feed replays history in time
-- order (seq and changed_at rise together): an ADD on each disclosure day,
-- a DEL on each withdrawal, then the daily bookkeeping catches up.
INSERT INTO record_changes (record_id, record_no, op, changed_at)
SELECT id, record_no, op, at FROM (
    SELECT id, record_no, 'ADD' AS op, TIMESTAMP(disclosed_on) AS at, 0 AS o
      FROM records WHERE disclosed_on <= CURDATE()
    UNION ALL
    SELECT id, record_no, 'DEL', TIMESTAMP(COALESCE(withdrawn_on, withdraw_on)), 1
      FROM records
     WHERE disclosed_on <= CURDATE()
       AND (status IN ('repaired','revoked','expired') OR withdraw_on <= CURDATE())
) h ORDER BY at, o, id;
SET @credit_bulk_load = 1;
CALL record_expiries();
SET @credit_bulk_load = NULL;
SELECT '@changes', COUNT(*) FROM record_changes;
