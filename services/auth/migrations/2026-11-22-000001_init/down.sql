DROP TABLE api_clients;
DROP TABLE memberships;
DROP TABLE groups;
DROP TABLE password_resets;
DROP TABLE refresh_tokens;
DROP TABLE users;
