-- Envelope ids each consumer has handled, so a redelivered event is applied
-- once (common::consumer). IF NOT EXISTS: databases made before this migration
-- moved here already have it.
CREATE TABLE IF NOT EXISTS processed_events (
    consumer TEXT NOT NULL,
    event_id UUID NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
