-- Documents received from vendors: the MDS/SDS (製造業者/サービス事業者による医療情報セキュリティ開示書)
-- per system, and the returned 事業者確認用 checklist form per fiscal year. The file is kept in the
-- database with its SHA-256; a newer edition is a new row, so older ones stay. Reviews (確認) of a
-- document are signed off in vendor_document_review. Neither table can be changed or deleted.

CREATE TABLE vendor_document (
    id               BIGSERIAL PRIMARY KEY,
    vendor_id        BIGINT NOT NULL REFERENCES vendor (id),
    kind             TEXT NOT NULL CHECK (kind IN ('MDS', 'SDS', 'FORM')),
    system           TEXT,
    fiscal_year      INT,
    edition          TEXT NOT NULL,
    received_on      DATE NOT NULL,
    filename         TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    size_bytes       BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256           TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content          BYTEA NOT NULL,
    uploaded_by      BIGINT NOT NULL,
    uploaded_by_name TEXT NOT NULL,
    uploaded_at      TIMESTAMPTZ NOT NULL,
    CHECK (kind <> 'FORM' OR fiscal_year IS NOT NULL)
);
CREATE INDEX vendor_document_vendor ON vendor_document (vendor_id, kind, received_on DESC, id DESC);

CREATE TABLE vendor_document_review (
    id               BIGSERIAL PRIMARY KEY,
    document_id      BIGINT NOT NULL REFERENCES vendor_document (id),
    reviewed_on      DATE NOT NULL,
    reviewed_by      BIGINT NOT NULL,
    reviewed_by_name TEXT NOT NULL,
    note             TEXT,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX vendor_document_review_document ON vendor_document_review (document_id, id DESC);

CREATE TRIGGER vendor_document_no_change BEFORE UPDATE OR DELETE ON vendor_document
    FOR EACH ROW EXECUTE FUNCTION vendor_record_append_only();
CREATE TRIGGER vendor_document_review_no_change BEFORE UPDATE OR DELETE ON vendor_document_review
    FOR EACH ROW EXECUTE FUNCTION vendor_record_append_only();
