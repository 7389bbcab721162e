-- Seeds social's bench database for the home-timeline benchmark: 100,000
-- users, 1,000,000 messages spread over them at random, and :reader (the
-- benchmark's own account) following 100 of them at random.
\set ON_ERROR_STOP on
INSERT INTO users (id, username, email, status, synced_at)
SELECT gen_random_uuid(), 'timeline user ' || g, 'timeline' || g || '@example.org', 'active', now()
FROM generate_series(1, 100000) AS g;

CREATE TEMP TABLE seeded AS
SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE username LIKE 'timeline user %';
CREATE INDEX ON seeded (n);

INSERT INTO messages (author_id, text, created_at)
SELECT seeded.id, 'timeline message ' || picks.g || ': ' || repeat('lorem ipsum ', 1 + picks.g % 8),
       now() - make_interval(secs => 1000000 - picks.g)
FROM (SELECT g, (1 + floor(random() * 100000))::bigint AS n FROM generate_series(1, 1000000) AS g) AS picks
JOIN seeded ON seeded.n = picks.n
ORDER BY picks.g;

INSERT INTO follows (follower_id, followee_id)
SELECT :'reader'::uuid, id FROM seeded ORDER BY random() LIMIT 100;

VACUUM ANALYZE users;
VACUUM ANALYZE messages;
VACUUM ANALYZE follows;
-- Write the seeded pages out now, not in a checkpoint during the measurement.
CHECKPOINT;
