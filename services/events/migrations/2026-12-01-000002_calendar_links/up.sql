-- Each user's secret calendar link (`GET /v1/calendar/{secret}.ics`): the
-- secret is the only credential of that feed, so it is random (244 bits) and
-- rotating it (`POST /v1/me/calendar`) retires the old link.
CREATE TABLE calendar_links (
    user_id uuid PRIMARY KEY,
    secret text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
