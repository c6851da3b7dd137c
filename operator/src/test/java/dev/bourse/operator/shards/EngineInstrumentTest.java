package dev.bourse.operator.shards;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.operator.model.SymbolState;
import dev.bourse.operator.model.TradingSymbolSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EngineInstrumentTest {
    static TradingSymbolSpec spec() {
        TradingSymbolSpec s = new TradingSymbolSpec();
        s.instId = "SOL-USDT";
        s.baseCcy = "SOL";
        s.quoteCcy = "USDT";
        s.tickSz = "0.01";
        s.lotSz = "0.001";
        s.minSz = "0.001";
        s.maxSz = "10000";
        s.refPx = "150";
        return s;
    }

    @Test
    void theContractsBodyWithDefaultsAndTheBreakerInMilliseconds() throws Exception {
        TradingSymbolSpec s = spec();
        s.baseScale = 8;
        s.breaker = new TradingSymbolSpec.Breaker();
        s.breaker.moveBps = 1000;
        s.breaker.window = "5m";
        s.fees = new TradingSymbolSpec.Fees();
        s.fees.maker = "-0.0001";
        s.fees.taker = "0.001";
        assertEquals(new ObjectMapper().readTree("""
                {"generation":7,"shard":1,"state":"cancel_only",
                 "spec":{"baseCcy":"SOL","quoteCcy":"USDT","baseScale":8,"tickSz":"0.01","lotSz":"0.001","minSz":"0.001",
                         "maxSz":"10000","refPx":"150","priceBandBps":500,
                         "breaker":{"moveBps":1000,"windowMs":300000},"fees":{"maker":"-0.0001","taker":"0.001"}}}"""),
                norm(EngineInstrument.body(s, 7, 1, SymbolState.CancelOnly)));
        assertFalse(EngineInstrument.body(s, 7, 1, null).has("state"), "the state travels only when listing");
        s.breaker.window = "soon";
        assertThrows(IllegalArgumentException.class, () -> EngineInstrument.body(s, 7, 1, null));
    }

    @Test
    void rowsAndStates() throws Exception {
        var row = EngineInstrument.Row.fromJson(new ObjectMapper().readTree(
                "{\"instId\":\"SOL-USDT\",\"shard\":1,\"generation\":3,\"state\":\"suspend\",\"loaded\":true}"));
        assertEquals(SymbolState.Halted, row.symbolState());
        assertEquals(1, row.shard());
        assertEquals(SymbolState.Trading, EngineInstrument.desiredState(spec()));
    }

    /** Numbers as JSON text reads them (the body holds longs where a parsed text holds ints). */
    private static com.fasterxml.jackson.databind.JsonNode norm(com.fasterxml.jackson.databind.JsonNode n) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(n.toString());
    }
}
