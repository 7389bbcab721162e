-- Seeds the events benchmark (bench/events.sh) in the events database:
-- two groups, the stampedes' two events (100 places, pool "members",
-- registration opened a minute ago) and :people people who accepted the event rules, every
-- 7th in "members"; then :events events over the coming year for the list.
-- The people are written as the copy of auth's users would hold them (auth's
-- events would have put them there); their tokens are signed by the driver.
\set ON_ERROR_STOP on
INSERT INTO groups (id, slug, name, kind, synced_at) VALUES
  ('00000000-0000-0000-0000-00000000c0b1', 'cabin', 'Cabin committee', 'committee', now()),
  ('00000000-0000-0000-0000-00000000c0b2', 'members', 'Members', 'other', now());
INSERT INTO events (id, title, location, starts_at, ends_at, organizer_id, sign_up, capacity,
                    registration_opens_at, registration_closes_at, sign_off_deadline, priority_pools, created_by)
SELECT id::uuid, title, 'The cabin', now() + interval '10 days',
       now() + interval '11 days', '00000000-0000-0000-0000-00000000c0b1', true, 100,
       now() - interval '1 minute', now() + interval '5 days', now() + interval '7 days',
       '[["00000000-0000-0000-0000-00000000c0b2"]]', gen_random_uuid()
FROM (VALUES ('00000000-0000-0000-0000-0000000057a1', 'Cabin trip'),
             ('00000000-0000-0000-0000-0000000057a2', 'Company dinner')) AS e(id, title);
CREATE TEMP TABLE people AS
  SELECT gen_random_uuid() AS id, n FROM generate_series(1, :people) AS n;
INSERT INTO users (id, username, status, synced_at, memberships_known)
  SELECT id, 'u' || replace(id::text, '-', ''), 'active', now(), true FROM people;
INSERT INTO event_settings (user_id, accepts_event_rules) SELECT id, true FROM people;
INSERT INTO memberships (user_id, group_id, role, synced_at)
  SELECT id, '00000000-0000-0000-0000-00000000c0b2', 'member', now() FROM people WHERE n % 7 = 1;
INSERT INTO events (title, location, starts_at, ends_at, organizer_id, sign_up, capacity,
                    registration_opens_at, registration_closes_at, sign_off_deadline, created_by)
  SELECT 'Event ' || n, 'Room ' || (n % 50), s, s + interval '3 hours', '00000000-0000-0000-0000-00000000c0b1',
         n % 2 = 0, CASE WHEN n % 2 = 0 THEN 50 ELSE 0 END,
         CASE WHEN n % 2 = 0 THEN s - interval '14 days' END, CASE WHEN n % 2 = 0 THEN s - interval '1 day' END,
         CASE WHEN n % 2 = 0 THEN s - interval '2 days' END, gen_random_uuid()
  FROM (SELECT n, now() + (n * interval '52 minutes') AS s FROM generate_series(1, :events) AS n) AS e;
ANALYZE;
