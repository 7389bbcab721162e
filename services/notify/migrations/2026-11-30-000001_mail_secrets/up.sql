-- A mail holding a secret (a password reset link) is redacted once delivered
-- or given up; delivered and failed mail is pruned after a retention period.
ALTER TABLE outgoing_mail ADD COLUMN sensitive boolean NOT NULL DEFAULT false;
CREATE INDEX outgoing_mail_done ON outgoing_mail (created_at) WHERE status <> 'pending';
