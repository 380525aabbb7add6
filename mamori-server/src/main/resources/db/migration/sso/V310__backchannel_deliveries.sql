-- Back-channel logout tokens that did not reach their client at the first attempt: retried with a
-- growing delay until delivered or the last attempt failed. Delivered and failed rows stay as the
-- record that the administrator reads on the client's page.
CREATE TABLE sso_backchannel_delivery (
    id                   bigserial    PRIMARY KEY,
    registered_client_id varchar(100) NOT NULL,
    sid                  varchar(64)  NOT NULL,
    issuer               varchar(500) NOT NULL,
    login_id             varchar(200) NOT NULL,
    account_id           bigint       NOT NULL,
    terminal_id          bigint,
    reason               varchar(20)  NOT NULL,
    state                varchar(10)  NOT NULL CHECK (state IN ('PENDING', 'DELIVERED', 'FAILED', 'DROPPED')),
    attempts             integer      NOT NULL,
    last_status          integer      NOT NULL,
    last_error           varchar(200),
    created_at           timestamptz  NOT NULL,
    next_attempt_at      timestamptz,
    finished_at          timestamptz
);
CREATE INDEX sso_backchannel_delivery_due ON sso_backchannel_delivery (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX sso_backchannel_delivery_client ON sso_backchannel_delivery (registered_client_id, state);
