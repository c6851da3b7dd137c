package dev.bourse.operator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorConfigTest {
    private static final String TOKEN = "a-long-internal-token-7f3e";

    private static OperatorConfig config(Map<String, String> env) {
        return OperatorConfig.fromEnvironment(env::get);
    }

    @Test
    void defaultsAreTheChartsNames() {
        OperatorConfig c = config(Map.of("INTERNAL_TOKEN", TOKEN, "POD_NAMESPACE", "exchange", "POD_NAME", "op-1"));
        assertEquals(Set.of("exchange"), c.watchNamespaces(), "WATCH_NAMESPACE defaults to POD_NAMESPACE");
        assertEquals("bourse-engine", c.engineStatefulSet());
        assertEquals("bourse-engine", c.engineService());
        assertEquals(8080, c.enginePort());
        assertEquals(OperatorConfig.DEFAULT_URL_TEMPLATE, c.engineUrlTemplate());
        assertEquals(8081, c.httpPort());
        assertTrue(c.leaderElection());
        assertEquals("bourse-operator", c.leaseName());
        assertEquals(Duration.ofSeconds(30), c.reconcileInterval());
        assertEquals("op-1", c.podName());
    }

    @Test
    void anEmptyWatchNamespaceMeansAllAndAListIsSplit() {
        assertTrue(config(Map.of("INTERNAL_TOKEN", TOKEN, "POD_NAMESPACE", "x", "WATCH_NAMESPACE", "")).watchesAllNamespaces());
        assertEquals(Set.of("a", "b"), config(Map.of("INTERNAL_TOKEN", TOKEN, "WATCH_NAMESPACE", "a, b")).watchNamespaces());
        assertTrue(config(Map.of("INTERNAL_TOKEN", TOKEN)).watchesAllNamespaces(), "outside a cluster: all");
    }

    @Test
    void everyProblemIsReportedAtOnceWithoutTheToken() {
        Map<String, String> env = new HashMap<>();
        env.put("INTERNAL_TOKEN", "short");
        env.put("ENGINE_PORT", "80800");
        env.put("RECONCILE_INTERVAL", "30");
        env.put("LEADER_ELECTION", "maybe");
        env.put("ENGINE_URL_TEMPLATE", "ftp://{pod}");
        env.put("WATCH_NAMESPACE", "Bad_Namespace");
        OperatorConfig.InvalidConfigException e = assertThrows(OperatorConfig.InvalidConfigException.class,
                () -> config(env));
        assertEquals(6, e.problems().size(), e.getMessage());
        assertFalse(e.getMessage().contains("short\n"), "the token's value is never printed");
        assertTrue(e.getMessage().contains("RECONCILE_INTERVAL"));
        OperatorConfig.InvalidConfigException missing = assertThrows(OperatorConfig.InvalidConfigException.class,
                () -> config(Map.of()));
        assertTrue(missing.getMessage().contains("INTERNAL_TOKEN is required"));
    }

    @Test
    void intervalBoundsAndTheToStringKeepsTheSecret() {
        assertThrows(OperatorConfig.InvalidConfigException.class,
                () -> config(Map.of("INTERNAL_TOKEN", TOKEN, "RECONCILE_INTERVAL", "500ms")));
        OperatorConfig c = config(Map.of("INTERNAL_TOKEN", TOKEN, "RECONCILE_INTERVAL", "1m30s", "POD_NAMESPACE", "ns"));
        assertEquals(Duration.ofSeconds(90), c.reconcileInterval());
        assertFalse(c.toString().contains(TOKEN));
        assertNull(config(Map.of("INTERNAL_TOKEN", TOKEN)).podNamespace());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
        assertEquals(Duration.ofHours(36), Durations.parse("1d12h"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("PT45S"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("30"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5 s"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("s"));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    }
}
