-- Accounts the microblog made by its own rules (MiniTwit registration): until
-- the password meets the platform's policy and, where approval is on, an
-- administrator approved them, their tokens are for the microblog only.
ALTER TABLE users ADD COLUMN password_meets_policy BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE users ADD COLUMN approved BOOLEAN NOT NULL DEFAULT true;
