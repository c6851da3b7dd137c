-- Kill switches (see docs/control-plane.md). One row per named switch; its definition is the JSON the
-- admin or internal API accepted. switch_board holds the version of the whole set: every change bumps it
-- in the same transaction (and locks the row, so changes are serialized), and every pod polls it to pick
-- up changes another pod wrote.
CREATE TABLE switch_board (
    board_id INT    NOT NULL PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO switch_board (board_id, version) VALUES (1, 0);

CREATE TABLE trading_switches (
    name          VARCHAR(63)   NOT NULL PRIMARY KEY,
    spec          VARCHAR(8000) NOT NULL,
    generation    BIGINT        NOT NULL,
    version       BIGINT        NOT NULL,
    updated_at_ms BIGINT        NOT NULL,
    actor         VARCHAR(128)  NOT NULL
);
