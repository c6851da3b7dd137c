package dev.bourse.bench;

import dev.bourse.asset.Asset;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.matching.Command;
import dev.bourse.matching.EngineListener;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.RejectReason;
import dev.bourse.order.OrderView;
import dev.bourse.order.StpMode;
import dev.bourse.server.shard.ShardCommand;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurableOrderFlowTest {
    private static final Map<String, Asset> ASSETS = Map.of("BTC", new Asset(0, "BTC", 8), "USDT", new Asset(1, "USDT", 6));
    private static final Instrument INS = DurableOrderFlow.BTC_USDT.toInstrument(ASSETS);
    private static final long BASE = 100_000_000_000L; // 1,000 BTC
    private static final long QUOTE = 100_000_000_000_000L; // 100,000,000 USDT
    private static final long FEES = 1000;

    private static long[] users(int n) {
        long[] u = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = 10_000 + i;
        }
        return u;
    }

    private static DurableOrderFlow flow(long seed, DurableOrderFlow.Mix mix) {
        return new DurableOrderFlow(INS, users(200), BASE, QUOTE, FEES, 0, 0, 0, mix, seed);
    }

    @Test
    void sameSeedGivesTheSameCommands() {
        DurableOrderFlow.Mix mix = DurableOrderFlow.Mix.DEFAULT.withBook(300).withClOrdIdShare(0.5);
        DurableOrderFlow a = flow(7, mix);
        DurableOrderFlow b = flow(7, mix);
        assertArrayEquals(a.preload().commands, b.preload().commands);
        for (int round = 0; round < 3; round++) {
            DurableOrderFlow.Chunk x = a.next(20_000);
            DurableOrderFlow.Chunk y = b.next(20_000);
            assertArrayEquals(x.commands, y.commands, "round " + round);
            assertArrayEquals(x.expectedOrdId, y.expectedOrdId, "round " + round);
            assertEquals(x.fills, y.fills);
        }
        DurableOrderFlow c = flow(8, mix);
        c.preload();
        DurableOrderFlow d = flow(7, mix);
        d.preload();
        assertFalse(Arrays.equals(c.next(1000).commands, d.next(1000).commands), "another seed, another stream");
    }

    /**
     * What the shard will do: a fresh engine with the shard's counters executes the stream in order and
     * accepts every command, assigns exactly the predicted order ids, and every cancel is by the order's
     * owner (another user's cancel would be refused).
     */
    @Test
    void aFreshEngineAcceptsEveryCommandWithThePredictedIds() {
        DurableOrderFlow.Mix mix = DurableOrderFlow.Mix.DEFAULT.withBook(500).withClOrdIdShare(0.3);
        long[] users = users(200);
        DurableOrderFlow flow = new DurableOrderFlow(INS, users, BASE, QUOTE, FEES, 0, 0, 0, mix, 3);
        InMemoryBalances balances = new InMemoryBalances(2);
        for (long u : users) {
            balances.deposit(u, 0, BASE);
            balances.deposit(u, 1, QUOTE);
        }
        MatchingEngine engine = new MatchingEngine(balances, EngineListener.NONE, FEES, 0, 0, 0);
        engine.addInstrument(INS);
        Command c = new Command();
        replay(engine, c, flow.preload());
        assertEquals(500, engine.liveOrderCount());
        DurableOrderFlow.Chunk chunk = flow.next(50_000);
        replay(engine, c, chunk);
        assertEquals(flow.liveOrders(), engine.liveOrderCount());
        // the book stays near its target size
        assertTrue(Math.abs(engine.liveOrderCount() - 500) <= 500 / 20 + 1, "book " + engine.liveOrderCount());
        // the mix is roughly the nominal one, and some commands trade
        int n = chunk.size();
        assertEquals(n, chunk.limits + chunk.iocs + chunk.cancels);
        assertTrue(Math.abs(chunk.iocs / (double) n - 0.10) < 0.02, chunk.describe());
        assertTrue(chunk.limits / (double) n > 0.40 && chunk.limits / (double) n < 0.60, chunk.describe());
        assertTrue(chunk.cancels / (double) n > 0.30 && chunk.cancels / (double) n < 0.50, chunk.describe());
        assertTrue(chunk.trading > n / 10, chunk.describe());
    }

    private static void replay(MatchingEngine engine, Command c, DurableOrderFlow.Chunk chunk) {
        for (int i = 0; i < chunk.size(); i++) {
            ShardCommand r = chunk.commands[i];
            RejectReason reason;
            if (r.kind() == ShardCommand.Kind.PLACE) {
                reason = engine.execute(c.place(r.userId(), 0, r.side(), r.ordType(), r.px(), r.sz(), r.clOrdId(),
                        StpMode.CANCEL_MAKER, i));
                assertNull(reason, "command " + i + " " + r);
                assertEquals(chunk.expectedOrdId[i], c.resultOrderId(), "order id of command " + i);
            } else {
                assertEquals(ShardCommand.Kind.CANCEL, r.kind());
                OrderView o = engine.liveOrder(r.ordId());
                assertNotNull(o, "cancel " + i + " names a live order");
                assertEquals(o.userId(), r.userId(), "cancel " + i + " comes from the order's owner");
                reason = engine.execute(c.cancel(r.userId(), 0, r.ordId(), null, i));
                assertNull(reason, "command " + i + " " + r);
                assertEquals(0, chunk.expectedOrdId[i]);
            }
        }
    }
}
