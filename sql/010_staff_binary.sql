-- 010: a staff login is matched byte for byte. Apache authenticates r->user
-- exactly as typed; under the table's utf8mb4_unicode_ci 'staff', 'STAFF'
-- and 'ståff' were one account, so another htpasswd login could act as
-- someone else's staff row. A binary collation compares the bytes (the
-- module also compares the row it gets with r->user, which rules out the
-- trailing spaces a PAD SPACE collation ignores).
ALTER TABLE staff MODIFY username VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
