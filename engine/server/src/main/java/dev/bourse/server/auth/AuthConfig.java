package dev.bourse.server.auth;

import dev.bourse.server.config.ConfigException;
import dev.bourse.server.config.EnvNumbers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tuning of API-key authentication. The {@code AUTH_TOKEN_SECRET} itself comes from the engine config
 * (which generates one in the dev profile) and is handed to {@link SecretBox#fromAuthTokenSecret}.
 *
 * @param keyCacheSize       API keys whose opened secret and checked passphrase are kept in memory
 * @param keyCacheTtlMillis  how long a cached key is trusted before its row is read again: the bound on
 *                           how late another engine process notices a revocation
 * @param pbkdf2Iterations   PBKDF2 iterations for new passphrase hashes
 */
public record AuthConfig(int keyCacheSize, long keyCacheTtlMillis, int pbkdf2Iterations) {
    /** OKX: a request whose timestamp is more than 30 s away from the server clock, either way, is refused. */
    public static final long TIMESTAMP_WINDOW_MILLIS = 30_000;

    /**
     * Lifetime of API keys without an IP allowlist when none is configured. The engine takes the real
     * value from {@code AUTH_TOKEN_TTL} (required in the prod profile, see
     * {@link dev.bourse.server.config.EngineConfig#authTokenTtl()}); OKX lets such keys lapse after 14 days.
     */
    public static final Duration DEFAULT_UNBOUND_KEY_TTL = Duration.ofDays(14);

    public static final AuthConfig DEFAULTS = new AuthConfig(100_000, 10_000, PassphraseHasher.DEFAULT_ITERATIONS);

    /** Reads {@code AUTH_KEY_CACHE_SIZE}, {@code AUTH_KEY_CACHE_TTL_MS}, {@code AUTH_PBKDF2_ITERATIONS}. */
    public static AuthConfig fromEnvironment(Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        int size = (int) EnvNumbers.number(env, "AUTH_KEY_CACHE_SIZE", DEFAULTS.keyCacheSize, 16, 10_000_000,
                problems);
        long ttl = EnvNumbers.number(env, "AUTH_KEY_CACHE_TTL_MS", DEFAULTS.keyCacheTtlMillis, 0, 600_000, problems);
        int iterations = (int) EnvNumbers.number(env, "AUTH_PBKDF2_ITERATIONS", DEFAULTS.pbkdf2Iterations, 10_000,
                10_000_000, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AuthConfig(size, ttl, iterations);
    }
}
