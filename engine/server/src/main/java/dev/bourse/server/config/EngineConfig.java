package dev.bourse.server.config;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the engine reads from its environment, validated once at start-up. Values come from
 * environment variables (the names used by the operations runbook); a JVM system property of the same
 * name overrides them, which tests use. The dev profile fills in what a developer's laptop lacks
 * (embedded H2, throw-away secrets, demo data); the prod profile refuses to start without them.
 */
public record EngineConfig(
        Profile profile,
        String host,
        int port,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbMaxOpenConns,
        String dbSslMode,
        String redisAddr,
        int shardId,
        String engineId,
        long leaseTtlMillis,
        int queueCapacity,
        int maxBatch,
        String internalToken,
        String adminToken,
        String authTokenSecret,
        boolean secretsGenerated,
        boolean demoData) {

    public enum Profile { DEV, PROD }

    /** Embedded H2 in PostgreSQL mode, files under ./data. */
    public static final String DEFAULT_DB_URL =
            "jdbc:h2:file:./data/bourse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";

    public static EngineConfig fromEnvironment() {
        return from(environment(), true);
    }

    /**
     * For the one-shot jobs ({@code migrate}, {@code reconcile}): only the database settings are
     * validated, so a reconciliation job needs no engine secrets.
     */
    public static EngineConfig forJobsFromEnvironment() {
        return from(environment(), false);
    }

    private static Function<String, String> environment() {
        return name -> {
            String v = System.getProperty(name);
            return v != null ? v : System.getenv(name);
        };
    }

    public static EngineConfig from(Map<String, String> values) {
        return from(values::get, true);
    }

    /**
     * Reads and validates; throws {@link ConfigException} listing every problem at once. With
     * {@code engine} false the secrets only an engine process needs are not required.
     */
    public static EngineConfig from(Function<String, String> source, boolean engine) {
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(source, problems);
        Profile profile = switch (r.string("BOURSE_PROFILE", "dev").toLowerCase()) {
            case "dev" -> Profile.DEV;
            case "prod" -> Profile.PROD;
            default -> {
                problems.add("BOURSE_PROFILE must be dev or prod");
                yield Profile.DEV;
            }
        };
        boolean dev = profile == Profile.DEV;
        String host = r.string("HOST", dev ? "127.0.0.1" : "0.0.0.0");
        int port = r.integer("PORT", 8080, 0, 65535);
        String dbUrl = r.string("DB_URL", dev ? DEFAULT_DB_URL : null);
        String dbUser = r.string("DB_USER", dbUrl != null && dbUrl.startsWith("jdbc:h2:") ? "sa" : "postgres");
        String dbPassword = r.string("DB_PASSWORD", "");
        int maxConns = r.integer("DB_MAX_OPEN_CONNS", 10, 2, 500);
        String sslMode = r.string("DB_SSL_MODE", dev ? "disable" : null);
        String redisAddr = r.string("REDIS_ADDR", null);
        int shardId = r.integer("SHARD_ID", 0, 0, 4095);
        String engineId = r.string("ENGINE_ID", hostName());
        long leaseTtl = r.integer("LEASE_TTL_MS", 10_000, 1_000, 600_000);
        int queueCapacity = r.integer("QUEUE_CAPACITY", 65_536, 16, 4_194_304);
        int maxBatch = r.integer("MAX_BATCH", 2_048, 1, 65_536);
        boolean generated = false;
        String internalToken = r.string("INTERNAL_TOKEN", null);
        String adminToken = r.string("ADMIN_TOKEN", null);
        String authSecret = r.string("AUTH_TOKEN_SECRET", null);
        if (dev) {
            if (internalToken == null) {
                internalToken = randomSecret();
                generated = true;
            }
            if (adminToken == null) {
                adminToken = randomSecret();
                generated = true;
            }
            if (authSecret == null) {
                authSecret = randomSecret();
                generated = true;
            }
        }
        boolean demo = r.bool("DEMO_DATA", dev);
        if (!dev) {
            if (dbUrl == null) {
                problems.add("DB_URL is required in the prod profile (jdbc:postgresql://host:5432/db)");
            } else if (!dbUrl.startsWith("jdbc:postgresql:")) {
                problems.add("DB_URL must be a PostgreSQL JDBC URL in the prod profile");
            }
            if (!"require".equals(sslMode) && !"verify-ca".equals(sslMode) && !"verify-full".equals(sslMode)) {
                problems.add("DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile");
            }
            if (engine) {
                requireSecret(problems, "INTERNAL_TOKEN", internalToken, 16);
                requireSecret(problems, "ADMIN_TOKEN", adminToken, 16);
                requireSecret(problems, "AUTH_TOKEN_SECRET", authSecret, 32);
            }
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            problems.add("DB_URL must start with jdbc:postgresql: or jdbc:h2:");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new EngineConfig(profile, host, port, dbUrl, dbUser, dbPassword, maxConns, sslMode, redisAddr,
                shardId, engineId, leaseTtl, queueCapacity, maxBatch, internalToken, adminToken, authSecret,
                generated, demo);
    }

    public boolean isDev() {
        return profile == Profile.DEV;
    }

    private static final List<String> KNOWN_DEFAULTS = List.of("changeme", "change-me", "secret", "default",
            "internal", "admin", "password", "token");

    private static void requireSecret(List<String> problems, String name, String value, int minLength) {
        if (value == null || value.isBlank()) {
            problems.add(name + " is required in the prod profile");
        } else if (value.length() < minLength) {
            problems.add(name + " must be at least " + minLength + " characters");
        } else if (KNOWN_DEFAULTS.contains(value.toLowerCase())) {
            problems.add(name + " is a well-known default value");
        }
    }

    private static String randomSecret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "engine";
        }
    }

    /** The config with secrets masked, for the start-up log. */
    @Override
    public String toString() {
        return "EngineConfig[profile=" + profile + ", listen=" + host + ":" + port + ", db=" + maskUrl(dbUrl)
                + ", pool=" + dbMaxOpenConns + ", sslMode=" + dbSslMode + ", redis=" + (redisAddr == null ? "-" : redisAddr)
                + ", shard=" + shardId + ", engineId=" + engineId + ", leaseTtlMs=" + leaseTtlMillis
                + ", queue=" + queueCapacity + ", maxBatch=" + maxBatch + ", demoData=" + demoData + "]";
    }

    private static String maskUrl(String url) {
        return url == null ? "-" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private record Reader(Function<String, String> source, List<String> problems) {
        String string(String name, String dflt) {
            String v = source.apply(name);
            return v == null || v.isBlank() ? dflt : v.trim();
        }

        int integer(String name, int dflt, int min, int max) {
            String v = string(name, null);
            if (v == null) {
                return dflt;
            }
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    problems.add(name + " must be between " + min + " and " + max + ": " + v);
                    return dflt;
                }
                return i;
            } catch (NumberFormatException e) {
                problems.add(name + " must be an integer: " + v);
                return dflt;
            }
        }

        boolean bool(String name, boolean dflt) {
            String v = string(name, null);
            if (v == null) {
                return dflt;
            }
            return switch (v.toLowerCase()) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> {
                    problems.add(name + " must be true or false: " + v);
                    yield dflt;
                }
            };
        }
    }
}
