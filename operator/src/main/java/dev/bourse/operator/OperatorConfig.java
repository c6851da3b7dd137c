package dev.bourse.operator;

import dev.bourse.operator.reconciliation.ReconciliationSettings;
import dev.bourse.operator.roller.RolloutSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The operator's settings, read from the environment (the Helm chart sets exactly these names). Every problem is
 * reported at once by {@link #fromEnvironment}, never a secret's value.
 *
 * @param watchNamespaces    namespaces whose resources are reconciled; empty = all namespaces
 * @param podNamespace       where the operator runs: the Lease and the engines are there; may be null outside a
 *                           cluster (then each resource's engines are in its own namespace)
 * @param podName            this replica's name (leader-election identity); may be null outside a cluster
 * @param engineStatefulSet  the engine StatefulSet (ordinal = shard)
 * @param engineService      the engines' headless service
 * @param enginePort         the engines' HTTP port
 * @param engineUrlTemplate  how an engine pod is addressed: {pod}, {service}, {namespace}, {port}, {shard}
 * @param internalToken      the engines' {@code INTERNAL_TOKEN}
 * @param httpPort           /healthz, /readyz and /metrics
 * @param leaderElection     only the holder of the Lease reconciles
 * @param leaseName          the Lease's name
 * @param reconcileInterval  every resource is checked again at least this often
 * @param reconciliation     how reconciliation Jobs are built ({@code ENGINE_CONTAINER}, {@code RECONCILIATION_JOB_TTL_SECONDS})
 * @param rollout            the safe rollout's step timeout and poll interval ({@code ROLLOUT_STEP_TIMEOUT},
 *                           {@code ROLLOUT_POLL_INTERVAL})
 */
public record OperatorConfig(Set<String> watchNamespaces, String podNamespace, String podName, String engineStatefulSet,
                             String engineService, int enginePort, String engineUrlTemplate, String internalToken,
                             int httpPort, boolean leaderElection, String leaseName, Duration reconcileInterval,
                             ReconciliationSettings reconciliation, RolloutSettings rollout) {
    public static final String DEFAULT_URL_TEMPLATE = "http://{pod}.{service}.{namespace}.svc:{port}";

    public OperatorConfig {
        watchNamespaces = Set.copyOf(watchNamespaces);
    }

    /** Thrown with one line per problem. */
    public static final class InvalidConfigException extends RuntimeException {
        private final List<String> problems;

        InvalidConfigException(List<String> problems) {
            super("invalid configuration:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static OperatorConfig fromEnvironment(Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        String podNamespace = blankToNull(env.apply("POD_NAMESPACE"));
        String podName = blankToNull(env.apply("POD_NAME"));
        String watch = env.apply("WATCH_NAMESPACE");
        Set<String> namespaces = new LinkedHashSet<>();
        if (watch == null) {
            if (podNamespace != null) {
                namespaces.add(podNamespace);
            }
        } else {
            Arrays.stream(watch.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(namespaces::add);
        }
        for (String ns : namespaces) {
            if (!ns.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                problems.add("WATCH_NAMESPACE must list namespace names separated by commas: " + ns);
            }
        }
        String sts = or(env.apply("ENGINE_STATEFULSET"), "bourse-engine");
        String service = or(env.apply("ENGINE_SERVICE"), "bourse-engine");
        int enginePort = port(env, "ENGINE_PORT", 8080, problems);
        String template = or(env.apply("ENGINE_URL_TEMPLATE"), DEFAULT_URL_TEMPLATE);
        if (!template.startsWith("http://") && !template.startsWith("https://")) {
            problems.add("ENGINE_URL_TEMPLATE must start with http:// or https://: " + template);
        } else if (!template.contains("{pod}") && !template.contains("{shard}")) {
            problems.add("ENGINE_URL_TEMPLATE must contain {pod} or {shard} so each engine pod gets its own address: "
                    + template);
        }
        String token = env.apply("INTERNAL_TOKEN");
        if (token == null || token.isBlank()) {
            problems.add("INTERNAL_TOKEN is required (the engines' internal token, from a Secret)");
        } else if (token.trim().length() < 16) {
            problems.add("INTERNAL_TOKEN must be at least 16 characters (the engines refuse shorter ones in prod)");
        }
        int httpPort = port(env, "OPERATOR_HTTP_PORT", 8081, problems);
        boolean leader = bool(env, "LEADER_ELECTION", true, problems);
        String lease = or(env.apply("LEASE_NAME"), "bourse-operator");
        if (!lease.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            problems.add("LEASE_NAME must be a Kubernetes object name: " + lease);
        }
        Duration interval = Duration.ofSeconds(30);
        String intervalText = env.apply("RECONCILE_INTERVAL");
        if (intervalText != null && !intervalText.isBlank()) {
            try {
                interval = Durations.parse(intervalText);
                if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                    problems.add("RECONCILE_INTERVAL must be between 1s and 1h: " + intervalText);
                }
            } catch (IllegalArgumentException e) {
                problems.add("RECONCILE_INTERVAL " + e.getMessage());
            }
        }
        Map<String, String> jobEnv = new HashMap<>();
        for (String name : List.of("ENGINE_STATEFULSET", "ENGINE_CONTAINER", "RECONCILIATION_JOB_TTL_SECONDS",
                "ROLLOUT_STEP_TIMEOUT", "ROLLOUT_POLL_INTERVAL")) {
            String v = env.apply(name);
            if (v != null && !v.isBlank()) {
                jobEnv.put(name, v);
            }
        }
        ReconciliationSettings reconciliation = null;
        RolloutSettings rollout = null;
        try {
            reconciliation = ReconciliationSettings.fromEnvironment(jobEnv);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        try {
            rollout = RolloutSettings.fromEnvironment(jobEnv);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new OperatorConfig(namespaces, podNamespace, podName, sts, service, enginePort, template, token.trim(),
                httpPort, leader, lease, interval, reconciliation, rollout);
    }

    /** True when every namespace is watched. */
    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }

    /** This config with another HTTP port (tests bind port 0). */
    public OperatorConfig withHttpPort(int port) {
        return new OperatorConfig(watchNamespaces, podNamespace, podName, engineStatefulSet, engineService, enginePort,
                engineUrlTemplate, internalToken, port, leaderElection, leaseName, reconcileInterval, reconciliation,
                rollout);
    }

    @Override
    public String toString() {
        // never the token
        return "OperatorConfig[watchNamespaces=" + (watchNamespaces.isEmpty() ? "(all)" : watchNamespaces)
                + ", podNamespace=" + podNamespace + ", podName=" + podName + ", engineStatefulSet=" + engineStatefulSet
                + ", engineService=" + engineService + ", enginePort=" + enginePort + ", engineUrlTemplate="
                + engineUrlTemplate + ", httpPort=" + httpPort + ", leaderElection=" + leaderElection + ", leaseName="
                + leaseName + ", reconcileInterval=" + Durations.format(reconcileInterval) + "]";
    }

    private static String or(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int port(Function<String, String> env, String name, int dflt, List<String> problems) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a port number (0..65535): " + v);
            return dflt;
        }
    }

    private static boolean bool(Function<String, String> env, String name, boolean dflt, List<String> problems) {
        String v = env.apply(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> {
                problems.add(name + " must be true or false: " + v);
                yield dflt;
            }
        };
    }
}
