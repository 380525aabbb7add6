-- The vendor register (医療情報システム等の提供事業者): each vendor, its contacts for incidents
-- (the 連絡体制図 is drawn from those marked 緊急連絡先), its contracts and the systems it supplies.
-- Every change keeps a whole snapshot of the vendor in vendor_history, which cannot be changed.

CREATE TABLE vendor (
    id               BIGSERIAL PRIMARY KEY,
    name             TEXT NOT NULL,
    corporate_number TEXT,
    address          TEXT,
    systems          TEXT,
    account_login_ids TEXT,
    updated_at       TIMESTAMPTZ NOT NULL,
    updated_by_name  TEXT NOT NULL
);
CREATE UNIQUE INDEX vendor_name_uq ON vendor (lower(name));

CREATE TABLE vendor_contact (
    id             BIGSERIAL PRIMARY KEY,
    vendor_id      BIGINT NOT NULL REFERENCES vendor (id),
    name           TEXT NOT NULL,
    role           TEXT,
    phone          TEXT,
    email          TEXT,
    emergency      BOOLEAN NOT NULL,
    around_the_clock BOOLEAN NOT NULL
);
CREATE INDEX vendor_contact_vendor ON vendor_contact (vendor_id);

CREATE TABLE vendor_contract (
    id                 BIGSERIAL PRIMARY KEY,
    vendor_id          BIGINT NOT NULL REFERENCES vendor (id),
    title              TEXT NOT NULL,
    valid_from         DATE NOT NULL,
    valid_to           DATE,
    security_clauses   BOOLEAN NOT NULL,
    remote_maintenance BOOLEAN NOT NULL,
    data_handled       TEXT,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX vendor_contract_vendor ON vendor_contract (vendor_id);

CREATE TABLE vendor_history (
    id              BIGSERIAL PRIMARY KEY,
    vendor_id       BIGINT NOT NULL REFERENCES vendor (id),
    action          TEXT NOT NULL,
    snapshot        JSONB NOT NULL,
    changed_by      BIGINT NOT NULL,
    changed_by_name TEXT NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX vendor_history_vendor ON vendor_history (vendor_id, id DESC);

CREATE FUNCTION vendor_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the vendor register''s history and documents cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER vendor_history_no_change BEFORE UPDATE OR DELETE ON vendor_history
    FOR EACH ROW EXECUTE FUNCTION vendor_record_append_only();
