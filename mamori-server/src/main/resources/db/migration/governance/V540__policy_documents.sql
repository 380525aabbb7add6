-- The institution's own rules and plans (運用管理規程, 情報セキュリティ基本方針, BCP, 委託管理規程,
-- 教育・訓練計画 and others), each with its versions. A version is the uploaded file, kept whole with its
-- SHA-256; its approval (承認) is a row of its own. The current version of a document is the newest
-- approved one. Nothing here can be changed or deleted: a correction is a new version or approval.

CREATE TABLE policy_document (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('OPERATIONS_RULES', 'SECURITY_POLICY', 'BCP', 'OUTSOURCING_RULES',
                                                  'TRAINING_PLAN', 'OTHER')),
    title           TEXT NOT NULL CHECK (length(title) > 0),
    created_by      BIGINT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE policy_version (
    id               BIGSERIAL PRIMARY KEY,
    document_id      BIGINT NOT NULL REFERENCES policy_document (id),
    label            TEXT NOT NULL,
    effective_on     DATE NOT NULL,
    change_summary   TEXT NOT NULL,
    filename         TEXT NOT NULL,
    content_type     TEXT NOT NULL,
    size_bytes       BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256           TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content          BYTEA NOT NULL,
    uploaded_by      BIGINT NOT NULL,
    uploaded_by_name TEXT NOT NULL,
    uploaded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_version_document ON policy_version (document_id, id DESC);

CREATE TABLE policy_approval (
    id               BIGSERIAL PRIMARY KEY,
    version_id       BIGINT NOT NULL REFERENCES policy_version (id),
    approver_name    TEXT NOT NULL,
    approver_title   TEXT NOT NULL,
    approved_on      DATE NOT NULL,
    review_due       DATE NOT NULL CHECK (review_due > approved_on),
    recorded_by      BIGINT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_approval_version ON policy_approval (version_id, id DESC);

CREATE FUNCTION policy_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'policy documents, versions and approvals cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER policy_document_no_change BEFORE UPDATE OR DELETE ON policy_document
    FOR EACH ROW EXECUTE FUNCTION policy_record_append_only();
CREATE TRIGGER policy_version_no_change BEFORE UPDATE OR DELETE ON policy_version
    FOR EACH ROW EXECUTE FUNCTION policy_record_append_only();
CREATE TRIGGER policy_approval_no_change BEFORE UPDATE OR DELETE ON policy_approval
    FOR EACH ROW EXECUTE FUNCTION policy_record_append_only();
