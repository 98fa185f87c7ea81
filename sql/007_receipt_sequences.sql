-- 007: receipts without a hot row. The per-day counter of 005 serialised
-- every submission on one row lock until its commit (and so its fsync);
-- sequences are not transactional and hand out numbers without locks.
-- NNNNNN cycles through 000001..999999, unique within a day (the UNIQUE
-- receipt_no keys say so if a day ever had a million).
DROP TABLE receipt_counters;
CREATE SEQUENCE receipt_seq_ts START WITH 1 MINVALUE 1 MAXVALUE 999999 CYCLE CACHE 100;
CREATE SEQUENCE receipt_seq_yy START WITH 1 MINVALUE 1 MAXVALUE 999999 CYCLE CACHE 100;
CREATE SEQUENCE receipt_seq_xf START WITH 1 MINVALUE 1 MAXVALUE 999999 CYCLE CACHE 100;

-- The first entry of a case's timeline is written with the case, in the
-- same statement, so a submission is one INSERT (autocommit, durable).
CREATE TRIGGER tr_complaints_received AFTER INSERT ON complaints FOR EACH ROW
    INSERT INTO case_events (case_type, case_id, status) VALUES ('complaint', NEW.id, 'received');
CREATE TRIGGER tr_objections_received AFTER INSERT ON objections FOR EACH ROW
    INSERT INTO case_events (case_type, case_id, status) VALUES ('objection', NEW.id, 'received');
CREATE TRIGGER tr_repairs_received AFTER INSERT ON repair_applications FOR EACH ROW
    INSERT INTO case_events (case_type, case_id, status) VALUES ('repair', NEW.id, 'received');
