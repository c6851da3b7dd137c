package dev.bourse.server.listing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.instrument.SymbolState;
import dev.bourse.server.http.Json;
import dev.bourse.server.shard.SymbolChangeRefused;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The form of a PUT body: known fields only, exact decimal strings, defaults for a listing, kept values for a change. */
class InstrumentRequestTest {
    private static final String FULL = "{\"generation\":7,\"shard\":1,\"state\":\"suspend\",\"spec\":{\"baseCcy\":\"BTC\","
            + "\"quoteCcy\":\"USDT\",\"baseScale\":8,\"quoteScale\":6,\"tickSz\":\"0.10\",\"lotSz\":\"0.0001\",\"minSz\":\"0.0001\","
            + "\"maxSz\":\"1000\",\"refPx\":\"30000.0\",\"priceBandBps\":500,\"breaker\":{\"moveBps\":1000,\"windowMs\":60000},"
            + "\"fees\":{\"maker\":\"-0.0001\",\"taker\":\"0.001\"}}}";

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void aFullBodyReadsCanonically() throws Exception {
        InstrumentRequest r = InstrumentRequest.parse("BTC-USDT", json(FULL));
        assertEquals(7, r.generation());
        assertEquals(1, r.shard());
        assertEquals(SymbolState.HALTED, r.initialState());
        assertEquals("0.1", r.tickSz(), "trailing zeros dropped: stored and compared canonically");
        assertEquals("30000", r.refPx());
        InstrumentSpec s = r.spec(null, 1);
        assertEquals(new InstrumentSpec("BTC-USDT", "BTC", "USDT", "0.1", "0.0001", "0.0001", "1000", 500, "30000", 1000, 60_000,
                "-0.0001", "0.001", 1), s);
    }

    @Test
    void absentOptionalFieldsTakeDefaultsForANewInstrumentAndKeepTheStoredOnes() throws Exception {
        InstrumentRequest r = InstrumentRequest.parse("ETH-USDT", json("{\"shard\":0,\"spec\":{\"baseCcy\":\"ETH\",\"quoteCcy\":"
                + "\"USDT\",\"tickSz\":\"0.01\",\"lotSz\":\"0.001\",\"minSz\":\"0.001\",\"maxSz\":\"100\"}}"));
        assertEquals(0, r.generation());
        assertEquals(SymbolState.TRADING, r.initialState());
        assertNull(r.baseScale());
        InstrumentSpec fresh = r.spec(null, 2);
        assertEquals("0", fresh.refPx());
        assertEquals(0, fresh.bandBps());
        assertEquals(0, fresh.breakerBps());
        assertEquals(InstrumentRequest.DEFAULT_MAKER_FEE, fresh.makerFeeRate());
        assertEquals(InstrumentRequest.DEFAULT_TAKER_FEE, fresh.takerFeeRate());
        InstrumentSpec stored = new InstrumentSpec("ETH-USDT", "ETH", "USDT", "0.05", "0.001", "0.001", "50", 300, "3000", 800,
                30_000, "0.0002", "0.0004", 2);
        InstrumentSpec kept = r.spec(stored, 2);
        assertEquals(300, kept.bandBps());
        assertEquals("3000", kept.refPx());
        assertEquals(800, kept.breakerBps());
        assertEquals(30_000, kept.breakerWindowMillis());
        assertEquals("0.0002", kept.makerFeeRate());
        assertEquals("0.01", kept.tickSz(), "given fields replace the stored ones");
        assertEquals("100", kept.maxSz());
    }

    @Test
    void malformedBodiesAreRefusedNamingTheField() {
        assertRefused("51000", "instId", "btc-usdt", FULL);
        assertRefused("50000", "cannot be empty", "BTC-USDT", "[]");
        assertRefused("51000", "spec.tikSz", "BTC-USDT", FULL.replace("tickSz", "tikSz"));
        assertRefused("51000", "Parameter colour", "BTC-USDT", FULL.replace("\"generation\"", "\"colour\":1,\"generation\""));
        assertRefused("51000", "spec.breaker.move", "BTC-USDT", FULL.replace("moveBps", "move"));
        assertRefused("51000", "spec.fees.fee", "BTC-USDT", FULL.replace("\"maker\"", "\"fee\""));
        assertRefused("50014", "Parameter shard", "BTC-USDT", FULL.replace("\"shard\":1,", ""));
        assertRefused("50014", "spec.tickSz", "BTC-USDT", FULL.replace("\"tickSz\":\"0.10\",", ""));
        assertRefused("51000", "spec.tickSz", "BTC-USDT", FULL.replace("\"0.10\"", "0.1"));
        assertRefused("51000", "spec.tickSz", "BTC-USDT", FULL.replace("\"0.10\"", "\"1e-1\""));
        assertRefused("51000", "spec.minSz", "BTC-USDT", FULL.replace("\"minSz\":\"0.0001\"", "\"minSz\":\"-1\""));
        assertRefused("51000", "generation", "BTC-USDT", FULL.replace("\"generation\":7", "\"generation\":-7"));
        assertRefused("51000", "state", "BTC-USDT", FULL.replace("\"suspend\"", "\"frozen\""));
        assertRefused("51000", "windowMs", "BTC-USDT", FULL.replace(",\"windowMs\":60000", ""));
        assertRefused("51000", "baseCcy-quoteCcy", "ETH-USDT", FULL);
        assertRefused("51000", "priceBandBps", "BTC-USDT", FULL.replace("500", "10000"));
    }

    private static void assertRefused(String code, String fragment, String instId, String body) {
        SymbolChangeRefused e = assertThrows(SymbolChangeRefused.class, () -> InstrumentRequest.parse(instId, json(body)), body);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
