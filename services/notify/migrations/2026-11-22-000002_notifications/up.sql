-- Who notifications go to: a copy of auth's users (auth.user.registered/updated).
CREATE TABLE recipients (
    id UUID PRIMARY KEY,
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The daily digest email; on unless the user turns it off.
    daily_digest BOOLEAN NOT NULL DEFAULT true,
    synced_at TIMESTAMPTZ NOT NULL
);

-- One row per notification of a user. `in_app` says whether it is listed.
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id UUID NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    data JSONB NOT NULL DEFAULT '{}',
    in_app BOOLEAN NOT NULL,
    -- The event it came from; one notification per event and user.
    event_id UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at TIMESTAMPTZ,
    UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_listed ON notifications (user_id, id DESC) WHERE in_app;
CREATE INDEX notifications_unread ON notifications (user_id, id DESC) WHERE in_app AND read_at IS NULL;

-- A user's channel choices per kind; kinds without a row use the defaults.
CREATE TABLE notification_settings (
    user_id UUID NOT NULL,
    kind TEXT NOT NULL,
    email BOOLEAN NOT NULL,
    in_app BOOLEAN NOT NULL,
    push BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, kind),
    CHECK (email OR in_app OR push)
);

-- Outgoing mail, sent by the mail worker with retries (docs/notify.md).
CREATE TABLE outgoing_mail (
    id BIGSERIAL PRIMARY KEY,
    -- The Message-ID header: stable across retries, so a resend is recognisable.
    message_id TEXT NOT NULL UNIQUE,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    locked_until TIMESTAMPTZ,
    last_error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at TIMESTAMPTZ
);
CREATE INDEX outgoing_mail_due ON outgoing_mail (next_attempt_at) WHERE status = 'pending';

-- One row per day the digest went out: the row is the "exactly once".
CREATE TABLE digest_runs (
    day DATE PRIMARY KEY,
    ran_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    instance TEXT NOT NULL,
    mails INT NOT NULL
);
