-- The table the test handler writes its effects to (the outbox and the
-- dedupe table come from common's migrations).
CREATE TABLE effects (
    event_id UUID NOT NULL,
    note TEXT NOT NULL
);
