package dev.bourse.bench;

import exchange.core2.core.common.CoreWaitStrategy;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A short replay of one stream through both engines: nothing refused, the same trades. */
class ReplayBothEnginesTest {

    @Test
    void bothEnginesAcceptEveryCommandAndTradeIdentically() {
        MarketSpec spec = new MarketSpec(3, 300);
        CommandStream s = StreamGenerator.generate(spec, 30_000, 5, 200);
        CommandStream.Stats st = s.measuredStats();
        assertTrue(st.trading > 0);

        BourseRunner bourse = new BourseRunner(s);
        bourse.reset();
        BourseRunner.Result b = bourse.runThroughput();
        assertEquals(0, b.rejects());
        bourse.reset();
        Histogram bh = new Histogram(CompareHarness.HIGHEST_NANOS, 3);
        assertEquals(0, bourse.runLatency(300_000, bh).rejects());
        assertEquals(s.measuredCount(), bh.getTotalCount());

        try (ExchangeCoreRunner ec = new ExchangeCoreRunner(CoreWaitStrategy.BLOCKING, 256)) {
            ec.load(s);
            ExchangeCoreRunner.Result r = ec.runThroughput();
            assertEquals(s.measuredCount(), r.commands());
            assertEquals(0, r.nonSuccess(), () -> "exchange-core result codes " + r.codes());
            assertEquals(Map.of(), r.codes());
            assertEquals(0, r.fillMismatches(), "every command trades exactly as in the Bourse core");
            assertEquals(st.trading, r.tradingCommands());
            assertEquals(st.fills, r.fills());

            ec.load(s); // the RESET path, then a paced run
            Histogram h = new Histogram(CompareHarness.HIGHEST_NANOS, 3);
            ExchangeCoreRunner.Result paced = ec.runLatency(100_000, h);
            assertEquals(0, paced.nonSuccess());
            assertEquals(0, paced.fillMismatches());
            assertEquals(s.measuredCount(), h.getTotalCount());
        }
    }
}
