package dev.bourse.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An engine started from the packaged jar as a child process, for integration tests that need real processes: two
 * shards competing for the same balances, kill -9 and recovery, the operator's tests behind the engines' internal
 * API. Shared by the test suites of engine/server and operator, and through {@link DevEngine} by those of
 * engine/client and engine/bench. The jar comes from the system property
 * {@code bourse.server.jar} (set by failsafe); the JVM is the one running the test ({@code java.home},
 * which under {@code ./mvnw} is {@code $JAVA_HOME}); override with {@code -Dbourse.java=/path/to/java}.
 *
 * <p>{@link #start(Spec)} picks a free port, starts the process with its output in a log file under
 * {@code target/engine-logs/} and returns once {@code GET /health/ready} answers 200, failing with the
 * log's tail otherwise. {@link #post}/{@link #get} send the internal token. {@link #kill9()} is SIGKILL
 * (nothing runs in the engine: no shutdown hook, no lease release), {@link #stop()} is SIGTERM (the
 * engine's shutdown hook drains and commits its queue and releases the lease). {@link #close()} kills
 * whatever is still running, and a JVM shutdown hook does the same should the test JVM exit first.
 *
 * <p>A {@link Spec} is immutable and can be started again (a restart after kill -9): each start gets a
 * new port unless the spec fixes one, and its own log file.
 */
public final class EngineProcess implements AutoCloseable {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Path LOG_DIR = Paths.get("target", "engine-logs");
    /** The packaged engine jar, from the system property failsafe sets. */
    public static final String JAR_PROPERTY = "bourse.server.jar";

    /** Engine settings taken from the environment; removed from the inherited environment first. */
    private static final List<String> ENGINE_VARS = List.of("BOURSE_PROFILE", "HOST", "PORT", "DB_URL", "DB_USER",
            "DB_PASSWORD", "DB_MAX_OPEN_CONNS", "DB_SSL_MODE", "REDIS_ADDR", "SHARD_ID", "ENGINE_ID", "LEASE_TTL_MS",
            "QUEUE_CAPACITY", "MAX_BATCH", "INTERNAL_TOKEN", "ADMIN_TOKEN", "AUTH_TOKEN_SECRET", "DEMO_DATA", "RATE_LIMITS", "AUTH_KEY_CACHE_SIZE", "AUTH_KEY_CACHE_TTL_MS",
            "AUTH_PBKDF2_ITERATIONS", "EVENT_REPLAY_COUNT", "REDIS_KEY_PREFIX", "SHARD_PEERS", "SHARD_URL_TEMPLATE",
            "AUTH_TOKEN_TTL", "DB_MIN_IDLE_CONNS", "DB_CONN_MAX_LIFETIME", "DB_CONN_TIMEOUT", "SWITCH_POLL_MS",
            "FUNDS_WATCH_INTERVAL_MS", "WALLET_CHAIN", "WALLET_SCAN_MS", "WALLET_SIM_BLOCK_MS", "ADMIN_AUTH_MAX_FAILURES");

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }), "engine-process-reaper"));
    }

    /**
     * What to start: a name (for logs), the engine's environment, JVM options, the readiness timeout and the working
     * directory ({@code null}: the test's own; the dev profile keeps its H2 files and secrets under {@code ./data}).
     */
    public record Spec(String name, Map<String, String> env, List<String> jvmOptions, Duration readyTimeout,
                       Path directory) {
        public Spec {
            Objects.requireNonNull(name, "name");
            env = Map.copyOf(env);
            jvmOptions = List.copyOf(jvmOptions);
            Objects.requireNonNull(readyTimeout, "readyTimeout");
        }

        /**
         * A dev-profile engine for one shard of a PostgreSQL (or H2) database, without demo data, with
         * {@code -Xmx512m}.
         */
        public static Spec of(String name, String dbUrl, String dbUser, int shardId, String engineId, String internalToken) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("BOURSE_PROFILE", "dev");
            env.put("DB_URL", dbUrl);
            env.put("DB_USER", dbUser);
            env.put("SHARD_ID", Integer.toString(shardId));
            env.put("ENGINE_ID", engineId);
            env.put("INTERNAL_TOKEN", internalToken);
            env.put("DEMO_DATA", "false");
            return new Spec(name, env, List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), DEFAULT_READY_TIMEOUT, null);
        }

        /** This spec with one more (or a replaced) environment variable. */
        public Spec with(String var, String value) {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put(var, value);
            return new Spec(name, e, jvmOptions, readyTimeout, directory);
        }

        public Spec withName(String newName) {
            return new Spec(newName, env, jvmOptions, readyTimeout, directory);
        }

        public Spec withJvmOptions(List<String> options) {
            return new Spec(name, env, options, readyTimeout, directory);
        }

        public Spec withReadyTimeout(Duration timeout) {
            return new Spec(name, env, jvmOptions, timeout, directory);
        }
    }

    /** An HTTP answer: status, raw body, and the body as JSON (null when it is not JSON). */
    public record Response(int status, String body, JsonNode json) {
        /** The OKX envelope's {@code code}, or null. */
        public String code() {
            return json == null || json.get("code") == null ? null : json.get("code").asText();
        }

        /** {@code data[0]}, or null. */
        public JsonNode first() {
            JsonNode d = json == null ? null : json.get("data");
            return d != null && d.isArray() && !d.isEmpty() ? d.get(0) : null;
        }

        /** {@code data[0].sCode} for commands, else the envelope code. */
        public String sCode() {
            JsonNode f = first();
            return f != null && f.hasNonNull("sCode") ? f.get("sCode").asText() : code();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final Spec spec;
    private final Process process;
    private final int port;
    private final Path logFile;
    private final String token;
    private final HttpClient http;
    private final URI base;

    private EngineProcess(Spec spec, Process process, int port, Path logFile) {
        this.spec = spec;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.token = spec.env().get("INTERNAL_TOKEN");
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Starts the engine and waits until it is ready. A port taken between choosing it and the engine
     * binding it is retried with another port (twice).
     */
    public static EngineProcess start(Spec spec) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            boolean fixedPort = spec.env().containsKey("PORT");
            int port = fixedPort ? Integer.parseInt(spec.env().get("PORT")) : freePort();
            EngineProcess e = launch(spec, port);
            try {
                e.awaitReady(spec.readyTimeout());
                return e;
            } catch (IllegalStateException | AssertionError ex) {
                String tail = e.logTail(200);
                e.close();
                if (!fixedPort && attempt < 3 && tail.contains("Address already in use")) {
                    continue;
                }
                throw ex;
            } catch (InterruptedException | RuntimeException ex) {
                e.close();
                throw ex;
            }
        }
    }

    private static EngineProcess launch(Spec spec, int port) throws IOException {
        String jar = jar();
        Files.createDirectories(LOG_DIR);
        Path log = nextLogFile(spec.name());
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(spec.jvmOptions());
        cmd.add("-jar");
        cmd.add(Paths.get(jar).toAbsolutePath().toString()); // the engine may run in another directory
        cmd.add("run");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (spec.directory() != null) {
            pb.directory(spec.directory().toFile());
        }
        Map<String, String> env = pb.environment();
        ENGINE_VARS.forEach(env::remove);
        env.putAll(spec.env());
        env.put("PORT", Integer.toString(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Files.writeString(log, "# " + String.join(" ", cmd) + "\n# shard " + spec.env().get("SHARD_ID") + ", engine "
                + spec.env().get("ENGINE_ID") + ", port " + port + "\n", StandardCharsets.UTF_8);
        Process p = pb.start();
        RUNNING.add(p);
        p.onExit().thenRun(() -> RUNNING.remove(p));
        return new EngineProcess(spec, p, port, log);
    }

    /** The engine jar; fails with the command that builds it when it is missing. */
    public static String jar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Paths.get(jar))) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " must name the packaged engine jar; build it "
                    + "with ./mvnw -B -q -pl engine/server -am package -DskipTests and run the ITs through failsafe "
                    + "(./mvnw verify): " + jar);
        }
        return jar;
    }

    /**
     * Runs {@code java -jar <engine> migrate} with {@code env} (DB_URL, DB_USER...) and waits for it; fails with its
     * output if it does not exit 0 within {@code timeout}.
     */
    public static void migrate(Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-Xmx256m", "-jar", jar(), "migrate");
        ENGINE_VARS.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        RUNNING.add(p);
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("engine migrate failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } finally {
            RUNNING.remove(p);
        }
    }

    private static String javaBinary() {
        String override = System.getProperty("bourse.java");
        if (override != null && !override.isBlank()) {
            return override;
        }
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static synchronized Path nextLogFile(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
        Path p = LOG_DIR.resolve(safe + ".log");
        for (int i = 2; Files.exists(p); i++) {
            p = LOG_DIR.resolve(safe + "-" + i + ".log");
        }
        try {
            Files.createFile(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A port nothing listens on right now (the engine binds it a moment later). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Polls {@code /health/ready} until 200; throws with the log's tail on timeout or if the process exits. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with " + process.exitValue()
                        + " before it was ready; log " + logFile + ":\n" + logTail(80));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(spec.name() + " not ready after " + timeout.toSeconds() + " s (last: " + last
                + "); log " + logFile + ":\n" + logTail(80));
    }

    // ------------------------------------------------------------------ HTTP

    public Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** POSTs a JSON body: a String as is, anything else through Jackson. */
    public Response post(String path, Object json) throws IOException, InterruptedException {
        String body = json instanceof String s ? s : MAPPER.writeValueAsString(json);
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(40));
        if (token != null) {
            b.header("X-Internal-Token", token);
        }
        return b;
    }

    private Response send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        String body = r.body();
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json") || body.startsWith("{") || body.startsWith("[")) {
            try {
                json = MAPPER.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
        }
        return new Response(r.statusCode(), body, json);
    }

    /** The value of one Prometheus sample from {@code /metrics}, summed over series matching every label given. */
    public double metric(String name, String... labels) throws IOException, InterruptedException {
        return metricValue(get("/metrics").body(), name, labels);
    }

    /** Sums the samples of {@code name} in a Prometheus text exposition whose labels contain each of {@code labels}. */
    public static double metricValue(String exposition, String name, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ lifecycle

    /** SIGKILL: the engine gets no chance to do anything. Waits until the process is gone. */
    public void kill9() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM and wait up to 30 s for the graceful stop; returns the exit code (143 after SIGTERM). */
    public int stop() throws InterruptedException {
        return stop(Duration.ofSeconds(30));
    }

    /** SIGTERM and wait; if the engine has not exited within {@code timeout} it is killed and this throws. */
    public int stop(Duration timeout) throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String tail = logTail(60);
            kill9();
            throw new IllegalStateException(spec.name() + " did not stop within " + timeout.toSeconds()
                    + " s of SIGTERM and was killed; log tail:\n" + tail);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return base;
    }

    public Spec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public Path logFile() {
        return logFile;
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** The last 60 lines of the log. */
    public String logTail() {
        return logTail(60);
    }

    /** The last {@code lines} lines of the log (reads at most the last 256 KiB). */
    public String logTail(int lines) {
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - 256 * 1024);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\n", -1);
            int start = Math.max(0, all.length - lines - 1);
            return String.join("\n", java.util.Arrays.asList(all).subList(start, all.length));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Kills the engine if it still runs (SIGKILL: a test that wants a graceful stop calls {@link #stop()} first). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill9();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(process);
        http.close();
    }

    @Override
    public String toString() {
        return spec.name() + "[pid " + process.pid() + ", port " + port + ", log " + logFile + "]";
    }
}
