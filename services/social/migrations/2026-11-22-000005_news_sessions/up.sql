-- News articles: public to read, written by administrators and by leaders of
-- committee groups (docs/social.md).
CREATE TABLE news_articles (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    lead TEXT NOT NULL,
    body TEXT NOT NULL,
    image_url TEXT,
    author_id UUID NOT NULL,
    author_username TEXT NOT NULL,
    -- The committee the article speaks for; NULL for an administrator's own.
    group_slug TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX news_articles_created ON news_articles (created_at DESC, id DESC);

-- Sessions of the web pages. The cookie holds a random token; only its
-- SHA-256 is stored, so a database leak does not hand out sessions.
CREATE TABLE web_sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

-- Moderators list what they have hidden.
CREATE INDEX messages_flagged ON messages (id DESC) WHERE flagged;
