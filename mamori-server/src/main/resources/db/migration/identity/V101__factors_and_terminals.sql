-- Second factors, shared terminals, throttling and break-the-glass.

CREATE TABLE totp_credential (
    account_id     BIGINT PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    secret_sealed  BYTEA NOT NULL,
    confirmed      BOOLEAN NOT NULL DEFAULT FALSE,
    last_used_step BIGINT NOT NULL DEFAULT 0,
    enrolled_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE recovery_code (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at    TIMESTAMPTZ
);

-- An IC card is stored as a keyed hash of its UID (FeliCa IDm or MIFARE UID); the PIN as Argon2id.
CREATE TABLE ic_card (
    id          BIGSERIAL PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    uid_digest  TEXT NOT NULL UNIQUE,
    card_type   TEXT NOT NULL CHECK (card_type IN ('FELICA', 'MIFARE', 'OTHER')),
    label       TEXT NOT NULL,
    pin_hash    TEXT NOT NULL,
    enrolled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE terminal (
    id                BIGSERIAL PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    location          TEXT NOT NULL,
    department_id     BIGINT REFERENCES department (id),
    shared            BOOLEAN NOT NULL DEFAULT TRUE,
    credential_digest TEXT NOT NULL UNIQUE,
    idle_lock_seconds INT NOT NULL DEFAULT 300 CHECK (idle_lock_seconds BETWEEN 15 AND 86400),
    disabled          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- at most one active user per shared terminal: the row is the lock
    active_account_id BIGINT REFERENCES account (id),
    active_session_id TEXT,
    active_since      TIMESTAMPTZ
);

CREATE TABLE terminal_session (
    id          BIGSERIAL PRIMARY KEY,
    terminal_id BIGINT NOT NULL REFERENCES terminal (id),
    account_id  BIGINT NOT NULL REFERENCES account (id),
    session_id  TEXT NOT NULL,
    method      TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at    TIMESTAMPTZ,
    end_reason  TEXT
);
CREATE INDEX terminal_session_open ON terminal_session (terminal_id) WHERE ended_at IS NULL;

-- Failed attempts per key ("account:<id>" or "source:<address>"), for growing delay and lockout.
CREATE TABLE login_throttle (
    throttle_key    TEXT PRIMARY KEY,
    failures        INT NOT NULL DEFAULT 0,
    last_failure_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    blocked_until   TIMESTAMPTZ
);

CREATE TABLE break_glass (
    id          BIGSERIAL PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES account (id),
    terminal_id BIGINT REFERENCES terminal (id),
    reason      TEXT NOT NULL,
    patient_ref TEXT,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    ended_at    TIMESTAMPTZ,
    reviewed_by BIGINT REFERENCES account (id),
    reviewed_at TIMESTAMPTZ,
    review_note TEXT
);
CREATE INDEX break_glass_unreviewed ON break_glass (started_at) WHERE reviewed_at IS NULL;
