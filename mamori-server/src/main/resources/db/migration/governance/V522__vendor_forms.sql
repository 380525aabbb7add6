-- The 事業者確認用 checklist form as the institution sends it to each vendor and collects it, per
-- fiscal year: sent on, due on, received on (vendor_form, newest row is the current state), and
-- the vendor's はい/いいえ per item as the institution recorded them (vendor_form_answer). Both are
-- append-only. vendor_reminder_notice remembers the days on which outstanding items were announced,
-- so that they go out once a day however many servers run.

CREATE TABLE vendor_form (
    id               BIGSERIAL PRIMARY KEY,
    vendor_id        BIGINT NOT NULL REFERENCES vendor (id),
    fiscal_year      INT NOT NULL,
    sent_on          DATE,
    due_on           DATE,
    received_on      DATE,
    note             TEXT,
    recorded_by      BIGINT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL,
    CHECK (received_on IS NULL OR sent_on IS NOT NULL),
    CHECK (due_on IS NULL OR (sent_on IS NOT NULL AND due_on >= sent_on)),
    CHECK (received_on IS NULL OR received_on >= sent_on)
);
CREATE INDEX vendor_form_vendor ON vendor_form (vendor_id, fiscal_year, id DESC);

CREATE TABLE vendor_form_answer (
    id               BIGSERIAL PRIMARY KEY,
    vendor_id        BIGINT NOT NULL REFERENCES vendor (id),
    fiscal_year      INT NOT NULL,
    sheet_year       INT NOT NULL,
    item_no          TEXT NOT NULL,
    target           TEXT NOT NULL,
    answer           TEXT NOT NULL CHECK (answer IN ('YES', 'NO')),
    recorded_by      BIGINT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX vendor_form_answer_vendor ON vendor_form_answer (vendor_id, fiscal_year, item_no, target, id DESC);

CREATE TABLE vendor_reminder_notice (
    day       DATE PRIMARY KEY,
    reminders INT NOT NULL,
    sent_at   TIMESTAMPTZ NOT NULL
);

CREATE TRIGGER vendor_form_no_change BEFORE UPDATE OR DELETE ON vendor_form
    FOR EACH ROW EXECUTE FUNCTION vendor_record_append_only();
CREATE TRIGGER vendor_form_answer_no_change BEFORE UPDATE OR DELETE ON vendor_form_answer
    FOR EACH ROW EXECUTE FUNCTION vendor_record_append_only();
