-- Identity: staff and other accounts, departments, roles and their permissions per 情報区分.

CREATE TABLE department (
    id      BIGSERIAL PRIMARY KEY,
    code    TEXT NOT NULL UNIQUE,
    name_ja TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- A role bundles permissions per information category and says which sign-in strength it needs.
CREATE TABLE role (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name_ja     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    factor_policy TEXT NOT NULL DEFAULT 'TWO_FACTOR' CHECK (factor_policy IN ('PASSWORD', 'TWO_FACTOR')),
    administrator BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE role_permission (
    role_id  BIGINT NOT NULL REFERENCES role (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    access   TEXT NOT NULL CHECK (access IN ('READ', 'WRITE')),
    PRIMARY KEY (role_id, category)
);

CREATE TABLE account (
    id                  BIGSERIAL PRIMARY KEY,
    login_id            TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('STAFF', 'VENDOR', 'SYSTEM')),
    job_type            TEXT NOT NULL,
    department_id       BIGINT REFERENCES department (id),
    birth_date          DATE,
    status              TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED', 'RETIRED')),
    status_reason       TEXT,
    status_changed_at   TIMESTAMPTZ,
    expires_at          TIMESTAMPTZ,
    password_hash       TEXT,
    password_changed_at TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at       TIMESTAMPTZ,
    admin_locked        BOOLEAN NOT NULL DEFAULT FALSE,
    version             BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX account_login_id_uq ON account (lower(login_id));

CREATE TABLE account_role (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role_id    BIGINT NOT NULL REFERENCES role (id),
    PRIMARY KEY (account_id, role_id)
);

CREATE TABLE password_history (
    account_id BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX password_history_account ON password_history (account_id, created_at DESC);

-- First-run setup: the hash of a one-time token printed on the console.
CREATE TABLE setup_token (
    id         INT PRIMARY KEY CHECK (id = 1),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at    TIMESTAMPTZ
);
