-- A disabled client is kept for the record but refused at every endpoint.
ALTER TABLE oauth2_registered_client ADD COLUMN disabled boolean NOT NULL DEFAULT false;
