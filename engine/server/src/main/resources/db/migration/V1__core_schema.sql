-- Bourse core schema. Runs unchanged on PostgreSQL and on H2 (MODE=PostgreSQL).
-- Money columns are BIGINT in units of 10^-scale of their asset (see docs/adr/0001-fixed-point-money.md).

CREATE TABLE assets (
    asset_id   INT          NOT NULL PRIMARY KEY,
    code       VARCHAR(16)  NOT NULL UNIQUE,
    scale      INT          NOT NULL CHECK (scale BETWEEN 0 AND 18),
    created_at TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Static definition of a symbol. shard_id says which engine shard owns its book.
CREATE TABLE instruments (
    inst_id           VARCHAR(32)    NOT NULL PRIMARY KEY,
    base_asset        INT            NOT NULL REFERENCES assets (asset_id),
    quote_asset       INT            NOT NULL REFERENCES assets (asset_id),
    tick_sz           NUMERIC(38, 18) NOT NULL,
    lot_sz            NUMERIC(38, 18) NOT NULL,
    min_sz            NUMERIC(38, 18) NOT NULL,
    max_sz            NUMERIC(38, 18) NOT NULL,
    band_bps          INT            NOT NULL,
    ref_px            NUMERIC(38, 18) NOT NULL,
    breaker_bps       INT            NOT NULL,
    breaker_window_ms BIGINT         NOT NULL,
    maker_fee_rate    NUMERIC(20, 8) NOT NULL,
    taker_fee_rate    NUMERIC(20, 8) NOT NULL,
    shard_id          INT            NOT NULL,
    created_at        TIMESTAMP      NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Trading state of a symbol, written by the owning shard in its batch transactions.
CREATE TABLE markets (
    inst_id       VARCHAR(32) NOT NULL PRIMARY KEY REFERENCES instruments (inst_id),
    state         VARCHAR(16) NOT NULL,
    last_trade_px BIGINT      NOT NULL DEFAULT 0,
    book_seq_id   BIGINT      NOT NULL DEFAULT 0,
    updated_seq   BIGINT      NOT NULL DEFAULT 0
);

-- Ledger accounts: users and system accounts (fees per shard, external funds, withdrawals in transit).
CREATE TABLE accounts (
    account_id BIGINT      NOT NULL PRIMARY KEY,
    kind       VARCHAR(24) NOT NULL,
    name       VARCHAR(64) NOT NULL UNIQUE,
    created_at TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row per (account, asset): the sum of the account's ledger entries per bucket. Only the external
-- account (money outside the exchange) may go below zero; the CHECK is a backstop behind the
-- conditional updates that keep every other balance non-negative.
CREATE TABLE balances (
    account_id BIGINT  NOT NULL REFERENCES accounts (account_id),
    asset_id   INT     NOT NULL REFERENCES assets (asset_id),
    available  BIGINT  NOT NULL DEFAULT 0,
    held       BIGINT  NOT NULL DEFAULT 0,
    overdraft  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (account_id, asset_id),
    CONSTRAINT balances_never_negative CHECK (held >= 0 AND (available >= 0 OR overdraft))
);

CREATE TABLE orders (
    ord_id        BIGINT      NOT NULL PRIMARY KEY,
    shard_id      INT         NOT NULL,
    inst_id       VARCHAR(32) NOT NULL REFERENCES instruments (inst_id),
    user_id       BIGINT      NOT NULL REFERENCES accounts (account_id),
    cl_ord_id     VARCHAR(32),
    side          VARCHAR(4)  NOT NULL,
    ord_type      VARCHAR(16) NOT NULL,
    stp_mode      VARCHAR(16) NOT NULL,
    tgt_ccy       VARCHAR(10) NOT NULL,
    px            BIGINT      NOT NULL,
    sz            BIGINT      NOT NULL,
    filled_sz     BIGINT      NOT NULL,
    filled_quote  BIGINT      NOT NULL,
    remaining_sz  BIGINT      NOT NULL,
    held          BIGINT      NOT NULL CHECK (held >= 0),
    fee           BIGINT      NOT NULL,
    state         VARCHAR(20) NOT NULL,
    cancel_reason VARCHAR(32),
    -- shard sequence of the command that last put the order at the tail of its price queue:
    -- restoring live orders by (queue_seq) rebuilds each level in its original time priority
    queue_seq     BIGINT      NOT NULL,
    created_seq   BIGINT      NOT NULL,
    updated_seq   BIGINT      NOT NULL,
    created_at    BIGINT      NOT NULL,
    updated_at    BIGINT      NOT NULL,
    CONSTRAINT orders_cl_ord_id_unique UNIQUE (user_id, cl_ord_id)
);
CREATE INDEX orders_by_shard_state ON orders (shard_id, state);
CREATE INDEX orders_by_user ON orders (user_id, ord_id);

CREATE TABLE fills (
    trade_id        BIGINT      NOT NULL PRIMARY KEY,
    shard_id        INT         NOT NULL,
    seq             BIGINT      NOT NULL,
    inst_id         VARCHAR(32) NOT NULL,
    px              BIGINT      NOT NULL,
    sz              BIGINT      NOT NULL,
    quote_amt       BIGINT      NOT NULL,
    taker_side      VARCHAR(4)  NOT NULL,
    taker_ord_id    BIGINT      NOT NULL,
    taker_user_id   BIGINT      NOT NULL,
    maker_ord_id    BIGINT      NOT NULL,
    maker_user_id   BIGINT      NOT NULL,
    taker_fee       BIGINT      NOT NULL,
    taker_fee_asset INT         NOT NULL,
    maker_fee       BIGINT      NOT NULL,
    maker_fee_asset INT         NOT NULL,
    ts              BIGINT      NOT NULL
);
CREATE INDEX fills_by_taker_order ON fills (taker_ord_id);
CREATE INDEX fills_by_maker_order ON fills (maker_ord_id);

-- Append-only double-entry journal. A posting set is the group of entries with one posting_key; for
-- every asset its amounts sum to zero. The key is natural (shard, sequence, set number for engine
-- postings; the caller's idempotency key otherwise), so a replayed write cannot post twice.
-- Repairs are new sets of kind REVERSAL or SUPPLEMENT whose ref_key names the set they correct.
CREATE TABLE ledger_entries (
    posting_key VARCHAR(64) NOT NULL,
    leg         INT         NOT NULL,
    kind        VARCHAR(16) NOT NULL,
    account_id  BIGINT      NOT NULL REFERENCES accounts (account_id),
    asset_id    INT         NOT NULL REFERENCES assets (asset_id),
    bucket      VARCHAR(10) NOT NULL,
    amount      BIGINT      NOT NULL,
    ord_id      BIGINT,
    trade_id    BIGINT,
    ref_key     VARCHAR(64),
    created_at  TIMESTAMP   NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (posting_key, leg)
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (account_id, asset_id);

-- Ownership of a shard. A new owner increments the epoch; every batch transaction updates this row
-- only if the epoch is still its own, so a process that lost the shard cannot commit (fencing).
-- last_seq / last_order_id / last_trade_id are the shard's counters as of its last committed batch.
CREATE TABLE shard_leases (
    shard_id         INT          NOT NULL PRIMARY KEY,
    owner            VARCHAR(128),
    epoch            BIGINT       NOT NULL DEFAULT 0,
    expires_at_ms    BIGINT       NOT NULL DEFAULT 0,
    last_seq         BIGINT       NOT NULL DEFAULT 0,
    last_order_id    BIGINT       NOT NULL,
    last_trade_id    BIGINT       NOT NULL,
    updated_at       TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row per committed batch: the command log's index (which sequences committed together, under
-- which epoch). Commands themselves live as the orders, fills and ledger entries they produced.
CREATE TABLE batches (
    shard_id     INT       NOT NULL,
    first_seq    BIGINT    NOT NULL,
    last_seq     BIGINT    NOT NULL,
    epoch        BIGINT    NOT NULL,
    commands     INT       NOT NULL,
    rejected     INT       NOT NULL,
    committed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (shard_id, first_seq)
);

CREATE TABLE audit_log (
    audit_id   BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at         TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor      VARCHAR(128)  NOT NULL,
    action     VARCHAR(64)   NOT NULL,
    target     VARCHAR(256),
    detail     VARCHAR(4000)
);

CREATE TABLE reconciliation_reports (
    report_id   BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    started_at  TIMESTAMP   NOT NULL,
    finished_at TIMESTAMP   NOT NULL,
    anomalies   INT         NOT NULL,
    clean       BOOLEAN     NOT NULL,
    report      TEXT        NOT NULL
);

-- Account ids below 10000 are system accounts (see dev.bourse.server.ledger.SystemAccounts).
CREATE SEQUENCE user_account_ids START WITH 10000;
