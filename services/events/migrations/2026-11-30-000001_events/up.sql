-- The copy of auth's users, groups and memberships (kept from auth's events,
-- fetched from auth on a miss): who manages an event, who is prioritized.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    username text NOT NULL,
    full_name text NOT NULL DEFAULT '',
    status text NOT NULL,
    synced_at timestamptz NOT NULL,
    -- The memberships below are complete for this user: they were fetched
    -- from auth, or the user registered after this copy began.
    memberships_known boolean NOT NULL DEFAULT false
);

CREATE TABLE groups (
    id uuid PRIMARY KEY,
    slug text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    synced_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX groups_live_slug ON groups (slug) WHERE NOT deleted;

-- One row per user and group ever seen; role NULL once left.
CREATE TABLE memberships (
    user_id uuid NOT NULL,
    group_id uuid NOT NULL,
    role text,
    synced_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX memberships_current_by_group ON memberships (group_id) WHERE role IS NOT NULL;

CREATE TABLE categories (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX categories_name ON categories (lower(name));

CREATE TABLE events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL,
    description text NOT NULL DEFAULT '',
    location text NOT NULL DEFAULT '',
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    category_id uuid REFERENCES categories (id) ON DELETE SET NULL,
    organizer_id uuid NOT NULL,
    contact_person_id uuid,
    image_url text NOT NULL DEFAULT '',
    sign_up boolean NOT NULL DEFAULT false,
    capacity integer NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    registration_opens_at timestamptz,
    registration_closes_at timestamptz,
    sign_off_deadline timestamptz,
    only_prioritized boolean NOT NULL DEFAULT false,
    can_cause_strikes boolean NOT NULL DEFAULT true,
    enforces_previous_strikes boolean NOT NULL DEFAULT true,
    closed boolean NOT NULL DEFAULT false,
    -- Each pool a list of group ids; a pool matches a member of all of them.
    priority_pools jsonb NOT NULL DEFAULT '[]',
    -- Kept by the registration engine under the event's row lock.
    confirmed_count integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0),
    waiting_count integer NOT NULL DEFAULT 0 CHECK (waiting_count >= 0),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_by_start ON events (starts_at, id);
CREATE INDEX events_by_end ON events (ends_at, id);
CREATE INDEX events_by_organizer ON events (organizer_id);
CREATE INDEX events_by_category ON events (category_id);

CREATE TABLE favourites (
    user_id uuid NOT NULL,
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, event_id)
);

CREATE TABLE event_settings (
    user_id uuid PRIMARY KEY,
    accepts_event_rules boolean NOT NULL DEFAULT false,
    public_registrations boolean NOT NULL DEFAULT false,
    allergies text NOT NULL DEFAULT '',
    photo_consent boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registrations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('confirmed', 'waitlisted')),
    prioritized boolean NOT NULL,
    -- Waiting-list order: prioritized (0) before the rest (1), then by time.
    waiting_rank smallint GENERATED ALWAYS AS (CASE WHEN prioritized THEN 0 ELSE 1 END) STORED,
    added_by_organizer boolean NOT NULL DEFAULT false,
    registered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    reason text NOT NULL,
    attended_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, user_id)
);
CREATE INDEX registrations_waiting_order ON registrations (event_id, waiting_rank, registered_at, id)
    WHERE status = 'waitlisted';
CREATE INDEX registrations_confirmed_order ON registrations (event_id, prioritized, registered_at, id)
    WHERE status = 'confirmed';
CREATE INDEX registrations_by_user ON registrations (user_id);

CREATE TABLE strikes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('past_deadline', 'no_show', 'late', 'bad_behaviour', 'eval_form')),
    points integer NOT NULL CHECK (points > 0),
    description text NOT NULL DEFAULT '',
    event_id uuid REFERENCES events (id) ON DELETE SET NULL,
    event_title text,
    given_by uuid,
    given_at timestamptz NOT NULL,
    -- From domain::strikes::active_until(given_at): the one definition of active.
    expires_at timestamptz NOT NULL
);
CREATE INDEX strikes_by_user ON strikes (user_id, expires_at);
CREATE UNIQUE INDEX strikes_one_past_deadline ON strikes (user_id, event_id)
    WHERE kind = 'past_deadline';
