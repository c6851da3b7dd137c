-- API keys of user accounts, OKX V5 style. Runs unchanged on PostgreSQL and on H2 (MODE=PostgreSQL).
-- The HMAC secret must be recoverable to check signatures, so it is stored sealed with AES-256-GCM
-- (Base64 IV and ciphertext+tag, sealed under a key derived from AUTH_TOKEN_SECRET whose fingerprint is
-- secret_key_id); the passphrase only as a salted PBKDF2-HMAC-SHA256 hash. A copy of this table signs
-- nothing. Keys are never deleted: revoked_at marks a revoked key (its row stays for the audit trail).
CREATE TABLE api_keys (
    api_key               VARCHAR(36)   NOT NULL PRIMARY KEY,
    user_id               BIGINT        NOT NULL REFERENCES accounts (account_id),
    label                 VARCHAR(50)   NOT NULL,
    -- OKX's form: read_only[,trade][,withdraw]
    perm                  VARCHAR(32)   NOT NULL,
    -- comma-separated IPv4/IPv6 addresses (at most 20); '' = any address
    ip_allowlist          VARCHAR(1000) NOT NULL DEFAULT '',
    secret_iv             VARCHAR(24)   NOT NULL,
    secret_ciphertext     VARCHAR(256)  NOT NULL,
    secret_key_id         VARCHAR(16)   NOT NULL,
    passphrase_salt       VARCHAR(44)   NOT NULL,
    passphrase_hash       VARCHAR(88)   NOT NULL,
    passphrase_iterations INT           NOT NULL CHECK (passphrase_iterations >= 1000),
    -- epoch milliseconds
    created_at            BIGINT        NOT NULL,
    revoked_at            BIGINT
);
CREATE INDEX api_keys_by_user ON api_keys (user_id);
