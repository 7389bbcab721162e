-- An organizer's add of another person is an invitation: it holds no place
-- and exposes nobody to strikes until the person accepts it (which registers
-- them by the ordinary rules). It ends when registration closes.
CREATE TABLE invitations (
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    invited_by uuid NOT NULL,
    invited_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX invitations_by_user ON invitations (user_id);

-- Organizers' messages to an event's participants, counted for their limit.
CREATE TABLE event_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    sender_id uuid NOT NULL,
    recipients integer NOT NULL,
    sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_messages_by_event ON event_messages (event_id, sent_at);
