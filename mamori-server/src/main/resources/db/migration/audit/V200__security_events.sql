-- Access and authentication events. The tamper-evident store replaces this plain table later;
-- the module API in front of it stays the same.
CREATE TABLE security_event (
    id           BIGSERIAL PRIMARY KEY,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    type         TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE')),
    account_id   BIGINT,
    login_id     TEXT,
    terminal_id  BIGINT,
    source_addr  TEXT,
    detail       JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX security_event_time ON security_event (recorded_at DESC);
CREATE INDEX security_event_account ON security_event (account_id, recorded_at DESC);
CREATE INDEX security_event_type ON security_event (type, recorded_at DESC);

-- Nobody, the application included, may change or remove an event once written.
CREATE FUNCTION security_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'security_event rows cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER security_event_no_update BEFORE UPDATE OR DELETE ON security_event
    FOR EACH ROW EXECUTE FUNCTION security_event_immutable();
