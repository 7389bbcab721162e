-- Seeds the wind-up benchmark (bench/events-jobs.sh): :events events that
-- ended on 27 March 2027, each with :participants confirmed participants,
-- all but :absent of them checked in (so attendance was taken), drawn from
-- 10,000 people who each attend several events. Registrations need no rows
-- of users: the jobs read only registrations, strikes and memberships.
\set ON_ERROR_STOP on
INSERT INTO events (id, title, starts_at, ends_at, organizer_id, sign_up, capacity,
                    registration_opens_at, registration_closes_at, sign_off_deadline,
                    confirmed_count, created_by)
SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(n), 12, '0'))::uuid, 'Ended event ' || n,
       timestamptz '2027-03-27 17:00+00', timestamptz '2027-03-27 21:00+00',
       '00000000-0000-0000-0000-00000000c0de', true, :participants,
       timestamptz '2027-03-01 10:00+00', timestamptz '2027-03-20 10:00+00',
       timestamptz '2027-03-25 10:00+00', :participants, '00000000-0000-0000-0000-00000000c0de'
FROM generate_series(1, :events) AS n;

INSERT INTO registrations (event_id, user_id, status, prioritized, reason, registered_at, attended_at)
SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(n), 12, '0'))::uuid,
       ('00000000-0000-0000-0002-' || lpad(to_hex((n * 37 + p * 101) % 10000), 12, '0'))::uuid,
       'confirmed', false, 'confirmed: there was a free place',
       timestamptz '2027-03-02 10:00+00' + p * interval '1 second',
       CASE WHEN p <= :participants - :absent THEN timestamptz '2027-03-27 17:30+00' END
FROM generate_series(1, :events) AS n, generate_series(1, :participants) AS p;
ANALYZE;
