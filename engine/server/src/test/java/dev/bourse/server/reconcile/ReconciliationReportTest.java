package dev.bourse.server.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconciliationReportTest {
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");
    private static final Instant T1 = T0.plusMillis(42);

    @Test
    void cleanReportSummarisesWhatWasChecked() throws Exception {
        ReconciliationReport r = new ReconciliationReport(T0, T1, 10, 12, 5, 1, Map.of(), List.of());
        assertTrue(r.clean());
        assertEquals("reconciliation: CLEAN (10 posting sets, 12 balances, 5 orders, 1 fills checked in 42 ms)",
                r.toText());
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertTrue(json.get("clean").asBoolean());
        assertEquals("2025-01-02T03:04:05Z", json.get("started").asText());
        assertEquals(42, json.get("elapsedMs").asLong());
        assertEquals(12, json.get("checked").get("balances").asLong());
        assertEquals(Check.values().length, json.get("checks").size(), "every check reported, zero or not");
        assertEquals(0, json.get("checks").get("order_holds").asLong());
    }

    @Test
    void anomaliesAreListedOneLinePerAnomaly() throws Exception {
        Anomalies found = new Anomalies();
        found.add(Check.ORDER_FILLS, "order 4", "filled_sz 10", "filled_sz 11");
        found.add(Check.NON_NEGATIVE_BALANCE, "account 10000, asset 0 (BTC), available", ">= 0", -5);
        found.add(Check.NON_NEGATIVE_BALANCE, "account 10001, asset 0 (BTC), held", ">= 0", -1);
        ReconciliationReport r = new ReconciliationReport(T0, T1, 1, 2, 3, 4, found.found(), found.listed());
        assertFalse(r.clean());
        List<String> lines = r.toText().lines().toList();
        assertEquals("reconciliation: 3 ANOMALIES (1 posting sets, 2 balances, 3 orders, 4 fills checked in 42 ms)",
                lines.get(0));
        assertEquals("  order_fills  order 4: expected filled_sz 10, actual filled_sz 11", lines.get(1));
        assertEquals("  non_negative_balance  account 10000, asset 0 (BTC), available: expected >= 0, actual -5",
                lines.get(2));
        assertEquals(4, lines.size());

        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertFalse(json.get("clean").asBoolean());
        assertEquals(3, json.get("anomalyCount").asLong());
        assertEquals(2, json.get("checks").get("non_negative_balance").asLong());
        JsonNode first = json.get("anomalies").get(0);
        assertEquals("order_fills", first.get("check").asText());
        assertEquals("order 4", first.get("subject").asText());
        assertEquals("filled_sz 10", first.get("expected").asText());
        assertEquals("filled_sz 11", first.get("actual").asText());
    }

    @Test
    void oneAnomalyIsSingular() {
        Anomalies found = new Anomalies();
        found.add(Check.ORDER_FILLS, "order 4", 10, 11);
        ReconciliationReport r = new ReconciliationReport(T0, T1, 1, 1, 1, 1, found.found(), found.listed());
        assertTrue(r.toText().startsWith("reconciliation: 1 ANOMALY ("), r.toText());
    }

    /** A systematic fault must not make the report unboundedly large: everything is counted, a sample listed. */
    @Test
    void anomaliesBeyondTheListingLimitAreCountedNotListed() throws Exception {
        Anomalies found = new Anomalies(2);
        for (int i = 0; i < 5; i++) {
            found.add(Check.ORDER_HOLDS, "order " + i, 0, 1);
        }
        found.add(Check.ORDER_FILLS, "order 9", 0, 1);
        ReconciliationReport r = new ReconciliationReport(T0, T1, 0, 0, 6, 0, found.found(), found.listed());
        assertEquals(6, r.anomalyCount());
        assertEquals(3, r.anomalies().size());
        assertEquals(3, r.unlisted());
        assertTrue(r.toText().endsWith("  ... and 3 more not listed"), r.toText());
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertEquals(5, json.get("checks").get("order_holds").asLong());
        assertEquals(3, json.get("unlisted").asLong());
    }
}
