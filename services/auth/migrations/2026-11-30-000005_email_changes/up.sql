-- A pending email change: the new address takes effect only when the link
-- sent to it is followed. One pending change per account (a new request
-- replaces it); the link's token is stored hashed.
CREATE TABLE email_changes (
    user_id UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
