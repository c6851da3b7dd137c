package dev.bourse.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * The dev profile on its embedded database keeps its generated secrets next to the data, in
 * {@code ./data/dev-secrets.properties}: API keys are sealed under {@code AUTH_TOKEN_SECRET}, so a
 * secret that changed at every start would orphan every key a developer created. Never used with an
 * external database or in the prod profile.
 */
public final class DevSecrets {
    static final List<String> NAMES = List.of("INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET");

    private DevSecrets() {
    }

    /**
     * {@code env} with the dev secrets it lacks filled in from (or generated into) {@code file}; {@code env}
     * itself when the profile is not dev or {@code DB_URL} is set.
     */
    public static Function<String, String> apply(Function<String, String> env, Path file) {
        String profile = env.apply("BOURSE_PROFILE");
        boolean dev = profile == null || profile.isBlank() || profile.trim().equalsIgnoreCase("dev");
        String dbUrl = env.apply("DB_URL");
        if (!dev || (dbUrl != null && !dbUrl.isBlank())) {
            return env;
        }
        Properties stored = new Properties();
        boolean changed = false;
        try {
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    stored.load(in);
                }
            }
            for (String name : NAMES) {
                String given = env.apply(name);
                if ((given == null || given.isBlank()) && stored.getProperty(name, "").isBlank()) {
                    stored.setProperty(name, randomSecret());
                    changed = true;
                }
            }
            if (changed) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    stored.store(out, "Bourse dev profile: throw-away secrets of the embedded database in this folder");
                }
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file still works; only its permissions could not be narrowed
                }
            }
        } catch (IOException e) {
            throw new ConfigException(List.of("cannot keep the dev secrets in " + file + ": " + e.getMessage()));
        }
        System.err.println("DEV PROFILE: INTERNAL_TOKEN, ADMIN_TOKEN and AUTH_TOKEN_SECRET not set; using the throw-away "
                + "values kept in " + file + " (never in production):\n  INTERNAL_TOKEN=" + value(env, stored, "INTERNAL_TOKEN")
                + "\n  ADMIN_TOKEN=" + value(env, stored, "ADMIN_TOKEN"));
        return name -> {
            String v = env.apply(name);
            if ((v == null || v.isBlank()) && NAMES.contains(name)) {
                return stored.getProperty(name);
            }
            return v;
        };
    }

    /**
     * The values kept in {@code file}, or none when it does not exist or cannot be read: the prod profile
     * refuses a secret that equals one of them (a dev throw-away value pasted into a production config).
     */
    static Properties stored(Path file) {
        Properties stored = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                stored.load(in);
            } catch (IOException | IllegalArgumentException unreadable) {
                return new Properties();
            }
        }
        return stored;
    }

    private static String value(Function<String, String> env, Properties stored, String name) {
        String v = env.apply(name);
        return v == null || v.isBlank() ? stored.getProperty(name) : v;
    }

    private static String randomSecret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
