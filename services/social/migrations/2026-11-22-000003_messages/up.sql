CREATE TABLE messages (
    id BIGSERIAL PRIMARY KEY,
    author_id UUID NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Hidden by a moderator: left out of every timeline.
    flagged BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX messages_public ON messages (id DESC) WHERE NOT flagged;
CREATE INDEX messages_by_author ON messages (author_id, id DESC) WHERE NOT flagged;

-- One row per pair; following twice keeps one.
CREATE TABLE follows (
    follower_id UUID NOT NULL REFERENCES users (id),
    followee_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id);

-- The MiniTwit simulator's latest action id, shared by every instance.
CREATE TABLE simulator_latest (
    id INT PRIMARY KEY CHECK (id = 1),
    latest BIGINT NOT NULL
);
