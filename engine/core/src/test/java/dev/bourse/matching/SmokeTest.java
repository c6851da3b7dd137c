package dev.bourse.matching;

import dev.bourse.asset.Asset;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @Test
    void limitOrdersCrossAndSettle() {
        Asset btc = new Asset(0, "BTC", 8);
        Asset usdt = new Asset(1, "USDT", 6);
        Instrument ins = Instrument.builder("BTC-USDT", btc, usdt).tickSize("0.1").lotSize("0.00001")
                .minSize("0.00001").maxSize("1000").bandBps(1000).referencePrice("50000").fees("0.0002", "0.0005").build();
        InMemoryBalances bal = new InMemoryBalances(2);
        bal.deposit(1, 1, 1_000_000_000_000L);
        bal.deposit(2, 0, 10_000_000_000L);
        EventRecorder rec = new EventRecorder();
        MatchingEngine e = new MatchingEngine(bal, rec);
        int s = e.addInstrument(ins);
        Command c = new Command();
        assertNull(e.execute(c.place(2, s, Side.SELL, OrderType.LIMIT, 500000, 100_000_000, "a1", StpMode.CANCEL_MAKER, 1)));
        assertNull(e.execute(c.place(1, s, Side.BUY, OrderType.LIMIT, 500010, 50_000_000, null, null, 2)));
        assertEquals(1, rec.linesStartingWith("fill").size());
        // buyer paid 0.5 * 50000 = 25000 USDT, received 0.5 BTC minus 0.05 % taker fee
        assertEquals(50_000_000 - 25_000, bal.available(1, 0));
        assertEquals(1_000_000_000_000L - 25_000_000_000L, bal.available(1, 1));
        assertEquals(25_000_000_000L - 5_000_000, bal.available(2, 1));
        assertEquals(50_000_000, bal.held(2, 0));
        assertEquals(25_000, bal.available(0, 0));
        assertEquals(5_000_000, bal.available(0, 1));
        for (var p : rec.postingSets()) {
            assertTrue(p.balanced());
        }
    }
}
