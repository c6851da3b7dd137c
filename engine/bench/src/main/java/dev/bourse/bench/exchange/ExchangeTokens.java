package dev.bourse.bench.exchange;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The two operator secrets a bench tool needs to set up traders: {@code INTERNAL_TOKEN} (create users, deposit,
 * mass-cancel) and {@code ADMIN_TOKEN} (create API keys). Each comes from its flag, else the environment variable of
 * the same name, else a properties file such as the dev profile's {@code data/dev-secrets.properties}.
 */
public record ExchangeTokens(String internalToken, String adminToken) {
    public static final Path DEV_SECRETS = Path.of("data", "dev-secrets.properties");

    public boolean complete() {
        return present(internalToken) && present(adminToken);
    }

    /**
     * Resolves both tokens. {@code secretsFile} null means the dev file when it exists in the working directory; a
     * file that was named explicitly must exist.
     */
    public static ExchangeTokens resolve(String internalFlag, String adminFlag, Path secretsFile,
                                         Map<String, String> env) {
        Properties file = new Properties();
        Path path = secretsFile != null ? secretsFile : (Files.isRegularFile(DEV_SECRETS) ? DEV_SECRETS : null);
        if (path != null) {
            try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the secrets file " + path + ": " + e.getMessage());
            }
        }
        return new ExchangeTokens(pick(internalFlag, env.get("INTERNAL_TOKEN"), file.getProperty("INTERNAL_TOKEN")),
                pick(adminFlag, env.get("ADMIN_TOKEN"), file.getProperty("ADMIN_TOKEN")));
    }

    private static String pick(String... candidates) {
        for (String c : candidates) {
            if (present(c)) {
                return c.trim();
            }
        }
        return null;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    @Override
    public String toString() {
        return "ExchangeTokens[internal=" + (present(internalToken) ? "set" : "missing") + ", admin="
                + (present(adminToken) ? "set" : "missing") + "]";
    }
}
