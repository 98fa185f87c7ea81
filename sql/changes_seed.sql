-- After a bulk load (sql/demo.sql): the delta feed replays history in time
-- order (seq and changed_at rise together): an ADD on each disclosure day,
-- a DEL on each withdrawal, then the daily bookkeeping catches up, and the
-- feed's public set (members, counts and checksums of sql/020_feed.sql) is
-- computed once from the whole history.
SET @credit_bulk_load = 1;
INSERT INTO record_changes (record_id, record_no, op, reason, tomb_state, tomb_on, changed_at)
SELECT id, record_no, op, reason, tomb_state, tomb_on, at FROM (
    SELECT id, record_no, 'ADD' AS op, 'listed' AS reason, NULL AS tomb_state, NULL AS tomb_on,
           TIMESTAMP(disclosed_on) AS at, 0 AS o
      FROM records WHERE disclosed_on <= CURDATE()
    UNION ALL
    SELECT id, record_no, 'DEL',
           IF(status IN ('repaired','revoked'), status, 'expired'),
           IF(status IN ('repaired','revoked'), status, 'expired'),
           LEAST(CURDATE(), COALESCE(withdrawn_on, withdraw_on)),
           TIMESTAMP(LEAST(CURDATE(), COALESCE(withdrawn_on, withdraw_on))), 1
      FROM records
     WHERE disclosed_on <= CURDATE()
       AND (status IN ('repaired','revoked','expired') OR withdraw_on <= CURDATE())
) h ORDER BY at, o, id;
CALL record_expiries();
SET @credit_bulk_load = NULL;
CALL feed_rebuild();
SELECT '@changes', COUNT(*) FROM record_changes;
