package dev.bourse.server.admin;

import dev.bourse.server.config.ConfigException;
import dev.bourse.server.config.EnvNumbers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How hard the admin gate pushes back on token guessing.
 *
 * @param maxFailures     failed token checks from one IP address within {@code failureWindowMs} after which
 *                        that address is refused outright (HTTP 429) until the window has passed
 * @param failureWindowMs the window over which failures are counted, in milliseconds
 * @param maxTrackedIps   addresses whose failures are remembered at once; beyond it the address least
 *                        recently seen is forgotten, so a spray from many addresses cannot exhaust memory
 */
public record AdminGateSettings(int maxFailures, long failureWindowMs, int maxTrackedIps) {
    public static final AdminGateSettings DEFAULTS = new AdminGateSettings(10, 60_000, 10_000);

    public AdminGateSettings {
        if (maxFailures < 1 || failureWindowMs < 1 || maxTrackedIps < 1) {
            throw new IllegalArgumentException("admin gate settings must be positive: " + maxFailures + ", "
                    + failureWindowMs + ", " + maxTrackedIps);
        }
    }

    /** Reads {@code ADMIN_AUTH_MAX_FAILURES}, {@code ADMIN_AUTH_FAILURE_WINDOW_MS}, {@code ADMIN_AUTH_MAX_TRACKED_IPS}. */
    public static AdminGateSettings fromEnvironment(Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        int failures = (int) EnvNumbers.number(env, "ADMIN_AUTH_MAX_FAILURES", DEFAULTS.maxFailures, 1, 1_000,
                problems);
        long window = EnvNumbers.number(env, "ADMIN_AUTH_FAILURE_WINDOW_MS", DEFAULTS.failureWindowMs, 1_000,
                86_400_000, problems);
        int tracked = (int) EnvNumbers.number(env, "ADMIN_AUTH_MAX_TRACKED_IPS", DEFAULTS.maxTrackedIps, 16,
                1_000_000, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AdminGateSettings(failures, window, tracked);
    }
}
