-- Scheduled jobs run each piece of work once, across instances and restarts:
-- the instance whose transaction inserts the claim does the work in that
-- same transaction; the others find the claim and skip it.
CREATE TABLE job_runs (
    job text NOT NULL,
    subject uuid NOT NULL,
    -- The time the run was for besides its subject (the deadline or opening
    -- time), so a moved time runs again; the epoch when only the subject counts.
    occasion_at timestamptz NOT NULL DEFAULT 'epoch',
    instance text NOT NULL,
    ran_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job, subject, occasion_at)
);

-- Organizers may say they took attendance even when nobody came.
ALTER TABLE events ADD COLUMN attendance_taken_at timestamptz;
CREATE INDEX events_by_opening ON events (registration_opens_at) WHERE sign_up;
CREATE INDEX events_by_deadline ON events (sign_off_deadline) WHERE sign_up;

-- The secret behind a registration's check-in QR code.
ALTER TABLE registrations
    ADD COLUMN check_in_code text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
CREATE UNIQUE INDEX registrations_by_check_in_code ON registrations (event_id, check_in_code);
