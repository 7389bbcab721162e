-- Events waiting for the relay to publish them (see docs/events.md).
CREATE TABLE outbox (
    id UUID PRIMARY KEY,
    event_type TEXT NOT NULL,
    payload JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts INT NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    published_at TIMESTAMPTZ
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE published_at IS NULL;
