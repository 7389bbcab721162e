-- Changes whenever an account's sessions everywhere must end: its password
-- changed or was reset, or it was deactivated or declined. Carried by
-- auth.user.updated; the microblog ends its web sessions when it changes.
ALTER TABLE users ADD COLUMN security_stamp UUID NOT NULL DEFAULT gen_random_uuid();
