package dev.bourse.server.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
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
        int dbMinIdleConns,
        Duration dbConnMaxLifetime,
        Duration dbConnTimeout,
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
        Duration authTokenTtl,
        boolean secretsGenerated,
        boolean demoData,
        int eventReplayCount,
        String redisKeyPrefix,
        Map<Integer, String> shardPeers,
        String shardUrlTemplate,
        long switchPollMillis) {

    public enum Profile { DEV, PROD }

    /** Embedded H2 in PostgreSQL mode, files under ./data. */
    public static final String DEFAULT_DB_URL =
            "jdbc:h2:file:./data/bourse;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";

    /** Where the dev profile on the embedded database keeps its generated secrets (see {@link DevSecrets}). */
    public static final Path DEV_SECRETS = Path.of("data", "dev-secrets.properties");

    /**
     * Lifetime of API keys not bound to an IP allowlist when {@code AUTH_TOKEN_TTL} is not set (dev only):
     * OKX lets such keys lapse after 14 days.
     */
    public static final Duration DEFAULT_AUTH_TOKEN_TTL = Duration.ofDays(14);
    static final Duration MIN_AUTH_TOKEN_TTL = Duration.ofHours(1);
    static final Duration MAX_AUTH_TOKEN_TTL = Duration.ofDays(90);
    /** Hikari ignores a maxLifetime under 30 s; a day bounds how long a connection outlives a DB failover. */
    static final Duration MIN_CONN_LIFETIME = Duration.ofSeconds(30);
    static final Duration MAX_CONN_LIFETIME = Duration.ofHours(24);
    /** Hikari refuses a connection timeout under 250 ms. */
    static final Duration MIN_CONN_TIMEOUT = Duration.ofMillis(250);
    static final Duration MAX_CONN_TIMEOUT = Duration.ofSeconds(60);

    public static EngineConfig fromEnvironment() {
        return from(DevSecrets.apply(environment(), DEV_SECRETS), true);
    }

    /**
     * For the one-shot jobs ({@code migrate}, {@code reconcile}): only the database settings are
     * validated, so a reconciliation job needs no engine secrets.
     */
    public static EngineConfig forJobsFromEnvironment() {
        return from(environment(), false);
    }

    /** Environment variables, a JVM system property of the same name winning. */
    static Function<String, String> environment() {
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
        return from(source, engine, DEV_SECRETS);
    }

    /**
     * As {@link #from(Function, boolean)}; in the prod profile a secret equal to one the dev profile keeps
     * in {@code devSecrets} (should that file exist) is refused.
     */
    static EngineConfig from(Function<String, String> source, boolean engine, Path devSecrets) {
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
        int minIdle = r.integer("DB_MIN_IDLE_CONNS", Math.min(2, maxConns), 0, maxConns);
        Duration connLifetime = r.duration("DB_CONN_MAX_LIFETIME", Duration.ofMinutes(30), MIN_CONN_LIFETIME,
                MAX_CONN_LIFETIME);
        Duration connTimeout = r.duration("DB_CONN_TIMEOUT", Duration.ofSeconds(5), MIN_CONN_TIMEOUT, MAX_CONN_TIMEOUT);
        String sslMode = r.string("DB_SSL_MODE", dev ? "disable" : null);
        String redisAddr = r.string("REDIS_ADDR", null);
        if (redisAddr != null) {
            checkRedisAddr(problems, redisAddr);
        }
        int eventReplayCount = r.integer("EVENT_REPLAY_COUNT", 1_000, 10, 1_000_000);
        // how often a pod looks for switch changes made through another pod
        int switchPollMillis = r.integer("SWITCH_POLL_MS", 500, 50, 60_000);
        String redisKeyPrefix = r.string("REDIS_KEY_PREFIX", "bourse:");
        if (!redisKeyPrefix.matches("[A-Za-z0-9_.:{}-]{1,64}")) {
            problems.add("REDIS_KEY_PREFIX must be 1 to 64 letters, digits or _.:{}- : " + redisKeyPrefix);
        }
        Map<Integer, String> shardPeers = shardPeers(problems, r.string("SHARD_PEERS", null));
        String shardUrlTemplate = r.string("SHARD_URL_TEMPLATE", null);
        if (shardUrlTemplate != null) {
            if (!shardUrlTemplate.contains("{shard}")) {
                problems.add("SHARD_URL_TEMPLATE must contain {shard}: " + shardUrlTemplate);
            } else {
                String problem = baseUrlProblem(shardUrlTemplate.replace("{shard}", "0"));
                if (problem != null) {
                    problems.add("SHARD_URL_TEMPLATE " + problem + ": " + shardUrlTemplate);
                } else {
                    shardUrlTemplate = stripSlash(shardUrlTemplate);
                }
            }
        }
        int shardId = r.integer("SHARD_ID", 0, 0, 4095);
        String engineId = r.string("ENGINE_ID", hostName());
        long leaseTtl = r.integer("LEASE_TTL_MS", 10_000, 1_000, 600_000);
        int queueCapacity = r.integer("QUEUE_CAPACITY", 65_536, 16, 4_194_304);
        int maxBatch = r.integer("MAX_BATCH", 2_048, 1, 65_536);
        boolean generated = false;
        String internalToken = r.string("INTERNAL_TOKEN", null);
        String adminToken = r.string("ADMIN_TOKEN", null);
        String authSecret = r.string("AUTH_TOKEN_SECRET", null);
        Duration authTtl = r.duration("AUTH_TOKEN_TTL", dev || !engine ? DEFAULT_AUTH_TOKEN_TTL : null,
                MIN_AUTH_TOKEN_TTL, MAX_AUTH_TOKEN_TTL);
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
                problems.add("DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile"
                        + (sslMode == null ? "" : ": " + sslMode));
            }
            if (dbUrl != null) {
                String urlProblem = urlSslProblem(dbUrl);
                if (urlProblem != null) {
                    problems.add(urlProblem);
                }
            }
            if (engine) {
                Properties devValues = DevSecrets.stored(devSecrets);
                requireSecret(problems, "INTERNAL_TOKEN", internalToken, 16, devValues);
                requireSecret(problems, "ADMIN_TOKEN", adminToken, 16, devValues);
                if (adminToken != null && adminToken.equals(internalToken)) {
                    problems.add("ADMIN_TOKEN must differ from INTERNAL_TOKEN (pods hold the internal token; "
                            + "the admin token is for operators only)");
                }
                requireSecret(problems, "AUTH_TOKEN_SECRET", authSecret, 32, devValues);
                if (source.apply("AUTH_TOKEN_TTL") == null || source.apply("AUTH_TOKEN_TTL").isBlank()) {
                    problems.add("AUTH_TOKEN_TTL is required in the prod profile: lifetime of API keys without an IP "
                            + "allowlist, between " + Durations.format(MIN_AUTH_TOKEN_TTL) + " and "
                            + Durations.format(MAX_AUTH_TOKEN_TTL) + " (e.g. 14d)");
                }
            }
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            problems.add("DB_URL must start with jdbc:postgresql: or jdbc:h2:");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new EngineConfig(profile, host, port, dbUrl, dbUser, dbPassword, maxConns, minIdle, connLifetime,
                connTimeout, sslMode, redisAddr, shardId, engineId, leaseTtl, queueCapacity, maxBatch, internalToken,
                adminToken, authSecret, authTtl == null ? DEFAULT_AUTH_TOKEN_TTL : authTtl, generated, demo,
                eventReplayCount, redisKeyPrefix, shardPeers, shardUrlTemplate, switchPollMillis);
    }

    /** The HikariCP settings of the engine's pool. */
    public dev.bourse.server.store.Database.PoolSettings dbPool() {
        return new dev.bourse.server.store.Database.PoolSettings(dbMaxOpenConns, dbMinIdleConns, dbConnMaxLifetime,
                dbConnTimeout);
    }

    /**
     * The PostgreSQL driver lets URL parameters win over the {@code sslmode} the engine passes, so a URL
     * ending in {@code ?sslmode=disable} would quietly undo {@code DB_SSL_MODE=require}.
     */
    private static String urlSslProblem(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String param : url.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : param.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            if (name.equals("sslmode") && !Set.of("require", "verify-ca", "verify-full").contains(value)) {
                return "DB_URL must not weaken TLS in the prod profile: it sets sslmode=" + value
                        + " (remove it or use require, verify-ca or verify-full)";
            }
            if (name.equals("ssl") && value.equals("false")) {
                return "DB_URL must not weaken TLS in the prod profile: it sets ssl=false";
            }
        }
        return null;
    }

    /** {@code host:port} or a {@code redis://} / {@code rediss://} URL with a host. */
    private static void checkRedisAddr(List<String> problems, String addr) {
        if (addr.contains("://")) {
            try {
                URI u = new URI(addr);
                if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme()) || u.getHost() == null) {
                    problems.add("REDIS_ADDR must be host:port or a redis:// or rediss:// URL with a host");
                }
            } catch (URISyntaxException e) {
                problems.add("REDIS_ADDR is not a valid URL");
            }
            return;
        }
        int colon = addr.lastIndexOf(':');
        boolean ok = colon > 0 && colon < addr.length() - 1 && addr.substring(0, colon).matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]");
        if (ok) {
            try {
                int port = Integer.parseInt(addr.substring(colon + 1));
                ok = port >= 1 && port <= 65535;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            problems.add("REDIS_ADDR must be host:port or a redis:// or rediss:// URL: " + addr);
        }
    }

    /** {@code 0=http://10.0.0.1:8080,1=http://10.0.0.2:8080}: base URL of the pod serving each shard. */
    private static Map<Integer, String> shardPeers(List<String> problems, String value) {
        Map<Integer, String> peers = new TreeMap<>();
        if (value == null) {
            return Map.of();
        }
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            int shard;
            try {
                shard = eq < 0 ? -1 : Integer.parseInt(e.substring(0, eq).trim());
            } catch (NumberFormatException ex) {
                shard = -1;
            }
            if (shard < 0 || shard > 4095) {
                problems.add("SHARD_PEERS entry must be <shard 0..4095>=<url>: " + e);
                continue;
            }
            String url = e.substring(eq + 1).trim();
            String problem = baseUrlProblem(url);
            if (problem != null) {
                problems.add("SHARD_PEERS entry for shard " + shard + " " + problem + ": " + url);
            } else if (peers.put(shard, stripSlash(url)) != null) {
                problems.add("SHARD_PEERS names shard " + shard + " twice");
            }
        }
        return Collections.unmodifiableMap(peers);
    }

    /** Null when {@code url} is an http(s) base URL without query (a path prefix is allowed). */
    private static String baseUrlProblem(String url) {
        try {
            URI u = new URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return "must be an http:// or https:// URL";
            }
            if (u.getHost() == null) {
                return "must name a host";
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                return "must not have a query, fragment or credentials";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public boolean isDev() {
        return profile == Profile.DEV;
    }

    /** One line per secret at most; never prints the value. */
    private static void requireSecret(List<String> problems, String name, String value, int minLength,
                                      Properties devValues) {
        if (value == null || value.isBlank()) {
            problems.add(name + " is required in the prod profile (at least " + minLength + " random characters)");
            return;
        }
        String weakness = WeakSecrets.weakness(value);
        if (weakness != null) {
            problems.add(name + " " + weakness + "; set a random value of at least " + minLength + " characters");
        } else if (devValues.containsValue(value)) {
            problems.add(name + " is a throw-away value the dev profile generated (" + DEV_SECRETS
                    + "); set a new random value");
        } else if (value.length() < minLength) {
            problems.add(name + " must be at least " + minLength + " characters (it has " + value.length() + ")");
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
                + ", pool=" + dbMaxOpenConns + "/minIdle " + dbMinIdleConns + "/lifetime "
                + Durations.format(dbConnMaxLifetime) + "/timeout " + Durations.format(dbConnTimeout)
                + ", authTokenTtl=" + Durations.format(authTokenTtl) + ", sslMode=" + dbSslMode + ", redis=" + (redisAddr == null ? "-" : maskRedis(redisAddr)) + ", redisKeyPrefix=" + redisKeyPrefix
                + ", eventReplayCount=" + eventReplayCount + ", shardPeers=" + shardPeers
                + ", shardUrlTemplate=" + (shardUrlTemplate == null ? "-" : shardUrlTemplate)
                + ", shard=" + shardId + ", engineId=" + engineId + ", leaseTtlMs=" + leaseTtlMillis
                + ", queue=" + queueCapacity + ", maxBatch=" + maxBatch + ", switchPollMs=" + switchPollMillis
                + ", demoData=" + demoData + "]";
    }

    /** redis://user:password@host → redis://***@host. */
    private static String maskRedis(String addr) {
        return addr.replaceAll("(?<=://)[^@/]*@", "***@");
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
            return (int) EnvNumbers.number(source, name, dflt, min, max, problems);
        }

        /** A duration in [min, max]; {@code dflt} (may be null) when unset or wrong. */
        Duration duration(String name, Duration dflt, Duration min, Duration max) {
            String v = string(name, null);
            if (v == null) {
                return dflt;
            }
            Duration d = Durations.parse(v);
            if (d == null) {
                problems.add(name + " must be a duration such as 90m, 36h, 14d or P14D: " + v);
                return dflt;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problems.add(name + " must be between " + Durations.format(min) + " and " + Durations.format(max)
                        + ": " + v);
                return dflt;
            }
            return d;
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
