-- OKX's instIdCode: a stable number per instrument, which WebSocket order ops may send instead of
-- instId. Assigned from a sequence when an instrument is listed and never reused.
CREATE SEQUENCE instrument_codes START WITH 1001;
ALTER TABLE instruments ADD COLUMN inst_id_code BIGINT DEFAULT nextval('instrument_codes');
UPDATE instruments SET inst_id_code = nextval('instrument_codes') WHERE inst_id_code IS NULL;
ALTER TABLE instruments ALTER COLUMN inst_id_code SET NOT NULL;
CREATE UNIQUE INDEX instruments_by_code ON instruments (inst_id_code);
