-- Accounts registered through the MiniTwit simulator API. The simulator may
-- post, follow and unfollow only as these (docs/security.md).
ALTER TABLE users ADD COLUMN simulator BOOLEAN NOT NULL DEFAULT false;
