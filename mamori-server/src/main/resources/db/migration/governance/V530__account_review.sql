-- The periodic account review (アカウント棚卸し) of checklist items 2-④ and 2-⑤. A review is started
-- for a day and snapshots every account with the findings computed at that moment; the reviewer
-- records a decision per account (継続, 権限変更, 無効化); the review is signed off once every account
-- has one. Every table is append-only: a decision is changed by a newer row, and nothing at all is
-- added to a review once it is signed off.

CREATE TABLE account_review (
    id              BIGSERIAL PRIMARY KEY,
    as_of           DATE NOT NULL,
    dormant_days    INT NOT NULL,
    previous_id     BIGINT REFERENCES account_review (id),
    started_by      BIGINT NOT NULL,
    started_by_name TEXT NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL
);

-- One account as it was when the review started. findings: comma-separated codes (ADMINISTRATOR,
-- EXPIRED_ENABLED, VENDOR_NO_EXPIRY, DORMANT, DISABLED_SINCE_LAST, SYSTEM_ACCOUNT).
CREATE TABLE account_review_row (
    review_id       BIGINT NOT NULL REFERENCES account_review (id),
    position        INT NOT NULL,
    account_id      BIGINT NOT NULL,
    login_id        TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    job_type        TEXT NOT NULL,
    department      TEXT,
    roles           TEXT NOT NULL,
    administrator   BOOLEAN NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('STAFF', 'VENDOR', 'SYSTEM')),
    status          TEXT NOT NULL,
    status_changed_at TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    last_login_at   TIMESTAMPTZ,
    second_factors  TEXT NOT NULL,
    findings        TEXT NOT NULL,
    PRIMARY KEY (review_id, account_id)
);

-- A decision on one account of a review; the newest row per account is the one in force.
CREATE TABLE account_review_decision (
    id              BIGSERIAL PRIMARY KEY,
    review_id       BIGINT NOT NULL REFERENCES account_review (id),
    account_id      BIGINT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('KEEP', 'CHANGE_RIGHTS', 'DISABLE')),
    note            TEXT,
    account_disabled BOOLEAN NOT NULL DEFAULT FALSE,
    decided_by      BIGINT NOT NULL,
    decided_by_name TEXT NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (review_id, account_id) REFERENCES account_review_row (review_id, account_id)
);
CREATE INDEX account_review_decision_row ON account_review_decision (review_id, account_id, id DESC);

CREATE TABLE account_review_sign_off (
    review_id        BIGINT PRIMARY KEY REFERENCES account_review (id),
    signed_by        BIGINT NOT NULL,
    signed_by_name   TEXT NOT NULL,
    signed_at        TIMESTAMPTZ NOT NULL,
    summary          TEXT
);

CREATE FUNCTION account_review_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'account reviews are kept as records and cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION account_review_open_only() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM account_review_sign_off WHERE review_id = NEW.review_id) THEN
        RAISE EXCEPTION 'account review % is signed off and can no longer be changed', NEW.review_id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER account_review_no_change BEFORE UPDATE OR DELETE ON account_review
    FOR EACH ROW EXECUTE FUNCTION account_review_append_only();
CREATE TRIGGER account_review_row_no_change BEFORE UPDATE OR DELETE ON account_review_row
    FOR EACH ROW EXECUTE FUNCTION account_review_append_only();
CREATE TRIGGER account_review_decision_no_change BEFORE UPDATE OR DELETE ON account_review_decision
    FOR EACH ROW EXECUTE FUNCTION account_review_append_only();
CREATE TRIGGER account_review_sign_off_no_change BEFORE UPDATE OR DELETE ON account_review_sign_off
    FOR EACH ROW EXECUTE FUNCTION account_review_append_only();
CREATE TRIGGER account_review_row_while_open BEFORE INSERT ON account_review_row
    FOR EACH ROW EXECUTE FUNCTION account_review_open_only();
CREATE TRIGGER account_review_decision_while_open BEFORE INSERT ON account_review_decision
    FOR EACH ROW EXECUTE FUNCTION account_review_open_only();
