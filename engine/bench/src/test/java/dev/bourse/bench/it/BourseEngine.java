package dev.bourse.bench.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A dev-profile Bourse engine started from its packaged jar ({@code -Dbourse.server.jar}, set by failsafe) in a
 * fresh temporary directory: embedded H2 under {@code ./data} there, the demo instruments BTC-USDT (reference
 * 60000) and ETH-USDT (3000), and the given operator tokens. Output goes to {@code target/engine-logs/}. The minimum
 * of engine/client's test helper that the bench ITs need.
 */
public final class BourseEngine implements AutoCloseable {
    public static final String INTERNAL_TOKEN = "bench-it-internal-token-7f3a9c";
    public static final String ADMIN_TOKEN = "bench-it-admin-token-2d81e5b0";
    /** Engine settings that must not leak in from the environment of the build. */
    private static final List<String> ENGINE_VARS = List.of("BOURSE_PROFILE", "HOST", "PORT", "DB_URL", "DB_USER",
            "DB_PASSWORD", "REDIS_ADDR", "SHARD_ID", "ENGINE_ID", "INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET",
            "DEMO_DATA", "RATE_LIMITS", "AUTH_PBKDF2_ITERATIONS", "SHARD_PEERS", "SHARD_URL_TEMPLATE", "WALLET_CHAIN",
            "WALLET_SCAN_MS", "WALLET_SIM_BLOCK_MS", "QUEUE_CAPACITY", "MAX_BATCH", "REDIS_KEY_PREFIX", "AUTH_TOKEN_TTL");

    private final Process process;
    private final Path dir;
    private final Path log;
    private final int port;

    private BourseEngine(Process process, Path dir, Path log, int port) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** Starts the engine with {@code env} on top of the dev profile's defaults and waits until it is ready. */
    public static BourseEngine start(String name, Map<String, String> env) throws IOException, InterruptedException {
        String jar = System.getProperty("bourse.server.jar", "../server/target/exchange-engine-server.jar");
        if (!Files.isRegularFile(Paths.get(jar))) {
            throw new IllegalStateException("the engine jar is missing: " + Paths.get(jar).toAbsolutePath()
                    + " (build it with ./mvnw -pl engine/server -am package -DskipTests, or set -Dbourse.server.jar)");
        }
        Path dir = Files.createTempDirectory("bourse-bench-it");
        Path logs = Paths.get("target", "engine-logs");
        Files.createDirectories(logs);
        Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-jar", Paths.get(jar).toAbsolutePath().toString(), "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> e = pb.environment();
        ENGINE_VARS.forEach(e::remove);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("BOURSE_PROFILE", "dev");
        settings.put("HOST", "127.0.0.1");
        settings.put("PORT", Integer.toString(port));
        settings.put("INTERNAL_TOKEN", INTERNAL_TOKEN);
        settings.put("ADMIN_TOKEN", ADMIN_TOKEN);
        settings.putAll(env);
        e.putAll(settings);
        BourseEngine engine = new BourseEngine(pb.start(), dir, log, port);
        try {
            engine.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException | InterruptedException ex) {
            engine.close();
            throw ex;
        }
        return engine;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("engine exited with " + process.exitValue() + "; log " + log + ":\n"
                            + log());
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    last = r.statusCode() + " " + r.body();
                } catch (IOException ex) {
                    last = ex.toString();
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("engine not ready after " + timeout + " (last: " + last + "); log " + log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
