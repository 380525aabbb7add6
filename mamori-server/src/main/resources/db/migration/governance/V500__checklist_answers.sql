-- Answers to the MHLW cybersecurity checklist. Append-only: each change is a new row, the current
-- answer of a cell is its newest row, and the rows before it are the history an inspector may ask
-- for. item_no '0' is the gate question; target is S, P, N, ALL or NONE (see checklist.yaml).

CREATE TABLE checklist_answer (
    id           BIGSERIAL PRIMARY KEY,
    facility     TEXT NOT NULL,
    fiscal_year  INT NOT NULL,
    form         TEXT NOT NULL CHECK (form IN ('MEDICAL', 'PHARMACY', 'VENDOR')),
    item_no      TEXT NOT NULL,
    target       TEXT NOT NULL CHECK (target IN ('S', 'P', 'N', 'ALL', 'NONE')),
    answer       TEXT NOT NULL CHECK (answer IN ('YES', 'NO')),
    checked_on   DATE NOT NULL,
    target_on    DATE,
    evidence     TEXT,
    answered_by  BIGINT NOT NULL,
    answered_by_name TEXT NOT NULL,
    from_proposal BOOLEAN NOT NULL DEFAULT FALSE,
    answered_at  TIMESTAMPTZ NOT NULL,
    -- a いいえ needs a 目標日, except at the gate question, where いいえ means there is no system
    CHECK (answer = 'YES' OR target_on IS NOT NULL OR item_no = '0')
);
CREATE INDEX checklist_answer_cell ON checklist_answer (facility, fiscal_year, form, item_no, target, id DESC);

CREATE FUNCTION checklist_answer_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'checklist answers are kept as history and cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER checklist_answer_no_change BEFORE UPDATE OR DELETE ON checklist_answer
    FOR EACH ROW EXECUTE FUNCTION checklist_answer_append_only();
