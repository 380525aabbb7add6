-- The connections register (外部接続・ネットワーク構成の台帳) of the guideline's システム運用編 and
-- checklist item 2-⑬ (接続元制限): network segments, and the connections between them and to the
-- outside (VPN, remote-maintenance lines of vendors, internet gateways, cloud services), with the
-- sources each accepts and the windows in which a remote-maintenance line is approved for use.
-- Every change is kept whole in connection_history; sign-offs of the register in connection_review.

CREATE TABLE network_segment (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL,
    cidr            TEXT,
    purpose         TEXT,
    vlan            INT CHECK (vlan BETWEEN 1 AND 4094),
    zone            TEXT NOT NULL CHECK (zone IN ('EHR', 'INTERNET', 'MEDICAL_DEVICE', 'OFFICE', 'DMZ', 'OTHER')),
    notes           TEXT,
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by_name TEXT NOT NULL
);
CREATE UNIQUE INDEX network_segment_name_uq ON network_segment (lower(name));

CREATE TABLE network_connection (
    id                 BIGSERIAL PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('VPN', 'REMOTE_MAINTENANCE', 'INTERNET_GATEWAY', 'INTER_SEGMENT', 'CLOUD_SERVICE')),
    from_segment_id    BIGINT NOT NULL REFERENCES network_segment (id),
    -- Either another segment or a party outside the institution (vendor, internet, a cloud service).
    to_segment_id      BIGINT REFERENCES network_segment (id),
    external_party     TEXT,
    vendor_name        TEXT,
    -- Sign-in names of the vendor's accounts that use this line; the access-log review matches them.
    vendor_accounts    TEXT,
    method             TEXT,
    -- Allowed sources, one address or CIDR per line, in canonical form; NULL means no restriction.
    source_restriction TEXT,
    authentication     TEXT,
    always_on          BOOLEAN NOT NULL DEFAULT FALSE,
    owner              TEXT,
    notes              TEXT,
    reviewed_on        DATE,
    updated_at         TIMESTAMPTZ NOT NULL,
    updated_by_name    TEXT NOT NULL,
    CHECK (to_segment_id IS NOT NULL OR external_party IS NOT NULL)
);
CREATE UNIQUE INDEX network_connection_name_uq ON network_connection (lower(name));

CREATE TABLE network_connection_asset (
    connection_id BIGINT NOT NULL REFERENCES network_connection (id) ON DELETE CASCADE,
    asset_id      BIGINT NOT NULL REFERENCES asset (id),
    PRIMARY KEY (connection_id, asset_id)
);

-- An approved window: every week on a weekday (1 = Monday … 7 = Sunday), or once on a date with the
-- reference of its work plan (作業計画). Times are Japan time; a window ends on the day it starts.
CREATE TABLE maintenance_window (
    id            BIGSERIAL PRIMARY KEY,
    connection_id BIGINT NOT NULL REFERENCES network_connection (id) ON DELETE CASCADE,
    position      INT NOT NULL,
    weekday       SMALLINT CHECK (weekday BETWEEN 1 AND 7),
    on_date       DATE,
    starts_at     TIME NOT NULL,
    ends_at       TIME NOT NULL,
    reference     TEXT,
    CHECK ((weekday IS NULL) <> (on_date IS NULL)),
    CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_window_connection ON maintenance_window (connection_id, position);

CREATE TABLE connection_history (
    id              BIGSERIAL PRIMARY KEY,
    subject         TEXT NOT NULL CHECK (subject IN ('SEGMENT', 'CONNECTION')),
    subject_id      BIGINT NOT NULL,
    action          TEXT NOT NULL CHECK (action IN ('CREATED', 'CHANGED', 'REMOVED')),
    snapshot        JSONB NOT NULL,
    changed_by      BIGINT NOT NULL,
    changed_by_name TEXT NOT NULL,
    changed_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX connection_history_subject ON connection_history (subject, subject_id, id DESC);

CREATE TABLE connection_review (
    id               BIGSERIAL PRIMARY KEY,
    reviewed_on      DATE NOT NULL,
    reviewed_by      BIGINT NOT NULL,
    reviewed_by_name TEXT NOT NULL,
    note             TEXT,
    connection_count INT NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);

CREATE FUNCTION connection_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the connections register''s history and reviews cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER connection_history_no_change BEFORE UPDATE OR DELETE ON connection_history
    FOR EACH ROW EXECUTE FUNCTION connection_record_append_only();
CREATE TRIGGER connection_review_no_change BEFORE UPDATE OR DELETE ON connection_review
    FOR EACH ROW EXECUTE FUNCTION connection_record_append_only();
