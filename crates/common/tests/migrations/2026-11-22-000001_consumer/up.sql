-- What a consuming service adds: the dedupe table, and here a table the
-- test handler writes its effects to.
CREATE TABLE processed_events (
    consumer TEXT NOT NULL,
    event_id UUID NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE TABLE effects (
    event_id UUID NOT NULL,
    note TEXT NOT NULL
);
CREATE TABLE outbox (
    id UUID PRIMARY KEY,
    event_type TEXT NOT NULL,
    payload JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts INT NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    published_at TIMESTAMPTZ
);
