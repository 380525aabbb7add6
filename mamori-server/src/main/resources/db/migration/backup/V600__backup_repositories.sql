-- Backup repositories the server watches (it reads them with an append key; it never deletes),
-- and what it has seen in them: generations and restore drills, kept as evidence.
CREATE TABLE backup_repository (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    location        text NOT NULL,
    passphrase      bytea NOT NULL,          -- sealed with the server's master key
    registered_by   text NOT NULL,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    checked_at      timestamptz,
    last_error      text,
    key_role        text,
    lock_days       integer
);

CREATE TABLE backup_generation (
    repository_id   bigint NOT NULL REFERENCES backup_repository (id) ON DELETE CASCADE,
    name            text NOT NULL,
    taken_at        timestamptz NOT NULL,
    kind            text NOT NULL,
    host            text NOT NULL,
    paths           text NOT NULL,
    files           bigint NOT NULL,
    bytes           bigint NOT NULL,
    bytes_added     bigint NOT NULL,
    suspect         boolean NOT NULL,
    reasons         text,
    first_seen      timestamptz NOT NULL DEFAULT now(),
    gone_at         timestamptz,             -- no longer in the repository (forgotten)
    PRIMARY KEY (repository_id, name)
);

CREATE TABLE backup_drill (
    repository_id   bigint NOT NULL REFERENCES backup_repository (id) ON DELETE CASCADE,
    name            text NOT NULL,
    generation      text NOT NULL,
    generation_kind text NOT NULL,
    started_at      timestamptz NOT NULL,
    seconds         double precision NOT NULL,
    files           bigint NOT NULL,
    bytes           bigint NOT NULL,
    passed          boolean NOT NULL,
    signature_valid boolean NOT NULL,
    PRIMARY KEY (repository_id, name)
);
