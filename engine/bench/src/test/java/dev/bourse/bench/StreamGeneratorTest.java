package dev.bourse.bench;

import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.RejectReason;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamGeneratorTest {

    @Test
    void packedRecordsCarryTheSameCommands() {
        CommandStream s = StreamGenerator.generate(new MarketSpec(100, 10_000), 20_000, 3, 50);
        assertEquals(s.length * CommandStream.WORDS, s.packed.length);
        for (int i = 0; i < s.length; i++) {
            int b = i * CommandStream.WORDS;
            long h = s.packed[b];
            assertEquals(s.type[i], CommandStream.type(h), "type of " + i);
            assertEquals(s.side[i], CommandStream.side(h), "side of " + i);
            assertEquals(s.orderType[i], CommandStream.orderType(h), "orderType of " + i);
            assertEquals(s.symbol[i], CommandStream.symbol(h), "symbol of " + i);
            assertEquals(s.user[i], CommandStream.user(h), "user of " + i);
            assertEquals(s.orderId[i], s.packed[b + 1], "orderId of " + i);
            boolean place = s.type[i] == CommandStream.PLACE;
            assertEquals(place ? s.price[i] : s.newPrice[i], s.packed[b + 2], "price of " + i);
            assertEquals(place ? s.size[i] : s.newSize[i], s.packed[b + 3], "size of " + i);
        }
    }

    @Test
    void sameSeedGivesIdenticalArrays() {
        MarketSpec spec = new MarketSpec(5, 500);
        CommandStream a = StreamGenerator.generate(spec, 40_000, 7, 200);
        CommandStream b = StreamGenerator.generate(new MarketSpec(5, 500), 40_000, 7, 200);
        assertEquals(a.length, b.length);
        assertEquals(a.measureFrom, b.measureFrom);
        assertTrue(Arrays.equals(a.type, b.type));
        assertTrue(Arrays.equals(a.user, b.user));
        assertTrue(Arrays.equals(a.symbol, b.symbol));
        assertTrue(Arrays.equals(a.side, b.side));
        assertTrue(Arrays.equals(a.orderType, b.orderType));
        assertTrue(Arrays.equals(a.price, b.price));
        assertTrue(Arrays.equals(a.size, b.size));
        assertTrue(Arrays.equals(a.orderId, b.orderId));
        assertTrue(Arrays.equals(a.newPrice, b.newPrice));
        assertTrue(Arrays.equals(a.newSize, b.newSize));
        assertTrue(Arrays.equals(a.traded, b.traded));
        assertTrue(Arrays.equals(a.fills, b.fills));

        CommandStream c = StreamGenerator.generate(spec, 40_000, 8, 200);
        assertFalse(Arrays.equals(a.user, c.user) && Arrays.equals(a.price, c.price), "another seed, another stream");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100})
    void mixIsCloseToTheExchangeCoreMix(int symbols) {
        CommandStream s = StreamGenerator.generate(new MarketSpec(symbols, 10_000), 300_000, 3, 1000);
        CommandStream.Stats st = s.measuredStats();
        assertEquals(300_000, st.total);
        // nominal 9 / 3 / 6 / 82 with ~6 % trading; see StreamGenerator for why GTC/cancel drift slightly
        assertEquals(9.0, st.pct(st.gtc), 0.75, st::toString);
        assertEquals(3.0, st.pct(st.ioc), 0.3, st::toString);
        assertEquals(6.0, st.pct(st.cancel), 0.75, st::toString);
        assertEquals(82.0, st.pct(st.move), 0.5, st::toString);
        assertEquals(6.0, st.pct(st.trading), 0.75, st::toString);
        assertTrue(s.substituted < 0.01 * st.total, () -> "substituted " + s.substituted);
        // the preload only builds books
        CommandStream.Stats pre = s.stats(0, s.measureFrom);
        assertEquals(pre.total, pre.gtc);
        assertEquals(0, pre.trading);
    }

    /**
     * Replays the stream through a fresh Bourse core and checks, command by command, that every cancel
     * and move targets a resting order of that user and symbol, that every place gets the id the stream
     * says, that prices and sizes are on the grid, and that nothing is rejected.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 100})
    void cancelsAndMovesReferenceLiveOrdersAndNothingIsRejected(int symbols) {
        MarketSpec spec = new MarketSpec(symbols, 2_000);
        CommandStream s = StreamGenerator.generate(spec, 100_000, 11, 300);
        BourseRunner runner = new BourseRunner(s);
        runner.reset(); // preload
        MatchingEngine e = runner.engine();
        for (int i = s.measureFrom; i < s.length; i++) {
            int sym = s.symbol[i];
            switch (s.type[i]) {
                case CommandStream.PLACE -> {
                    assertEquals(0, s.price[i] % spec.instrument(sym).tickSize(), "price on tick");
                    assertEquals(0, s.size[i] % spec.instrument(sym).lotSize(), "size on lot");
                    assertTrue(s.size[i] >= spec.instrument(sym).minSize());
                    assertTrue(s.price[i] >= spec.minTicks(sym) && s.price[i] <= spec.maxTicks(sym));
                    assertEquals(e.lastOrderId() + 1, s.orderId[i], "the stream's id is the engine's next id");
                }
                case CommandStream.CANCEL, CommandStream.MOVE -> {
                    OrderView o = e.liveOrder(s.orderId[i]);
                    assertNotNull(o, () -> "command references a live order");
                    assertEquals(s.user[i], o.userId());
                    assertEquals(sym, o.symbolId());
                    assertEquals(s.side[i] == CommandStream.BUY ? Side.BUY : Side.SELL, o.side());
                    if (s.type[i] == CommandStream.MOVE) {
                        assertTrue(s.newPrice[i] != o.price(), "a move changes the price");
                        assertEquals(0, s.newPrice[i] % spec.instrument(sym).tickSize());
                        assertEquals(0, s.newSize[i]);
                    }
                }
                default -> throw new AssertionError("bad type " + s.type[i]);
            }
            RejectReason r = runner.execute(i);
            assertNull(r, () -> "command rejected: " + r);
        }
    }
}
