-- Trader API reads: a user's fills (trade/fills, both sides of a trade), an instrument's trade history
-- (market/history-trades) and the last day of trades that rebuilds candles and tickers at start-up.
CREATE INDEX fills_by_taker_user ON fills (taker_user_id, trade_id);
CREATE INDEX fills_by_maker_user ON fills (maker_user_id, trade_id);
CREATE INDEX fills_by_instrument ON fills (inst_id, trade_id);
CREATE INDEX fills_by_ts ON fills (ts);
