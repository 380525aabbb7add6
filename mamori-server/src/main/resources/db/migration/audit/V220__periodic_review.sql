-- The periodic review of the access log (guideline 6.0 §17, checklist 2-⑥): one signed-off
-- worksheet per review period. A sign-off is final; a later correction is a new row that names the
-- one it corrects. See docs/audit-review.md.
CREATE TABLE audit_review (
    id                BIGSERIAL PRIMARY KEY,
    log_id            INT NOT NULL REFERENCES audit_log (id),
    period_start      DATE NOT NULL,
    period_end        DATE NOT NULL,
    reviewer          TEXT NOT NULL,
    signed_at         TIMESTAMPTZ NOT NULL,
    summary           TEXT NOT NULL,
    -- The signed checkpoint current at sign-off: the paper copy later proves the log was not rewritten.
    checkpoint_size   BIGINT NOT NULL,
    checkpoint_root   BYTEA NOT NULL,
    checkpoint_note   TEXT NOT NULL,
    -- The sign-off's own security event in the log.
    sign_off_index    BIGINT NOT NULL,
    corrects          BIGINT REFERENCES audit_review (id),
    CHECK (period_end > period_start)
);
CREATE UNIQUE INDEX audit_review_one_per_period ON audit_review (log_id, period_start) WHERE corrects IS NULL;

-- One line of the worksheet: a check, what it counted at sign-off, and the reviewer's note.
CREATE TABLE audit_review_check (
    review_id  BIGINT NOT NULL REFERENCES audit_review (id),
    position   INT NOT NULL,
    check_key  TEXT NOT NULL,
    count      BIGINT NOT NULL,
    note       TEXT NOT NULL,
    PRIMARY KEY (review_id, position)
);

CREATE FUNCTION audit_review_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a signed-off review cannot be changed or deleted; record a correction instead';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_review_no_change BEFORE UPDATE OR DELETE ON audit_review
    FOR EACH ROW EXECUTE FUNCTION audit_review_immutable();
CREATE TRIGGER audit_review_check_no_change BEFORE UPDATE OR DELETE ON audit_review_check
    FOR EACH ROW EXECUTE FUNCTION audit_review_immutable();
