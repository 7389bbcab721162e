-- The social service's copy of the platform's users, kept in step with auth
-- through auth.user.registered and auth.user.updated (docs/events.md).
CREATE TABLE users (
    id UUID PRIMARY KEY,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    -- occurred_at of the newest event applied; older events are ignored.
    synced_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

