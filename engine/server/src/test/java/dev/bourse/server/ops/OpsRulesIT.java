package dev.bourse.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules of ops/alerts against promtool: they load ({@code promtool check rules}), their unit
 * tests pass ({@code promtool test rules}), every alert has a test in which it fires, the runbook levels
 * and SLO thresholds of §1 are there, every alert links an existing section of docs/runbook.md, and every
 * metric the rules and the dashboards use is documented in docs/metrics.md. The dashboards' PromQL is
 * parsed by promtool too (as recording rules), so a typo in a panel fails here rather than in Grafana.
 *
 * <p>Needs {@code promtool} on the PATH (Debian/Ubuntu package {@code prometheus}; .ci/run installs it) or
 * named by {@code -Dbourse.promtool=/path/to/promtool}.
 */
@Timeout(120)
class OpsRulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static String promtool;
    private static Map<String, OpsFiles.Alert> alerts;

    @TempDir
    Path tmp;

    record Run(int exit, String output) {
    }

    @BeforeAll
    static void locate() {
        root = OpsFiles.root();
        promtool = findPromtool();
        alerts = OpsFiles.alerts(OpsFiles.read(root.resolve("ops/alerts/bourse-rules.yml")));
    }

    private static String findPromtool() {
        String configured = System.getProperty("bourse.promtool");
        if (configured != null && !configured.isBlank()) {
            assertTrue(Files.isExecutable(Path.of(configured)), "-Dbourse.promtool=" + configured + " is not executable");
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError("promtool not found on PATH: install it (Debian/Ubuntu: apt-get install prometheus; "
                + ".ci/run does this) or pass -Dbourse.promtool=/path/to/promtool. The alert rules in ops/alerts "
                + "cannot be validated without it.");
    }

    private static Run promtool(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "promtool did not finish: " + cmd);
        return new Run(p.exitValue(), out);
    }

    @Test
    void rulesLoad() throws Exception {
        Run r = promtool(root, "check", "rules", "ops/alerts/bourse-rules.yml");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("SUCCESS: " + alerts.size() + " rules found"), r.output());
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Path tests = root.resolve("ops/alerts/tests");
        List<String> files = OpsFiles.list(tests, ".yml").stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(files.size() >= 3, "promtool test files in " + tests + ": " + files);
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(files);
        Run r = promtool(tests, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        assertEquals(files.size(), r.output().split("SUCCESS", -1).length - 1, r.output());
    }

    /** Every alert appears in a promtool test with a non-empty exp_alerts, i.e. is shown to fire. */
    @Test
    void everyAlertIsTestedFiring() {
        Pattern firing = Pattern.compile("alertname: (\\w+)\\s*\\n\\s*exp_alerts:\\s*\\n\\s*- exp_labels");
        Pattern quiet = Pattern.compile("alertname: (\\w+)\\s*\\n\\s*exp_alerts: \\[\\]");
        Set<String> fired = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Path f : OpsFiles.list(root.resolve("ops/alerts/tests"), ".yml")) {
            String text = OpsFiles.read(f);
            Matcher m = firing.matcher(text);
            while (m.find()) {
                fired.add(m.group(1));
            }
            m = quiet.matcher(text);
            while (m.find()) {
                silent.add(m.group(1));
            }
        }
        Set<String> untested = new TreeSet<>(alerts.keySet());
        untested.removeAll(fired);
        assertEquals(Set.of(), untested, "alerts no promtool test shows firing");
        Set<String> unknown = new TreeSet<>(fired);
        unknown.addAll(silent);
        unknown.removeAll(alerts.keySet());
        assertEquals(Set.of(), unknown, "tests of alerts that do not exist");
        // a quiet case for most alerts: a healthy series, or the time before the condition held long enough
        assertTrue(silent.size() >= alerts.size() - 2, "alerts without a not-firing case: " + difference(alerts.keySet(), silent));
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void levelsAndSloThresholdsOfTheRunbook() {
        for (OpsFiles.Alert a : alerts.values()) {
            assertTrue(Set.of("P0", "P1", "P2").contains(a.severity()), a.name() + " severity " + a.severity());
            assertTrue(a.summary() != null && !a.summary().isBlank(), a.name() + " summary");
            assertTrue(a.description() != null && a.description().length() > 20, a.name() + " description");
        }
        // §1.1 P0: reconciliation anomaly and negative balance at any value, security events
        assertAlert("BourseReconciliationAnomaly", "P0", "bourse_reconciliation_anomalies) > 0");
        assertAlert("BourseNegativeBalance", "P0", "bourse_negative_balances) > 0");
        assertAlert("BourseAdminPermissionFailureBurst", "P0", "bourse_admin_permission_failures_total");
        assertAlert("BourseSignatureFailureBurst", "P0", "bourse_auth_failures_total");
        // §1 SLOs: matching p99 10 ms per symbol, WS push p99 50 ms
        assertAlert("BourseMatchingLatencyHigh", "P1", "histogram_quantile(0.99, sum by (le, shard, symbol)");
        assertAlert("BourseMatchingLatencyHigh", "P1", "> 0.010");
        assertAlert("BourseWsPushLatencyHigh", "P2", "histogram_quantile(0.99");
        assertAlert("BourseWsPushLatencyHigh", "P2", "> 0.050");
        // §1.1 P1: matching unavailable / mass rejects, clearing backlog
        assertAlert("BourseShardNotReady", "P1", "bourse_shard_ready");
        assertAlert("BourseMassRejects", "P1", "bourse_commands_total");
        assertAlert("BourseClearingBacklog", "P1", "bourse_batch_commit_seconds");
        // §1.1 P2: market-data disconnects, breaker oscillation
        assertAlert("BourseWsDisconnectRateHigh", "P2", "bourse_ws_disconnects_total");
        assertAlert("BourseBreakerOscillation", "P2", "bourse_breaker_trips_total");
        // §4 D wallet
        assertAlert("BourseWalletPayoutFailures", "P1", "bourse_wallet_payout_failures_total");
        assertAlert("BourseWalletOnchainDifference", "P0", "bourse_wallet_onchain_difference");
    }

    private static void assertAlert(String name, String severity, String exprFragment) {
        OpsFiles.Alert a = alerts.get(name);
        assertNotNull(a, "alert " + name);
        assertEquals(severity, a.severity(), name);
        assertTrue(a.expr().replaceAll("\\s+", " ").contains(exprFragment), name + ": " + a.expr());
    }

    @Test
    void everyAlertLinksAnExistingRunbookSection() {
        Set<String> anchors = OpsFiles.anchors(OpsFiles.read(root.resolve("docs/runbook.md")));
        for (OpsFiles.Alert a : alerts.values()) {
            String url = a.runbookUrl();
            assertNotNull(url, a.name() + " runbook_url");
            assertTrue(url.startsWith("docs/runbook.md#"), a.name() + ": " + url);
            String anchor = url.substring(url.indexOf('#') + 1);
            assertTrue(anchors.contains(anchor), a.name() + " links #" + anchor + ", docs/runbook.md has " + anchors);
        }
    }

    @Test
    void everyMetricUsedIsDocumented() throws IOException {
        String doc = OpsFiles.read(root.resolve("docs/metrics.md"));
        Set<String> used = new TreeSet<>(OpsFiles.metricNames(OpsFiles.read(root.resolve("ops/alerts/bourse-rules.yml"))));
        for (Path d : OpsFiles.list(root.resolve("ops/dashboards"), ".json")) {
            used.addAll(OpsFiles.metricNames(OpsFiles.read(d)));
        }
        assertTrue(used.size() > 40, used.toString());
        assertEquals(List.of(), OpsFiles.undocumented(used, doc), "used in ops/alerts or ops/dashboards, not in docs/metrics.md");
        // the runbook's diagnosis steps name metrics too
        assertEquals(List.of(), OpsFiles.undocumented(OpsFiles.metricNames(OpsFiles.read(root.resolve("docs/runbook.md"))), doc),
                "used in docs/runbook.md, not in docs/metrics.md");
    }

    /** Each panel query, with the template variables filled in, must parse as PromQL. */
    @Test
    void dashboardQueriesParse() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (Path d : OpsFiles.list(root.resolve("ops/dashboards"), ".json")) {
            for (JsonNode panel : JSON.readTree(d.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText().replace("$shard", ".*").replace("$symbol", ".*");
                    rules.append("      - record: dashboard_query_").append(n++).append("\n        expr: ")
                            .append(JSON.writeValueAsString(expr)).append('\n');
                }
            }
        }
        assertTrue(n > 40, "dashboard queries: " + n);
        Path file = tmp.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        Run r = promtool(tmp, "check", "rules", file.getFileName().toString());
        assertEquals(0, r.exit(), r.output());
    }
}
