-- More ways into the access log: CSV/TSV exports, NDJSON, syslog. See docs/audit-ingest.md.

-- The time the reporting system gave (the leaf's resource.recorded), the system that reported, and
-- whether the two clocks disagree by more than mamori.audit.skew-threshold. recorded_at stays the
-- time Mamori received the event, which orders the log.
ALTER TABLE audit_event
    ADD COLUMN source_at     TIMESTAMPTZ,
    ADD COLUMN source_system TEXT,
    ADD COLUMN skewed        BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX audit_event_skewed ON audit_event (recorded_at) WHERE skewed;

-- An event that its source names (a CSV line, for instance) is stored once, however often it is sent.
CREATE TABLE audit_source_event (
    log_id          INT NOT NULL REFERENCES audit_log (id),
    source_system   TEXT NOT NULL,
    source_event_id TEXT NOT NULL,
    leaf_index      BIGINT NOT NULL,
    PRIMARY KEY (log_id, source_system, source_event_id)
);

-- How the columns of one system's CSV/TSV export become events; reused for every file of it.
CREATE TABLE audit_csv_mapping (
    source_system TEXT PRIMARY KEY,
    mapping       TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One uploaded file, from preview to the end of its import.
CREATE TABLE audit_import (
    id            BIGSERIAL PRIMARY KEY,
    source_system TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    file_bytes    BIGINT NOT NULL,
    encoding      TEXT NOT NULL,
    delimiter     TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('PREVIEW', 'RUNNING', 'DONE', 'FAILED')),
    bytes_read    BIGINT NOT NULL DEFAULT 0,
    lines_read    BIGINT NOT NULL DEFAULT 0,
    stored        BIGINT NOT NULL DEFAULT 0,
    duplicates    BIGINT NOT NULL DEFAULT 0,
    failed        BIGINT NOT NULL DEFAULT 0,
    message       TEXT,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at   TIMESTAMPTZ
);

CREATE TABLE audit_import_error (
    import_id   BIGINT NOT NULL REFERENCES audit_import (id),
    line        BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE INDEX audit_import_error_by_import ON audit_import_error (import_id, line);
