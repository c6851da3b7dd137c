package dev.bourse.operator.roller;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RolloutStateTest {
    private static final Instant T0 = Instant.parse("2025-06-01T02:00:00.250Z");

    @Test
    void theStateRoundTripsThroughTheAnnotations() {
        RolloutState s = new RolloutState(RolloutPhase.Reconciling, "bourse-engine-1", "bourse-engine-7d9", T0,
                T0.plusSeconds(40), "checking the ledger", "rollout-drain-shard-1", "bourse-engine-7d9-shard-1-x");
        Map<String, String> written = s.changesFrom(RolloutState.NONE);
        assertEquals("Reconciling", written.get("trading.bourse.dev/rollout-phase"));
        assertEquals("2025-06-01T02:00:40.250Z", written.get("trading.bourse.dev/rollout-step-started"));
        assertEquals(s, RolloutState.of(sts(written)));
    }

    @Test
    void onlyChangesAreWrittenAndClearedFieldsAreRemoved() {
        RolloutState draining = new RolloutState(RolloutPhase.Draining, "bourse-engine-0", "r2", T0, T0, "draining",
                "rollout-drain-shard-0", null);
        RolloutState done = new RolloutState(RolloutPhase.Done, null, "r2", T0, null, "every pod runs revision r2",
                null, null);
        Map<String, String> patch = done.changesFrom(draining);
        assertEquals("Done", patch.get(RolloutState.PHASE));
        assertTrue(patch.containsKey(RolloutState.POD) && patch.get(RolloutState.POD) == null, "removed: " + patch);
        assertTrue(patch.containsKey(RolloutState.DRAIN_SWITCH) && patch.get(RolloutState.DRAIN_SWITCH) == null);
        assertTrue(!patch.containsKey(RolloutState.REVISION) && !patch.containsKey(RolloutState.STARTED), "unchanged");
        assertEquals(Map.of(), done.changesFrom(done));
    }

    @Test
    void anUnknownPhaseStopsTheRoller() {
        RolloutState s = RolloutState.of(sts(Map.of(RolloutState.PHASE, "Rolling", RolloutState.POD, "bourse-engine-1")));
        assertEquals(RolloutPhase.Blocked, s.phase());
        assertTrue(s.message().contains("unknown trading.bourse.dev/rollout-phase 'Rolling'"), s.message());
        assertEquals(RolloutState.NONE, RolloutState.of(sts(Map.of())));
        assertNull(RolloutState.of(sts(Map.of(RolloutState.STARTED, "yesterday"))).started(), "unreadable time");
    }

    @Test
    void podOrdinalsComeFromTheirNames() {
        assertEquals(2, EnginePods.ordinal("bourse-engine", "bourse-engine-2").orElseThrow());
        assertTrue(EnginePods.ordinal("bourse-engine", "bourse-engine-canary-0").isEmpty());
        assertTrue(EnginePods.ordinal("bourse-engine", "other-1").isEmpty());
        assertTrue(EnginePods.ordinal("bourse-engine", null).isEmpty());
    }

    @Test
    void settingsComeFromTheEnvironment() {
        RolloutSettings d = RolloutSettings.fromEnvironment(Map.of());
        assertEquals(new RolloutSettings("bourse-engine", Duration.ofMinutes(10), Duration.ofSeconds(2)), d);
        RolloutSettings s = RolloutSettings.fromEnvironment(Map.of("ENGINE_STATEFULSET", "eng",
                "ROLLOUT_STEP_TIMEOUT", "90s", "ROLLOUT_POLL_INTERVAL", "500ms"));
        assertEquals(new RolloutSettings("eng", Duration.ofSeconds(90), Duration.ofMillis(500)), s);
        assertEquals(Duration.ofHours(1), RolloutSettings.duration("X", "1h"));
        assertEquals("10m", RolloutSettings.format(Duration.ofMinutes(10)));
        assertEquals("90s", RolloutSettings.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", RolloutSettings.format(Duration.ofMillis(1500)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RolloutSettings.fromEnvironment(Map.of("ROLLOUT_STEP_TIMEOUT", "ten minutes")));
        assertTrue(e.getMessage().contains("ROLLOUT_STEP_TIMEOUT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RolloutSettings.fromEnvironment(
                Map.of("ROLLOUT_POLL_INTERVAL", "0s")));
    }

    private static StatefulSet sts(Map<String, String> annotations) {
        return new StatefulSetBuilder().withNewMetadata().withName("bourse-engine")
                .withAnnotations(new HashMap<>(annotations)).endMetadata().build();
    }
}
