-- The tamper-evident access log: every event is a leaf of an RFC 9162 Merkle tree, one tree per
-- facility; hashes are kept in C2SP tiles; signed checkpoints commit to the tree's size and root.
-- The format is specified in docs/audit-log-format.md.

CREATE TABLE audit_log (
    id               SERIAL PRIMARY KEY,
    origin           TEXT NOT NULL UNIQUE,
    signer_sealed    BYTEA NOT NULL,
    verifier_key     TEXT NOT NULL,
    tree_size        BIGINT NOT NULL DEFAULT 0,
    root_hash        BYTEA,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Events by month; a default partition catches anything outside the months created ahead.
CREATE TABLE audit_event (
    log_id       INT NOT NULL REFERENCES audit_log (id),
    leaf_index   BIGINT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    kind         TEXT NOT NULL,
    type         TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    account_id   BIGINT,
    login_id     TEXT,
    terminal_id  BIGINT,
    source_addr  TEXT,
    patient_id   TEXT,
    body         TEXT NOT NULL,
    PRIMARY KEY (log_id, leaf_index, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT;
CREATE INDEX audit_event_index ON audit_event (log_id, leaf_index);
CREATE INDEX audit_event_account ON audit_event (account_id, recorded_at DESC);
CREATE INDEX audit_event_type ON audit_event (type, recorded_at DESC);
CREATE INDEX audit_event_time ON audit_event (recorded_at DESC);

CREATE TABLE audit_tile (
    log_id  INT NOT NULL REFERENCES audit_log (id),
    level   INT NOT NULL,
    idx     BIGINT NOT NULL,
    width   INT NOT NULL CHECK (width BETWEEN 1 AND 256),
    hashes  BYTEA NOT NULL,
    PRIMARY KEY (log_id, level, idx)
);

CREATE TABLE audit_checkpoint (
    log_id     INT NOT NULL REFERENCES audit_log (id),
    tree_size  BIGINT NOT NULL,
    note       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (log_id, tree_size)
);

-- No interface changes or removes an event; the verifier finds whatever is done around this.
CREATE FUNCTION audit_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();

DROP TABLE security_event;
DROP FUNCTION security_event_immutable();
