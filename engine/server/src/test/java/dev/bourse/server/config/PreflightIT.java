package dev.bourse.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged engine jar, started with the prod profile and a bad environment: it must refuse to start,
 * exit non-zero, and print every problem on its own line, without a stack trace. The jar comes from
 * {@code bourse.server.jar} (set by failsafe), as for {@code EngineProcess}.
 */
class PreflightIT {

    private record Outcome(int exitCode, String output) {
    }

    /** Runs {@code java -jar <engine> run} in {@code dir} with exactly {@code env} (plus PATH). */
    private static Outcome run(Path dir, Map<String, String> env) throws Exception {
        String jar = System.getProperty("bourse.server.jar");
        assertTrue(jar != null && Files.isRegularFile(Paths.get(jar)), "bourse.server.jar must name the packaged jar: " + jar);
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar, "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        String path = pb.environment().get("PATH");
        pb.environment().clear(); // nothing inherited from the build's environment can make the test pass
        if (path != null) {
            pb.environment().put("PATH", path);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the engine should have refused to start");
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private static void assertNoStackTrace(String output) {
        assertFalse(output.contains("\tat "), output);
        assertFalse(output.contains("Exception"), output);
        assertFalse(output.contains("Caused by"), output);
    }

    @Test
    void prodWithBadSettingsRefusesToStartListingEveryProblem(@TempDir Path dir) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BOURSE_PROFILE", "prod");
        env.put("DB_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=disable");
        env.put("DB_SSL_MODE", "disable");
        env.put("INTERNAL_TOKEN", "changeme");
        env.put("ADMIN_TOKEN", "Change-Me");
        env.put("AUTH_TOKEN_SECRET", "short-auth-secret");
        env.put("AUTH_TOKEN_TTL", "1000d");
        env.put("DB_MAX_OPEN_CONNS", "1000");
        env.put("DB_MIN_IDLE_CONNS", "-1");
        env.put("DB_CONN_MAX_LIFETIME", "10s");
        env.put("DB_CONN_TIMEOUT", "2m");
        Outcome o = run(dir, env);
        assertTrue(o.exitCode() != 0, "exit code " + o.exitCode());
        assertEquals(2, o.exitCode(), o.output());
        List<String> expected = List.of(
                "DB_MAX_OPEN_CONNS must be between 2 and 500: 1000",
                "DB_MIN_IDLE_CONNS must be between 0 and 10: -1",
                "DB_CONN_MAX_LIFETIME must be between 30s and 1d: 10s",
                "DB_CONN_TIMEOUT must be between 250ms and 1m: 2m",
                "AUTH_TOKEN_TTL must be between 1h and 90d: 1000d",
                "DB_SSL_MODE must be require, verify-ca or verify-full in the prod profile: disable",
                "DB_URL must not weaken TLS in the prod profile: it sets sslmode=disable (remove it or use require, "
                        + "verify-ca or verify-full)",
                "INTERNAL_TOKEN is a well-known default or placeholder; set a random value of at least 16 characters",
                "ADMIN_TOKEN is a well-known default or placeholder; set a random value of at least 16 characters",
                "AUTH_TOKEN_SECRET must be at least 32 characters (it has 17)");
        List<String> lines = o.output().lines().toList();
        for (String line : expected) {
            assertTrue(lines.contains("  - " + line), "missing line '" + line + "' in:\n" + o.output());
        }
        assertEquals(expected.size(), lines.stream().filter(l -> l.startsWith("  - ")).count(), o.output());
        assertTrue(lines.contains("invalid configuration:"), o.output());
        assertNoStackTrace(o.output());
        assertFalse(o.output().contains("short-auth-secret"), "secrets are never printed");
        assertFalse(Files.exists(dir.resolve("data")), "a refused prod start writes nothing");
    }

    @Test
    void prodWithoutSecretsOrTtlSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Outcome o = run(dir, Map.of("BOURSE_PROFILE", "prod", "DB_URL", "jdbc:postgresql://db.internal:5432/bourse",
                "DB_SSL_MODE", "require"));
        assertEquals(2, o.exitCode(), o.output());
        List<String> problems = o.output().lines().filter(l -> l.startsWith("  - ")).toList();
        assertEquals(4, problems.size(), o.output());
        for (String var : List.of("INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET", "AUTH_TOKEN_TTL")) {
            assertTrue(problems.stream().anyMatch(l -> l.startsWith("  - " + var + " is required in the prod profile")),
                    var + " in:\n" + o.output());
        }
        assertNoStackTrace(o.output());
    }
}
