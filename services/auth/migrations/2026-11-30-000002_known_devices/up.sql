-- Browsers and apps a person has logged in from (OWASP's "device cookies"):
-- a login that presents a known device of the account is not held back by the
-- per-account and per-address throttles an attacker can trigger. Only the
-- SHA-256 of the device token is kept.
CREATE TABLE known_devices (
    id UUID PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX known_devices_user ON known_devices (user_id);
