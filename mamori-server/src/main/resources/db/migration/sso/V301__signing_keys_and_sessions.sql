-- ID token signing keys. The private key is sealed with the server master key; a retired key
-- stays published in the JWKS until the tokens it signed have expired.
CREATE TABLE sso_signing_key (
    kid          varchar(64) PRIMARY KEY,
    public_jwk   text        NOT NULL,
    private_key  bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    retired_at   timestamptz
);

-- Which authorization belongs to which Mamori web session (by a hash of the session ID, which
-- is also the sid claim), for back-channel logout.
CREATE TABLE sso_session_authorization (
    authorization_id     varchar(100) PRIMARY KEY,
    sid                  varchar(64)  NOT NULL,
    registered_client_id varchar(100) NOT NULL,
    login_id             varchar(200) NOT NULL,
    created_at           timestamptz  NOT NULL
);
CREATE INDEX sso_session_authorization_sid ON sso_session_authorization (sid);
