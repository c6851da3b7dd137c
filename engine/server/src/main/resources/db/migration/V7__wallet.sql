-- The wallet: per-asset policies, deposit addresses, deposits seen on chain, withdrawals and the
-- address whitelist. Amounts are BIGINT in units of 10^-scale of their asset; times are epoch ms.
-- Runs unchanged on PostgreSQL and on H2 (MODE=PostgreSQL).

-- Desired state pushed by the operator (WalletPolicy resource). generation is the resource's
-- metadata.generation (never goes back); version counts the changes this table applied.
CREATE TABLE wallet_policies (
    asset               VARCHAR(16) NOT NULL PRIMARY KEY,
    deposits_enabled    BOOLEAN     NOT NULL,
    withdrawals_enabled BOOLEAN     NOT NULL,
    confirmations       INT         NOT NULL CHECK (confirmations >= 0),
    min_withdrawal      BIGINT      NOT NULL CHECK (min_withdrawal >= 0),
    max_withdrawal      BIGINT      NOT NULL CHECK (max_withdrawal >= 0),
    daily_limit         BIGINT      NOT NULL CHECK (daily_limit >= 0),
    review_threshold    BIGINT      NOT NULL CHECK (review_threshold >= 0),
    whitelist_required  BOOLEAN     NOT NULL,
    cooldown_ms         BIGINT      NOT NULL CHECK (cooldown_ms >= 0),
    withdrawal_fee      BIGINT      NOT NULL CHECK (withdrawal_fee >= 0),
    generation          BIGINT      NOT NULL,
    version             BIGINT      NOT NULL,
    updated_at          BIGINT      NOT NULL
);

-- One deposit address per (user, asset), handed out by the chain adapter.
CREATE TABLE wallet_addresses (
    address    VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id    BIGINT       NOT NULL REFERENCES accounts (account_id),
    asset      VARCHAR(16)  NOT NULL,
    chain      VARCHAR(32)  NOT NULL,
    created_at BIGINT       NOT NULL,
    CONSTRAINT wallet_addresses_one_per_asset UNIQUE (user_id, asset)
);

CREATE SEQUENCE wallet_ids START WITH 1;

-- Incoming transfers to our addresses, unique by (tx_id, tx_index) so any number of watchers record
-- each once. state: PENDING (seen, not credited) or CREDITED (posted exactly once under a posting key
-- derived from tx_id and tx_index).
CREATE TABLE wallet_deposits (
    dep_id        BIGINT       NOT NULL PRIMARY KEY,
    tx_id         VARCHAR(128) NOT NULL,
    tx_index      INT          NOT NULL,
    user_id       BIGINT       NOT NULL REFERENCES accounts (account_id),
    asset         VARCHAR(16)  NOT NULL,
    chain         VARCHAR(32)  NOT NULL,
    address       VARCHAR(128) NOT NULL,
    amount        BIGINT       NOT NULL CHECK (amount > 0),
    block_height  BIGINT       NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    first_seen_at BIGINT       NOT NULL,
    credited_at   BIGINT,
    CONSTRAINT wallet_deposits_once UNIQUE (tx_id, tx_index)
);
CREATE INDEX wallet_deposits_by_user ON wallet_deposits (user_id, dep_id);
CREATE INDEX wallet_deposits_by_state ON wallet_deposits (state);

-- Withdrawals. state: PENDING_REVIEW, APPROVED (queued for payout), BROADCAST (taken from the user, in
-- transit; tx_id set once the chain accepted it), CONFIRMED, FAILED (funds returned), REJECTED,
-- CANCELED. Every change of state is a conditional UPDATE ... WHERE state = <expected>.
CREATE TABLE wallet_withdrawals (
    wd_id        BIGINT       NOT NULL PRIMARY KEY,
    user_id      BIGINT       NOT NULL REFERENCES accounts (account_id),
    asset        VARCHAR(16)  NOT NULL,
    chain        VARCHAR(32)  NOT NULL,
    to_addr      VARCHAR(128) NOT NULL,
    amount       BIGINT       NOT NULL CHECK (amount > 0),
    fee          BIGINT       NOT NULL CHECK (fee >= 0),
    client_id    VARCHAR(32),
    state        VARCHAR(16)  NOT NULL,
    reviewed     BOOLEAN      NOT NULL DEFAULT FALSE,
    reviewed_by  VARCHAR(64),
    tx_id        VARCHAR(128),
    note         VARCHAR(256),
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL,
    CONSTRAINT wallet_withdrawals_client_id UNIQUE (user_id, client_id)
);
CREATE INDEX wallet_withdrawals_by_user ON wallet_withdrawals (user_id, created_at);
CREATE INDEX wallet_withdrawals_by_state ON wallet_withdrawals (state, wd_id);

-- Addresses a user may withdraw to (managed through the admin API); added_at starts the cooldown.
CREATE TABLE wallet_whitelist (
    user_id  BIGINT       NOT NULL REFERENCES accounts (account_id),
    asset    VARCHAR(16)  NOT NULL,
    address  VARCHAR(128) NOT NULL,
    added_at BIGINT       NOT NULL,
    added_by VARCHAR(64)  NOT NULL,
    PRIMARY KEY (user_id, asset, address)
);

-- Highest block every transfer below which the watchers have recorded (per chain adapter).
CREATE TABLE wallet_scan_cursor (
    chain_name VARCHAR(32) NOT NULL PRIMARY KEY,
    height     BIGINT      NOT NULL
);

-- The simulated chain's memory (dev and tests only), so that a restarted dev engine sees the same
-- blocks, addresses and transfers. kind: IN (deposit) or OUT (payout, keyed by wd_id).
CREATE TABLE sim_chain_blocks (
    chain_name VARCHAR(32) NOT NULL PRIMARY KEY,
    height     BIGINT      NOT NULL,
    fail_next  INT         NOT NULL DEFAULT 0
);
CREATE TABLE sim_chain_transfers (
    tx_id        VARCHAR(128) NOT NULL PRIMARY KEY,
    kind         VARCHAR(4)   NOT NULL,
    asset        VARCHAR(16)  NOT NULL,
    address      VARCHAR(128) NOT NULL,
    amount       BIGINT       NOT NULL,
    block_height BIGINT       NOT NULL,
    wd_id        BIGINT,
    failed       BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT sim_chain_one_payout UNIQUE (wd_id)
);
CREATE INDEX sim_chain_transfers_by_height ON sim_chain_transfers (kind, block_height);
