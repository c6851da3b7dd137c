package dev.bourse.operator.switches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.operator.engine.EnginePod;
import dev.bourse.operator.engine.EngineStatus;
import dev.bourse.operator.engine.ShardReport;
import dev.bourse.operator.model.SwitchMode;
import dev.bourse.operator.model.TradingSwitchSpec;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineSwitchTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static TradingSwitchSpec spec() {
        TradingSwitchSpec s = new TradingSwitchSpec();
        s.scope = new TradingSwitchSpec.Scope();
        s.reason = "why";
        return s;
    }

    @Test
    void theEngineGetsWireNamesAndOnlyWhatIsSet() throws Exception {
        TradingSwitchSpec s = spec();
        s.scope.symbols = List.of("BTC-USDT", "ETH-USDT");
        s.mode = SwitchMode.PauseOrders;
        s.rateLimit = new TradingSwitchSpec.RateLimit();
        s.rateLimit.factor = "0.25";
        s.priceBandBps = 200;
        s.disabledOrdTypes = List.of("market");
        s.haltWithdrawals = false;
        s.drain = true;
        JsonNode expected = MAPPER.readTree("""
                {"scope":{"symbols":["BTC-USDT","ETH-USDT"]},"mode":"pause_orders","rateLimit":{"factor":"0.25"},
                 "priceBandBps":200,"disabledOrdTypes":["market"],"drain":true,"reason":"why","generation":7}""");
        assertEquals(expected, norm(EngineSwitch.body(s, 7)));
        assertTrue(EngineSwitch.symbolScoped(s));
    }

    @Test
    void modeDefaultsToNormalAndEveryScopeKindMaps() throws Exception {
        TradingSwitchSpec s = spec();
        s.scope.global = true;
        s.haltWithdrawals = true;
        assertEquals(MAPPER.readTree("{\"scope\":{\"global\":true},\"mode\":\"normal\",\"haltWithdrawals\":true,"
                + "\"reason\":\"why\",\"generation\":1}"), norm(EngineSwitch.body(s, 1)));
        s.scope.global = null;
        s.scope.users = List.of(10001L);
        assertEquals(MAPPER.readTree("{\"users\":[10001]}"), norm(EngineSwitch.body(s, 1)).get("scope"));
        s.scope.users = null;
        s.scope.assets = List.of("USDT");
        s.mode = SwitchMode.ReadOnly;
        assertEquals("read_only", EngineSwitch.body(s, 1).get("mode").asText());
        assertFalse(EngineSwitch.symbolScoped(s));
    }

    private static ShardReport report(int shard, long applied, int queue, int inFlight, List<String> symbols) {
        EnginePod pod = new EnginePod(shard, "bourse-engine-" + shard, true, true, URI.create("http://x"));
        EngineStatus st = new EngineStatus(shard, 1, true, true, false, queue, inFlight, 10, applied, applied, 9, true,
                false, List.of(), symbols, Map.of());
        return new ShardReport(pod, st, null);
    }

    @Test
    void appliedNeedsEveryShardAndDrainedEveryAffectedShardIdle() {
        TradingSwitchSpec s = spec();
        s.scope.global = true;
        SwitchProgress p = SwitchProgress.of(s, 5, List.of(report(0, 5, 0, 0, List.of("BTC-USDT")),
                report(1, 4, 0, 0, List.of("ETH-USDT"))));
        assertFalse(p.applied());
        assertEquals(List.of(1), p.unconfirmed());
        assertFalse(p.drained(), "a shard that does not enforce the switch yet is not drained");
        assertTrue(p.describeUndrained().contains("shard 1: not enforcing"));

        p = SwitchProgress.of(s, 5, List.of(report(0, 5, 3, 1, List.of("BTC-USDT")), report(1, 6, 0, 0, List.of())));
        assertTrue(p.applied());
        assertEquals(List.of(0), p.undrained());
        assertTrue(p.describeUndrained().contains("queue 3"), p.describeUndrained());

        p = SwitchProgress.of(s, 5, List.of(report(0, 5, 0, 0, List.of()), report(1, 5, 0, 0, List.of())));
        assertTrue(p.applied() && p.drained());
        assertEquals(List.of(0, 1), p.affected());
    }

    @Test
    void aSymbolsScopeDrainsOnlyTheOwnersAndAnUnreachableShardCounts() {
        TradingSwitchSpec s = spec();
        s.scope.symbols = List.of("ETH-USDT");
        SwitchProgress p = SwitchProgress.of(s, 5, List.of(report(0, 5, 7, 1, List.of("BTC-USDT")),
                report(1, 5, 0, 0, List.of("ETH-USDT"))));
        assertEquals(List.of(1), p.affected());
        assertTrue(p.drained(), "shard 0's queue is not the switch's business");

        EnginePod down = new EnginePod(1, "bourse-engine-1", true, false, URI.create("http://x"));
        p = SwitchProgress.of(s, 5, List.of(report(0, 5, 0, 0, List.of("BTC-USDT")),
                new ShardReport(down, null, "connection refused")));
        assertFalse(p.applied());
        assertFalse(p.drained(), "a shard we cannot read may own the symbol");
        assertEquals(List.of("connection refused"), p.problems());
        assertTrue(p.describeUndrained().contains("not reachable"));
    }

    /** Numbers as JSON text reads them (the body holds longs where a parsed text holds ints). */
    private static com.fasterxml.jackson.databind.JsonNode norm(com.fasterxml.jackson.databind.JsonNode n) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(n.toString());
    }
}
