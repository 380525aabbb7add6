-- The issuer the application saw in its ID token (Mamori may be reached under more than one host
-- name), so that its logout token carries the same iss.
ALTER TABLE sso_session_authorization ADD COLUMN issuer varchar(500);
