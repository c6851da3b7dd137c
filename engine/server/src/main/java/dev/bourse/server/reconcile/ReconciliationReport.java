package dev.bourse.server.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one reconciliation run.
 *
 * @param started     when the run began (before the snapshot was taken)
 * @param finished    when the last check completed
 * @param postingSets posting sets in the snapshot (distinct posting keys)
 * @param balances    balance rows in the snapshot
 * @param orders      orders in the snapshot
 * @param fills       fills in the snapshot
 * @param perCheck    anomalies found per check, listed or not; every check present
 * @param anomalies   the anomalies listed, at most a fixed number per check (see {@link #unlisted()})
 */
public record ReconciliationReport(Instant started, Instant finished, long postingSets, long balances, long orders,
                                   long fills, Map<Check, Long> perCheck, List<Anomaly> anomalies) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public ReconciliationReport {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
        EnumMap<Check, Long> counts = new EnumMap<>(Check.class);
        for (Check c : Check.values()) {
            counts.put(c, perCheck.getOrDefault(c, 0L));
        }
        perCheck = Collections.unmodifiableMap(counts);
        anomalies = List.copyOf(anomalies);
    }

    /** Every anomaly found, including those not listed. */
    public long anomalyCount() {
        return perCheck.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean clean() {
        return anomalyCount() == 0;
    }

    /** Anomalies found beyond the per-check listing limit. */
    public long unlisted() {
        return anomalyCount() - anomalies.size();
    }

    public Duration elapsed() {
        return Duration.between(started, finished);
    }

    /** The whole report as one JSON object; this is what the reconciliation_reports table stores. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("started", started.toString());
        root.put("finished", finished.toString());
        root.put("elapsedMs", elapsed().toMillis());
        root.put("clean", clean());
        root.put("anomalyCount", anomalyCount());
        ObjectNode checked = root.putObject("checked");
        checked.put("postingSets", postingSets);
        checked.put("balances", balances);
        checked.put("orders", orders);
        checked.put("fills", fills);
        ObjectNode checks = root.putObject("checks");
        perCheck.forEach((check, n) -> checks.put(check.id(), n));
        ArrayNode list = root.putArray("anomalies");
        for (Anomaly a : anomalies) {
            list.addObject()
                    .put("check", a.check().id())
                    .put("subject", a.subject())
                    .put("expected", a.expected())
                    .put("actual", a.actual());
        }
        root.put("unlisted", unlisted());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) { // a tree of strings and numbers always serialises
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code reconciliation: CLEAN (...)}, or {@code reconciliation: 3 ANOMALIES (...)} followed by one
     * line per listed anomaly.
     */
    public String toText() {
        long n = anomalyCount();
        StringBuilder sb = new StringBuilder("reconciliation: ")
                .append(n == 0 ? "CLEAN" : n + (n == 1 ? " ANOMALY" : " ANOMALIES"))
                .append(" (").append(postingSets).append(" posting sets, ").append(balances).append(" balances, ")
                .append(orders).append(" orders, ").append(fills).append(" fills checked in ")
                .append(elapsed().toMillis()).append(" ms)");
        for (Anomaly a : anomalies) {
            sb.append(System.lineSeparator()).append("  ").append(a.toText());
        }
        if (unlisted() > 0) {
            sb.append(System.lineSeparator()).append("  ... and ").append(unlisted()).append(" more not listed");
        }
        return sb.toString();
    }
}
