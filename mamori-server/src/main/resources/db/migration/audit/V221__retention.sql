-- Retention (mamori.audit.retention): when an event's retention ends its body and the personal
-- columns are removed; the row, its time and type stay, and its leaf hash stays in the tiles, so
-- every proof and the verification of an export still work. See docs/audit-review.md.
ALTER TABLE audit_event ALTER COLUMN body DROP NOT NULL;
ALTER TABLE audit_event ADD COLUMN expired_at TIMESTAMPTZ;

-- Still no change and no removal, with one exception: the expiry, which a transaction asks for by
-- setting mamori.audit_expiry, may only clear a stored body and the personal columns, once.
CREATE OR REPLACE FUNCTION audit_event_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('mamori.audit_expiry', true) = 'on'
       AND OLD.body IS NOT NULL AND OLD.expired_at IS NULL
       AND NEW.body IS NULL AND NEW.expired_at IS NOT NULL
       AND NEW.patient_id IS NULL AND NEW.login_id IS NULL AND NEW.account_id IS NULL
       AND NEW.terminal_id IS NULL AND NEW.source_addr IS NULL
       AND NEW.log_id = OLD.log_id AND NEW.leaf_index = OLD.leaf_index
       AND NEW.recorded_at = OLD.recorded_at AND NEW.kind = OLD.kind AND NEW.type = OLD.type
       AND NEW.outcome = OLD.outcome
       AND NEW.source_at IS NOT DISTINCT FROM OLD.source_at
       AND NEW.source_system IS NOT DISTINCT FROM OLD.source_system
       AND NEW.skewed = OLD.skewed THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE INDEX audit_event_unexpired_time ON audit_event (log_id, recorded_at) WHERE expired_at IS NULL;
