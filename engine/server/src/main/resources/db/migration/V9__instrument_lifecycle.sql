-- Instruments listed, changed and moved while the engine runs (docs/control-plane.md, "Instruments and
-- symbol moves"). generation is the control plane's metadata.generation of the last accepted change (an
-- older one is refused). price_scale fixes the number of decimals prices are stored with: orders, fills
-- and markets hold prices as integers at that scale, so a later tick with fewer decimals keeps it and one
-- with more is refused; NULL (instruments listed before this migration) means the tick's decimals.
ALTER TABLE instruments ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE instruments ADD COLUMN price_scale INT;

-- Version of the instrument set: every listing, rule change and move bumps it in its own transaction
-- (and locks the row, so such changes are serialized); every pod polls it to reload its catalog and
-- routing, and a shard loads an instrument it owns but does not hold yet.
CREATE TABLE instrument_board (
    board_id INT    NOT NULL PRIMARY KEY,
    version  BIGINT NOT NULL
);
INSERT INTO instrument_board (board_id, version) VALUES (1, 0);
