package dev.bourse.operator.reconciliation;

import java.util.Map;
import java.util.Objects;

/**
 * Where a reconciliation Job gets its image and database settings, and how long a finished Job is kept.
 *
 * @param engineStatefulSet the engine StatefulSet whose container the Job copies ({@code ENGINE_STATEFULSET})
 * @param engineContainer   the container in it to copy ({@code ENGINE_CONTAINER}; the first one if none has this name)
 * @param jobTtlSeconds     {@code ttlSecondsAfterFinished} of the Jobs ({@code RECONCILIATION_JOB_TTL_SECONDS})
 */
public record ReconciliationSettings(String engineStatefulSet, String engineContainer, int jobTtlSeconds) {
    public static final String DEFAULT_STATEFULSET = "bourse-engine";
    public static final String DEFAULT_CONTAINER = "engine";
    public static final int DEFAULT_JOB_TTL_SECONDS = 86_400;

    public ReconciliationSettings {
        Objects.requireNonNull(engineStatefulSet, "engineStatefulSet");
        Objects.requireNonNull(engineContainer, "engineContainer");
        if (engineStatefulSet.isBlank() || engineContainer.isBlank()) {
            throw new IllegalArgumentException("ENGINE_STATEFULSET and ENGINE_CONTAINER must not be blank");
        }
        if (jobTtlSeconds < 0) {
            throw new IllegalArgumentException("RECONCILIATION_JOB_TTL_SECONDS must be >= 0, got " + jobTtlSeconds);
        }
    }

    public static ReconciliationSettings fromEnvironment(Map<String, String> env) {
        String ttl = env.getOrDefault("RECONCILIATION_JOB_TTL_SECONDS", String.valueOf(DEFAULT_JOB_TTL_SECONDS)).strip();
        int seconds;
        try {
            seconds = Integer.parseInt(ttl);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RECONCILIATION_JOB_TTL_SECONDS must be a whole number of seconds, got "
                    + ttl);
        }
        return new ReconciliationSettings(env.getOrDefault("ENGINE_STATEFULSET", DEFAULT_STATEFULSET).strip(),
                env.getOrDefault("ENGINE_CONTAINER", DEFAULT_CONTAINER).strip(), seconds);
    }
}
