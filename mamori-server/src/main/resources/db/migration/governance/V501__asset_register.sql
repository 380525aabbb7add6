-- The asset register (機器台帳) of checklist item 2-①: servers, terminal PCs, network devices and
-- networked medical devices. Every change is also kept whole in asset_history; reviews of the
-- register (点検) are signed off in asset_review.

CREATE TABLE asset (
    id                       BIGSERIAL PRIMARY KEY,
    name                     TEXT NOT NULL,
    kind                     TEXT NOT NULL CHECK (kind IN ('SERVER', 'PC', 'NETWORK', 'MEDICAL_DEVICE')),
    location                 TEXT,
    department               TEXT,
    owner                    TEXT,
    maker                    TEXT,
    model                    TEXT,
    serial                   TEXT,
    os                       TEXT,
    os_version               TEXT,
    software                 TEXT,
    ip_address               TEXT,
    mac_address              TEXT,
    network_segment          TEXT,
    purchased_on             DATE,
    warranty_until           DATE,
    vendor                   TEXT,
    remote_maintenance       BOOLEAN NOT NULL DEFAULT FALSE,
    patch_applied_on         DATE,
    patch_pending            TEXT,
    services                 TEXT,
    unneeded_services        TEXT,
    external_media_policy    TEXT,
    default_password_changed BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at               TIMESTAMPTZ NOT NULL,
    updated_by_name          TEXT NOT NULL
);
CREATE UNIQUE INDEX asset_name_uq ON asset (lower(name));

CREATE TABLE asset_history (
    id          BIGSERIAL PRIMARY KEY,
    asset_id    BIGINT NOT NULL REFERENCES asset (id),
    action      TEXT NOT NULL CHECK (action IN ('CREATED', 'CHANGED', 'IMPORTED')),
    snapshot    JSONB NOT NULL,
    changed_by  BIGINT NOT NULL,
    changed_by_name TEXT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX asset_history_asset ON asset_history (asset_id, id DESC);

CREATE TABLE asset_review (
    id          BIGSERIAL PRIMARY KEY,
    reviewed_on DATE NOT NULL,
    reviewed_by BIGINT NOT NULL,
    reviewed_by_name TEXT NOT NULL,
    note        TEXT,
    asset_count INT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

CREATE FUNCTION governance_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the asset register''s history and reviews cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER asset_history_no_change BEFORE UPDATE OR DELETE ON asset_history
    FOR EACH ROW EXECUTE FUNCTION governance_record_append_only();
CREATE TRIGGER asset_review_no_change BEFORE UPDATE OR DELETE ON asset_review
    FOR EACH ROW EXECUTE FUNCTION governance_record_append_only();
