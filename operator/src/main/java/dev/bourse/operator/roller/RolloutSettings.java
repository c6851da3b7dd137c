package dev.bourse.operator.roller;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * @param statefulSet the engine StatefulSet the roller manages ({@code ENGINE_STATEFULSET}, default bourse-engine)
 * @param stepTimeout how long one step (drain, restart, reconcile, resume) may take before the rollout is blocked
 *                    ({@code ROLLOUT_STEP_TIMEOUT}, default 10m)
 * @param poll        how often a rollout in progress looks again ({@code ROLLOUT_POLL_INTERVAL}, default 2s)
 */
public record RolloutSettings(String statefulSet, Duration stepTimeout, Duration poll) {
    public static final String DEFAULT_STATEFULSET = "bourse-engine";
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    public RolloutSettings {
        Objects.requireNonNull(statefulSet, "statefulSet");
        if (statefulSet.isBlank()) {
            throw new IllegalArgumentException("ENGINE_STATEFULSET must not be blank");
        }
        if (stepTimeout.isNegative() || stepTimeout.isZero() || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("ROLLOUT_STEP_TIMEOUT and ROLLOUT_POLL_INTERVAL must be positive");
        }
    }

    public static RolloutSettings fromEnvironment(Map<String, String> env) {
        return new RolloutSettings(env.getOrDefault("ENGINE_STATEFULSET", DEFAULT_STATEFULSET).strip(),
                duration("ROLLOUT_STEP_TIMEOUT", env.getOrDefault("ROLLOUT_STEP_TIMEOUT", "10m")),
                duration("ROLLOUT_POLL_INTERVAL", env.getOrDefault("ROLLOUT_POLL_INTERVAL", "2s")));
    }

    /** The way the settings are written: {@code 10m}, {@code 90s}, {@code 500ms}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}. */
    static Duration duration(String name, String value) {
        Matcher m = DURATION.matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a number followed by ms, s, m or h (e.g. 10m), got '"
                    + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
