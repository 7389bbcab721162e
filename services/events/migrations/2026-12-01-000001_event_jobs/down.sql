DROP INDEX registrations_by_check_in_code;
ALTER TABLE registrations DROP COLUMN check_in_code;
DROP INDEX events_by_deadline;
DROP INDEX events_by_opening;
ALTER TABLE events DROP COLUMN attendance_taken_at;
DROP TABLE job_runs;
