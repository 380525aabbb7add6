-- Notifications shown on the dashboard and delivered to webhooks.
CREATE TABLE notification (
    id         BIGSERIAL PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    kind       TEXT NOT NULL,
    summary    TEXT NOT NULL,
    payload    JSONB NOT NULL
);
