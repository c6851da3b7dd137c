package dev.bourse.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prod start-up pre-flight (runbook §0.1), one rule at a time: a good prod configuration with exactly
 * one value spoiled must fail with exactly one problem line, naming that variable.
 */
class PreflightRulesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Random so that the good values are published nowhere (published examples are refused). */
    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A prod configuration that passes every rule. */
    static Map<String, String> goodProd() {
        Map<String, String> env = new HashMap<>();
        env.put("BOURSE_PROFILE", "prod");
        env.put("DB_URL", "jdbc:postgresql://db.internal:5432/bourse");
        env.put("DB_SSL_MODE", "require");
        env.put("INTERNAL_TOKEN", random(12));
        env.put("ADMIN_TOKEN", random(12));
        env.put("AUTH_TOKEN_SECRET", random(24));
        env.put("AUTH_TOKEN_TTL", "14d");
        return env;
    }

    private static EngineConfig accept(String var, String value) {
        Map<String, String> env = goodProd();
        env.put(var, value);
        return EngineConfig.from(env);
    }

    /** The single problem line a good prod config with {@code var=value} gives. */
    private static String refuse(String var, String value) {
        Map<String, String> env = goodProd();
        if (value == null) {
            env.remove(var);
        } else {
            env.put(var, value);
        }
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(env), var + "=" + value);
        assertEquals(1, e.problems().size(), e.getMessage());
        String line = e.problems().get(0);
        assertTrue(line.startsWith(var), line);
        assertFalse(line.contains("\n"), line);
        return line;
    }

    @Test
    void aGoodProdConfigPassesWithItsDefaults() {
        EngineConfig c = EngineConfig.from(goodProd());
        assertEquals(EngineConfig.Profile.PROD, c.profile());
        assertEquals(Duration.ofDays(14), c.authTokenTtl());
        assertEquals(10, c.dbMaxOpenConns());
        assertEquals(2, c.dbMinIdleConns());
        assertEquals(Duration.ofMinutes(30), c.dbConnMaxLifetime());
        assertEquals(Duration.ofSeconds(5), c.dbConnTimeout());
        assertEquals(1000, c.eventReplayCount(), "EVENT_REPLAY_COUNT defaults to 1000 in prod as in dev");
        assertFalse(c.toString().contains(c.internalToken()));
        assertFalse(c.toString().contains(c.adminToken()));
        assertFalse(c.toString().contains(c.authTokenSecret()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET", "AUTH_TOKEN_TTL"})
    void eachRequiredSettingMissing(String var) {
        assertTrue(refuse(var, null).contains("is required in the prod profile"));
        assertTrue(refuse(var, "  ").contains("is required in the prod profile"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"changeme", "CHANGEME", "change-me", "change_me", "Change-Me-Change-Me-2024", "default",
            "secret", "token", "internal", "internal-token", "INTERNAL_TOKEN", "password", "admin", "bourse", "test",
            "dev", "example", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "XXXXXXXXXXXXXXXXXXXXXXXX",
            "bourse-internal-token-prod", "your-secret-here-1234567890", "please-change-me-in-production",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababababababab",
            "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", "1234567890123456789012345678901234",
            "qwerty-qwerty-qwerty-qwerty-qwerty",
            // published in this repository's docs and tests, or the OKX docs' sample secret key
            "dev-token", "admin-token-for-tests-0123456789", "internal-token-for-tests-0123456789",
            "test-auth-token-secret-0123456789abcdef", "a-long-enough-auth-token-secret-for-tests",
            "22582BD0CFF14C41EDBF1AB98506286D"})
    void knownDefaultsArePlaceholdersForEverySecret(String value) {
        for (String var : List.of("INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET")) {
            String line = refuse(var, value);
            // a fixed text: the value itself is never printed
            assertTrue(line.matches(var + " is (a well-known default or placeholder|an example value published in the "
                    + "Bourse docs or tests|a placeholder \\(too few distinct characters\\)|a placeholder \\(a counting "
                    + "or keyboard run\\)); set a random value of at least \\d+ characters"), line);
        }
    }

    @Test
    void lengthRules() {
        assertEquals("INTERNAL_TOKEN must be at least 16 characters (it has 15)", refuse("INTERNAL_TOKEN", random(8).substring(1)));
        assertEquals("ADMIN_TOKEN must be at least 16 characters (it has 15)", refuse("ADMIN_TOKEN", random(8).substring(1)));
        assertEquals("AUTH_TOKEN_SECRET must be at least 32 characters (it has 31)",
                refuse("AUTH_TOKEN_SECRET", random(16).substring(1)));
        accept("INTERNAL_TOKEN", random(8));
        accept("AUTH_TOKEN_SECRET", random(16));
    }

    @Test
    void adminTokenMustDifferFromTheInternalToken() {
        Map<String, String> env = goodProd();
        env.put("ADMIN_TOKEN", env.get("INTERNAL_TOKEN"));
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(env));
        assertEquals(List.of("ADMIN_TOKEN must differ from INTERNAL_TOKEN (pods hold the internal token; the admin "
                + "token is for operators only)"), e.problems());
    }

    @Test
    void aSecretTheDevProfileGeneratedIsRefusedInProd(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dev-secrets.properties");
        java.util.function.Function<String, String> dev = DevSecrets.apply(new HashMap<String, String>()::get, file);
        String devAdmin = dev.apply("ADMIN_TOKEN");
        String devSecret = dev.apply("AUTH_TOKEN_SECRET");
        Map<String, String> env = goodProd();
        env.put("ADMIN_TOKEN", devAdmin);
        env.put("AUTH_TOKEN_SECRET", devSecret);
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(env::get, true, file));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).startsWith("ADMIN_TOKEN is a throw-away value the dev profile generated"));
        assertTrue(e.problems().get(1).startsWith("AUTH_TOKEN_SECRET is a throw-away value the dev profile generated"));
        assertFalse(e.getMessage().contains(devAdmin));
        // without the file the same values pass: they are random
        EngineConfig.from(env::get, true, dir.resolve("absent.properties"));
    }

    @ParameterizedTest
    @CsvSource({"14d,P14D", "36h,PT36H", "90m,PT1H30M", "1h,PT1H", "90d,P90D", "P14D,P14D", "pt36h,PT36H", "1d12h,PT36H",
            "'  7d ',P7D"})
    void authTokenTtlForms(String text, String iso) {
        assertEquals(Duration.parse(iso), accept("AUTH_TOKEN_TTL", text).authTokenTtl());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "59m|AUTH_TOKEN_TTL must be between 1h and 90d: 59m",
            "91d|AUTH_TOKEN_TTL must be between 1h and 90d: 91d",
            "PT30S|AUTH_TOKEN_TTL must be between 1h and 90d: PT30S",
            "14|AUTH_TOKEN_TTL must be a duration such as 90m, 36h, 14d or P14D: 14",
            "fortnight|AUTH_TOKEN_TTL must be a duration such as 90m, 36h, 14d or P14D: fortnight",
            "-14d|AUTH_TOKEN_TTL must be a duration such as 90m, 36h, 14d or P14D: -14d",
            "0d|AUTH_TOKEN_TTL must be a duration such as 90m, 36h, 14d or P14D: 0d",
            "P-1D|AUTH_TOKEN_TTL must be a duration such as 90m, 36h, 14d or P14D: P-1D",
            "2w|AUTH_TOKEN_TTL must be a duration such as 90m, 36h, 14d or P14D: 2w"})
    void absurdAuthTokenTtls(String value, String line) {
        assertEquals(line, refuse("AUTH_TOKEN_TTL", value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DB_SSL_MODE|disable|DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile: disable",
            "DB_SSL_MODE|prefer|DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile: prefer",
            "DB_SSL_MODE|allow|DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile: allow",
            "DB_SSL_MODE|REQUIRE|DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile: REQUIRE",
            "DB_URL|jdbc:postgresql://db:5432/bourse?sslmode=disable|DB_URL must not weaken TLS in the prod profile: it "
                    + "sets sslmode=disable (remove it or use require, verify-ca or verify-full)",
            "DB_URL|jdbc:postgresql://db:5432/bourse?ApplicationName=x&SSLMODE=prefer|DB_URL must not weaken TLS in the "
                    + "prod profile: it sets sslmode=prefer (remove it or use require, verify-ca or verify-full)",
            "DB_URL|jdbc:postgresql://db:5432/bourse?ssl=false|DB_URL must not weaken TLS in the prod profile: it sets "
                    + "ssl=false",
            "DB_URL|jdbc:h2:mem:x|DB_URL must be a PostgreSQL JDBC URL in the prod profile"})
    void databaseTls(String var, String value, String line) {
        assertEquals(line, refuse(var, value));
    }

    @Test
    void databaseTlsModesThatVerify() {
        assertEquals("verify-full", accept("DB_SSL_MODE", "verify-full").dbSslMode());
        assertEquals("verify-ca", accept("DB_SSL_MODE", "verify-ca").dbSslMode());
        accept("DB_URL", "jdbc:postgresql://db:5432/bourse?sslmode=verify-full&ApplicationName=bourse");
        Map<String, String> env = goodProd();
        env.remove("DB_SSL_MODE");
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(env));
        assertEquals(List.of("DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile"), e.problems());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DB_MAX_OPEN_CONNS|1|DB_MAX_OPEN_CONNS must be between 2 and 500: 1",
            "DB_MAX_OPEN_CONNS|501|DB_MAX_OPEN_CONNS must be between 2 and 500: 501",
            "DB_MAX_OPEN_CONNS|ten|DB_MAX_OPEN_CONNS must be an integer: ten",
            "DB_MIN_IDLE_CONNS|-1|DB_MIN_IDLE_CONNS must be between 0 and 10: -1",
            "DB_MIN_IDLE_CONNS|11|DB_MIN_IDLE_CONNS must be between 0 and 10: 11",
            "DB_CONN_MAX_LIFETIME|29s|DB_CONN_MAX_LIFETIME must be between 30s and 1d: 29s",
            "DB_CONN_MAX_LIFETIME|25h|DB_CONN_MAX_LIFETIME must be between 30s and 1d: 25h",
            "DB_CONN_MAX_LIFETIME|1800|DB_CONN_MAX_LIFETIME must be a duration such as 90m, 36h, 14d or P14D: 1800",
            "DB_CONN_TIMEOUT|100ms|DB_CONN_TIMEOUT must be between 250ms and 1m: 100ms",
            "DB_CONN_TIMEOUT|61s|DB_CONN_TIMEOUT must be between 250ms and 1m: 61s",
            "DB_CONN_TIMEOUT|5|DB_CONN_TIMEOUT must be a duration such as 90m, 36h, 14d or P14D: 5",
            "EVENT_REPLAY_COUNT|5|EVENT_REPLAY_COUNT must be between 10 and 1000000: 5"})
    void poolSettingsOutOfRange(String var, String value, String line) {
        assertEquals(line, refuse(var, value));
    }

    @Test
    void poolSettingsInRange() {
        Map<String, String> env = goodProd();
        env.putAll(Map.of("DB_MAX_OPEN_CONNS", "40", "DB_MIN_IDLE_CONNS", "40", "DB_CONN_MAX_LIFETIME", "2h",
                "DB_CONN_TIMEOUT", "250ms", "EVENT_REPLAY_COUNT", "20000"));
        EngineConfig c = EngineConfig.from(env);
        assertEquals(40, c.dbMaxOpenConns());
        assertEquals(40, c.dbMinIdleConns());
        assertEquals(Duration.ofHours(2), c.dbConnMaxLifetime());
        assertEquals(Duration.ofMillis(250), c.dbConnTimeout());
        assertEquals(20000, c.eventReplayCount());
        assertEquals(new dev.bourse.server.store.Database.PoolSettings(40, 40, Duration.ofHours(2),
                Duration.ofMillis(250)), c.dbPool());
        // min idle is bounded by the pool size actually configured
        env.put("DB_MAX_OPEN_CONNS", "4");
        env.remove("DB_MIN_IDLE_CONNS");
        assertEquals(2, EngineConfig.from(env).dbMinIdleConns());
        env.put("DB_MIN_IDLE_CONNS", "5");
        assertEquals("DB_MIN_IDLE_CONNS must be between 0 and 4: 5",
                assertThrows(ConfigException.class, () -> EngineConfig.from(env)).problems().get(0));
    }

    @Test
    void everyProblemIsListedAtOnceOneLineEach() {
        Map<String, String> env = new HashMap<>(Map.of("BOURSE_PROFILE", "prod",
                "DB_URL", "jdbc:postgresql://db/b?sslmode=disable", "DB_SSL_MODE", "disable",
                "INTERNAL_TOKEN", "changeme", "ADMIN_TOKEN", "changeme", "AUTH_TOKEN_SECRET", "too-short-secret",
                "AUTH_TOKEN_TTL", "1000d", "DB_MAX_OPEN_CONNS", "0", "DB_CONN_TIMEOUT", "2m"));
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(env));
        assertEquals(List.of(
                "DB_MAX_OPEN_CONNS must be between 2 and 500: 0",
                "DB_CONN_TIMEOUT must be between 250ms and 1m: 2m",
                "AUTH_TOKEN_TTL must be between 1h and 90d: 1000d",
                "DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile: disable",
                "DB_URL must not weaken TLS in the prod profile: it sets sslmode=disable (remove it or use require, "
                        + "verify-ca or verify-full)",
                "INTERNAL_TOKEN is a well-known default or placeholder; set a random value of at least 16 characters",
                "ADMIN_TOKEN is a well-known default or placeholder; set a random value of at least 16 characters",
                "ADMIN_TOKEN must differ from INTERNAL_TOKEN (pods hold the internal token; the admin token is for "
                        + "operators only)",
                "AUTH_TOKEN_SECRET must be at least 32 characters (it has 16)"), e.problems());
        assertEquals("invalid configuration:\n  - " + String.join("\n  - ", e.problems()), e.getMessage());
    }

    @Test
    void jobsNeedNeitherSecretsNorTtl() {
        Map<String, String> env = goodProd();
        env.remove("INTERNAL_TOKEN");
        env.remove("ADMIN_TOKEN");
        env.remove("AUTH_TOKEN_SECRET");
        env.remove("AUTH_TOKEN_TTL");
        EngineConfig c = EngineConfig.from(env::get, false);
        assertEquals(EngineConfig.Profile.PROD, c.profile());
        // but the database rules hold for jobs too
        env.put("DB_SSL_MODE", "disable");
        assertEquals(1, assertThrows(ConfigException.class, () -> EngineConfig.from(env::get, false)).problems().size());
    }

    @Test
    void devDefaultsTheTtlAndGeneratesSecretsLoudly(@TempDir Path dir) throws Exception {
        EngineConfig c = EngineConfig.from(Map.of());
        assertEquals(Duration.ofDays(14), c.authTokenTtl());
        assertTrue(c.secretsGenerated());
        assertEquals(48, c.adminToken().length());
        // a dev TTL is still checked
        ConfigException e = assertThrows(ConfigException.class, () -> EngineConfig.from(Map.of("AUTH_TOKEN_TTL", "1m")));
        assertEquals(List.of("AUTH_TOKEN_TTL must be between 1h and 90d: 1m"), e.problems());

        Path file = dir.resolve("data/dev-secrets.properties");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        java.util.function.Function<String, String> env;
        try {
            env = DevSecrets.apply(new HashMap<String, String>()::get, file);
        } finally {
            System.setErr(err);
        }
        String said = captured.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("DEV PROFILE:"), said);
        assertTrue(said.contains("never in production"), said);
        assertTrue(said.contains("ADMIN_TOKEN=" + env.apply("ADMIN_TOKEN")), said);
        Properties kept = DevSecrets.stored(file);
        assertNotNull(kept.getProperty("AUTH_TOKEN_SECRET"));
        assertTrue(Files.isRegularFile(file));
        assertEquals(Duration.ofDays(14), EngineConfig.from(env, true).authTokenTtl());
    }
}
