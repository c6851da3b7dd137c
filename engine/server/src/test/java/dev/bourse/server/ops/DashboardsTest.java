package dev.bourse.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana boards of ops/dashboards: each file is a dashboard Grafana can import (schema 39, a
 * Prometheus data-source input, shard and symbol variables, panels on a valid grid), and together they
 * are the four boards of runbook §2.1 with what each must show.
 */
class DashboardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Board uid → metrics its panels must query (runbook §2.1; funds safety also carries the wallet row). */
    private static final Map<String, List<String>> BOARDS = Map.of(
            "bourse-trading-core", List.of("bourse_order_latency_seconds_bucket", "bourse_batch_commit_seconds",
                    "bourse_commands_total", "bourse_order_rejects_total", "bourse_ws_push_latency_seconds_bucket"),
            "bourse-hot-symbols", List.of("bourse_symbol_commands_total", "bourse_symbol_queue_length",
                    "bourse_symbol_halted", "bourse_breaker_trips_total"),
            "bourse-funds-safety", List.of("bourse_reconciliation_anomalies", "bourse_negative_balances",
                    "bourse_ledger_write_failures_total", "bourse_batch_conflicts_total", "bourse_dedup_hits_total",
                    "bourse_wallet_deposits_pending", "bourse_wallet_withdrawals_pending",
                    "bourse_wallet_payout_failures_total", "bourse_wallet_onchain_difference",
                    "bourse_wallet_deposit_confirmation_lag_seconds_sum"),
            "bourse-risk", List.of("bourse_price_protection_hits_total", "bourse_rate_limit_hits_total",
                    "bourse_stp_hits_total"));

    private static Map<String, JsonNode> boards() throws IOException {
        Map<String, JsonNode> byUid = new HashMap<>();
        for (Path p : OpsFiles.list(OpsFiles.root().resolve("ops/dashboards"), ".json")) {
            JsonNode d = JSON.readTree(p.toFile()); // fails on malformed JSON
            String uid = d.path("uid").asText();
            assertFalse(byUid.containsKey(uid), "uid " + uid + " used twice");
            assertEquals(uid + ".json", p.getFileName().toString(), "file named after its uid");
            byUid.put(uid, d);
        }
        return byUid;
    }

    @Test
    void theFourBoardsOfTheRunbookShowWhatTheyMust() throws IOException {
        Map<String, JsonNode> boards = boards();
        assertEquals(BOARDS.keySet(), boards.keySet());
        for (Map.Entry<String, List<String>> e : BOARDS.entrySet()) {
            StringBuilder exprs = new StringBuilder();
            for (JsonNode panel : boards.get(e.getKey()).path("panels")) {
                for (JsonNode t : panel.path("targets")) {
                    exprs.append(t.path("expr").asText()).append('\n');
                }
            }
            for (String metric : e.getValue()) {
                assertTrue(exprs.toString().contains(metric), e.getKey() + " queries " + metric);
            }
        }
    }

    @Test
    void everyBoardImportsIntoGrafana() throws IOException {
        for (Map.Entry<String, JsonNode> e : boards().entrySet()) {
            String uid = e.getKey();
            JsonNode d = e.getValue();
            assertTrue(d.path("title").asText().startsWith("Bourse / "), uid);
            assertEquals(39, d.path("schemaVersion").asInt(), uid);
            assertEquals("DS_PROMETHEUS", d.path("__inputs").path(0).path("name").asText(), uid);
            assertEquals("prometheus", d.path("__inputs").path(0).path("pluginId").asText(), uid);
            Set<String> vars = new HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                vars.add(v.path("name").asText());
                assertEquals("${DS_PROMETHEUS}", v.path("datasource").path("uid").asText(), uid + " variable datasource");
            }
            assertEquals(Set.of("shard", "symbol"), vars, uid);

            Set<Integer> ids = new HashSet<>();
            int queries = 0;
            for (JsonNode p : d.path("panels")) {
                assertTrue(ids.add(p.path("id").asInt()), uid + ": panel id " + p.path("id") + " twice");
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt(-1);
                int w = g.path("w").asInt(0);
                assertTrue(x >= 0 && w > 0 && x + w <= 24 && g.path("h").asInt(0) > 0 && g.path("y").asInt(-1) >= 0,
                        uid + ": " + p.path("title") + " grid " + g);
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertEquals("${DS_PROMETHEUS}", p.path("datasource").path("uid").asText(), uid + ": " + p.path("title"));
                assertFalse(p.path("targets").isEmpty(), uid + ": " + p.path("title") + " has no query");
                for (JsonNode t : p.path("targets")) {
                    assertFalse(t.path("expr").asText().isBlank(), uid + ": " + p.path("title"));
                    queries++;
                }
            }
            assertTrue(queries >= 8, uid + " queries: " + queries);
        }
    }

    /** Panels on a board do not overlap (Grafana would shove them around on import). */
    @Test
    void panelsDoNotOverlap() throws IOException {
        for (Map.Entry<String, JsonNode> e : boards().entrySet()) {
            List<JsonNode> panels = new java.util.ArrayList<>();
            e.getValue().path("panels").forEach(panels::add);
            for (int i = 0; i < panels.size(); i++) {
                for (int j = i + 1; j < panels.size(); j++) {
                    JsonNode a = panels.get(i).path("gridPos");
                    JsonNode b = panels.get(j).path("gridPos");
                    boolean overlap = a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                            && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                            && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                            && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
                    assertFalse(overlap, e.getKey() + ": " + panels.get(i).path("title") + " overlaps "
                            + panels.get(j).path("title"));
                }
            }
        }
    }
}
