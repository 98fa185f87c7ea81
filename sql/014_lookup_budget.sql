-- 014: the staff's budget of answers about registered officials' ID-card
-- numbers (issue 11 point 3). Each look-up that found a registered official
-- is an audit row (action 'official_exists', entity 'subject', the
-- official's id; never the number); the admin handler counts a login's rows
-- of the last window (CreditOfficialLookupLimit) before it looks another
-- number up. This index makes that count read only those rows.
ALTER TABLE audit_log ADD KEY ix_audit_lookups (actor, action, at);
