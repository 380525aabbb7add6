-- Fewer index entries written per access event; every search keeps an index that serves it.
-- (bench/audit/README.md has what each index cost per event.)

-- The primary key (log_id, leaf_index, recorded_at) already finds an event by its leaf index.
DROP INDEX audit_event_index;

-- Only security events name an account; access events leave account_id empty.
DROP INDEX audit_event_account;
CREATE INDEX audit_event_account ON audit_event (account_id, recorded_at DESC) WHERE account_id IS NOT NULL;

-- Types are searched only among security events (sign-in failures, break-glass, administration);
-- access events are found by patient, user and time.
DROP INDEX audit_event_type;
CREATE INDEX audit_event_security_type ON audit_event (type, recorded_at DESC) WHERE kind = 'security';
