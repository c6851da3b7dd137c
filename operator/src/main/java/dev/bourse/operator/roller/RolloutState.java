package dev.bourse.operator.roller;

import dev.bourse.operator.model.BourseResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The roller's state, kept in annotations on the StatefulSet so that it survives an operator restart and a person
 * can read (and clear) it with kubectl.
 *
 * @param phase          the current step; null when no rollout ever ran, or after a person cleared a block
 * @param pod            the pod being rolled
 * @param revision       the revision being rolled out
 * @param started        when this rollout started
 * @param stepStarted    when the current step started (its timeout counts from here)
 * @param message        what the roller is doing or waiting for, or why it is blocked
 * @param drainSwitch    the drain switch of the pod's shard; {@link #NO_SWITCH} when the shard had no symbol to drain
 * @param reconciliation the LedgerReconciliation of the pod's step
 */
public record RolloutState(RolloutPhase phase, String pod, String revision, Instant started, Instant stepStarted,
                           String message, String drainSwitch, String reconciliation) {
    public static final String PREFIX = BourseResource.PREFIX + "rollout-";
    public static final String PHASE = PREFIX + "phase";
    public static final String POD = PREFIX + "pod";
    public static final String REVISION = PREFIX + "revision";
    public static final String STARTED = PREFIX + "started";
    public static final String STEP_STARTED = PREFIX + "step-started";
    public static final String MESSAGE = PREFIX + "message";
    public static final String DRAIN_SWITCH = PREFIX + "drain-switch";
    public static final String RECONCILIATION = PREFIX + "reconciliation";
    /** {@link #drainSwitch} when the shard ran no symbol, so nothing needed draining. */
    public static final String NO_SWITCH = "none";

    public static final RolloutState NONE = new RolloutState(null, null, null, null, null, null, null, null);

    /**
     * Reads the annotations. An unknown phase reads as {@link RolloutPhase#Blocked}: a hand-edited value the roller
     * does not understand must stop it, not restart it.
     */
    public static RolloutState of(StatefulSet sts) {
        Map<String, String> a = sts.getMetadata().getAnnotations() == null ? Map.of() : sts.getMetadata().getAnnotations();
        RolloutPhase phase = null;
        String message = a.get(MESSAGE);
        String p = a.get(PHASE);
        if (p != null && !p.isBlank()) {
            try {
                phase = RolloutPhase.valueOf(p.strip());
            } catch (IllegalArgumentException e) {
                phase = RolloutPhase.Blocked;
                message = "unknown " + PHASE + " '" + p + "'";
            }
        }
        return new RolloutState(phase, blankToNull(a.get(POD)), blankToNull(a.get(REVISION)), instant(a.get(STARTED)),
                instant(a.get(STEP_STARTED)), message, blankToNull(a.get(DRAIN_SWITCH)),
                blankToNull(a.get(RECONCILIATION)));
    }

    /** The annotations that turn {@code before} into this state; a null value removes the annotation. */
    public Map<String, String> changesFrom(RolloutState before) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, PHASE, before.phase == null ? null : before.phase.name(), phase == null ? null : phase.name());
        put(out, POD, before.pod, pod);
        put(out, REVISION, before.revision, revision);
        put(out, STARTED, str(before.started), str(started));
        put(out, STEP_STARTED, str(before.stepStarted), str(stepStarted));
        put(out, MESSAGE, before.message, message);
        put(out, DRAIN_SWITCH, before.drainSwitch, drainSwitch);
        put(out, RECONCILIATION, before.reconciliation, reconciliation);
        return out;
    }

    RolloutState withPhase(RolloutPhase p, Instant stepStart, String msg) {
        return new RolloutState(p, pod, revision, started, stepStart, msg, drainSwitch, reconciliation);
    }

    RolloutState withMessage(String msg) {
        return new RolloutState(phase, pod, revision, started, stepStarted, msg, drainSwitch, reconciliation);
    }

    RolloutState withDrainSwitch(String name) {
        return new RolloutState(phase, pod, revision, started, stepStarted, message, name, reconciliation);
    }

    RolloutState withReconciliation(String name) {
        return new RolloutState(phase, pod, revision, started, stepStarted, message, drainSwitch, name);
    }

    RolloutState withRevision(String rev) {
        return new RolloutState(phase, pod, rev, started, stepStarted, message, drainSwitch, reconciliation);
    }

    private static void put(Map<String, String> out, String key, String before, String after) {
        if (before == null ? after != null : !before.equals(after)) {
            out.put(key, after);
        }
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
