package dev.bourse.server.marketdata;

import dev.bourse.order.Side;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The start-up history read from the {@code fills} table, on PostgreSQL and H2: the database's minute bars
 * (window functions, integer minutes) equal the same sums computed in memory, only fills inside the
 * window are summed, and the recent trades are each instrument's newest whatever their age.
 */
class FillHistoryIT {

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void minuteBarsAndRecentTradesMatchTheFills(String kind) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        long now = 1_717_000_000_000L;
        long since = now - MarketData.DAY_MILLIS;
        List<FillRecord> fills = new ArrayList<>();
        long btcId = 0;
        long ethId = 1L << 40; // another shard's trade ids
        long ts = since - 2 * 3_600_000L; // two hours before the window, to be left out of the bars
        while (ts < now) {
            ts += rnd.nextInt(40_000);
            boolean btc = rnd.nextInt(3) > 0;
            long px = btc ? 600_000 + rnd.nextInt(500) : 300_000 + rnd.nextInt(500);
            long sz = 1 + rnd.nextInt(5_000);
            long tradeId = btc ? ++btcId : ++ethId;
            // a few fills share a timestamp: open and close then go by trade id
            int same = rnd.nextInt(10) == 0 ? 2 : 1;
            for (int k = 0; k < same; k++) {
                fills.add(new FillRecord(k == 0 ? tradeId : (btc ? ++btcId : ++ethId), btc ? 0 : 1, tradeId,
                        btc ? "BTC-USDT" : "ETH-USDT", px + k, sz, px * sz / 10, rnd.nextBoolean() ? Side.BUY : Side.SELL, 10,
                        20, 11, 21, 1, 0, 2, 2, ts));
            }
        }
        try (TestDatabases.TestDb tdb = TestDatabases.create(kind); Database db = tdb.open()) {
            TraderFixture.list(db);
            insert(db, fills);
            MarketHistory got = new FillHistory(db).load(since, 50);

            List<FillRecord> inWindow = fills.stream().filter(f -> f.ts() >= since).toList();
            assertEquals(MarketHistory.of(inWindow, 50).bars(), got.bars(), kind + ", seed " + seed);
            assertEquals(MarketHistory.of(fills, 50).trades(), got.trades(), kind + ", seed " + seed);
            assertTrue(got.bars().size() > 1_000, "a day of minutes: " + got.bars().size());
            assertEquals(100, got.trades().size(), "50 per instrument");
            assertTrue(fills.stream().anyMatch(f -> f.ts() < since), "some fills lie before the window");
        }
    }

    private static void insert(Database db, List<FillRecord> fills) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO fills (trade_id, shard_id, "
                + "seq, inst_id, px, sz, quote_amt, taker_side, taker_ord_id, taker_user_id, maker_ord_id, maker_user_id, "
                + "taker_fee, taker_fee_asset, maker_fee, maker_fee_asset, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (FillRecord f : fills) {
                ps.setLong(1, f.tradeId());
                ps.setInt(2, f.shardId());
                ps.setLong(3, f.seq());
                ps.setString(4, f.instId());
                ps.setLong(5, f.px());
                ps.setLong(6, f.sz());
                ps.setLong(7, f.quoteAmt());
                ps.setString(8, f.takerSide().name());
                ps.setLong(9, f.takerOrdId());
                ps.setLong(10, f.takerUserId());
                ps.setLong(11, f.makerOrdId());
                ps.setLong(12, f.makerUserId());
                ps.setLong(13, f.takerFee());
                ps.setInt(14, f.takerFeeAsset());
                ps.setLong(15, f.makerFee());
                ps.setInt(16, f.makerFeeAsset());
                ps.setLong(17, f.ts());
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }
}
