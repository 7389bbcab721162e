-- auth's security stamp of the user (auth.user.updated): when it changes,
-- the user's web sessions end.
ALTER TABLE users ADD COLUMN security_stamp UUID;
