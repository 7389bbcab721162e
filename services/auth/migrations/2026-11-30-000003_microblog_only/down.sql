ALTER TABLE users DROP COLUMN approved;
ALTER TABLE users DROP COLUMN password_meets_policy;
