-- AUTH_TOKEN_TTL: an API key created without an IP allowlist expires (epoch milliseconds, created_at +
-- TTL); a key bound to addresses has NULL here and does not expire. Keys that existed before this
-- migration keep NULL: giving them an expiry now would cut off traders without warning (operators
-- list them with the admin API and revoke or replace unbound ones; see docs/server.md).
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
