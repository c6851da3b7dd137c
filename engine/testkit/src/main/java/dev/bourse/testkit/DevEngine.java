package dev.bourse.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A dev-profile engine as a developer runs it, for the integration tests of the SDK (engine/client) and the load
 * generator (engine/bench): an {@link EngineProcess} in a fresh directory under {@code target/}, so its embedded H2
 * and everything else under {@code ./data} is its own and is deleted by {@link #close()}; the demo instruments
 * BTC-USDT (reference 60000) and ETH-USDT (3000) and the demo users, whose API keys it prints at start-up; fixed
 * operator tokens. {@link #start} returns once the engine is ready and has printed those keys.
 */
public final class DevEngine implements AutoCloseable {
    // all three secrets are given, so the engine generates and keeps none
    public static final String INTERNAL_TOKEN = "dev-engine-it-internal-7f3a9c20e4";
    public static final String ADMIN_TOKEN = "dev-engine-it-admin-2d81e5b0c6f1";
    public static final String AUTH_TOKEN_SECRET = "dev-engine-it-auth-token-secret-5b1e09c7a4d3f286";
    /** The users the dev profile's demo data funds and gives API keys. */
    public static final List<String> DEMO_USERS = List.of("demo-alice", "demo-bob");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** The demo keys are printed just after the engine turns ready. */
    private static final Duration KEYS_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern DEMO_KEY = Pattern.compile(
            "(demo-[\\w-]+) \\((\\d+)\\): apiKey=(\\S+) secretKey=(\\S+) passphrase=(\\S+)");

    /** A demo user's API key as the engine printed it (OKX V5 signing: key, secret, passphrase). */
    public record DemoKey(String user, long userId, String apiKey, String secretKey, String passphrase) {
    }

    private final EngineProcess process;
    private final Path directory;

    private DevEngine(EngineProcess process, Path directory) {
        this.process = process;
        this.directory = directory;
    }

    /**
     * Starts the engine with {@code env} on top of the dev profile, its demo data and the tokens above, and waits
     * until it is ready (and, with demo data, until it printed the demo keys).
     */
    public static DevEngine start(String name, Map<String, String> env) throws IOException, InterruptedException {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Path directory = Files.createTempDirectory(target, name + "-");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("BOURSE_PROFILE", "dev");
        settings.put("INTERNAL_TOKEN", INTERNAL_TOKEN);
        settings.put("ADMIN_TOKEN", ADMIN_TOKEN);
        settings.put("AUTH_TOKEN_SECRET", AUTH_TOKEN_SECRET);
        settings.putAll(env);
        EngineProcess.Spec spec = new EngineProcess.Spec(name, settings, List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
                READY_TIMEOUT, directory);
        EngineProcess process;
        try {
            process = EngineProcess.start(spec);
        } catch (IOException | InterruptedException | RuntimeException e) {
            delete(directory);
            throw e;
        }
        DevEngine engine = new DevEngine(process, directory);
        try {
            if (!Set.of("false", "0", "no").contains(settings.getOrDefault("DEMO_DATA", "true").toLowerCase())) {
                engine.awaitDemoKeys();
            }
        } catch (InterruptedException | RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    private void awaitDemoKeys() throws InterruptedException {
        long deadline = System.nanoTime() + KEYS_TIMEOUT.toNanos();
        while (!demoKeys().keySet().containsAll(DEMO_USERS)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException(process.name() + " is ready but did not print the demo keys of "
                        + DEMO_USERS + "; log " + process.logFile() + ":\n" + process.logTail(80));
            }
            Thread.sleep(50);
        }
    }

    /** {@code http://127.0.0.1:<port>}; the WebSocket endpoints are the same with {@code ws://}. */
    public String baseUrl() {
        return process.baseUri().toString();
    }

    /** The process itself: the internal API with the token, SIGTERM ({@link EngineProcess#stop()}), the log. */
    public EngineProcess process() {
        return process;
    }

    /** Demo user name -> its API key, from the start-up log. */
    public Map<String, DemoKey> demoKeys() {
        Map<String, DemoKey> keys = new LinkedHashMap<>();
        Matcher m = DEMO_KEY.matcher(process.log());
        while (m.find()) {
            keys.put(m.group(1), new DemoKey(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4), m.group(5)));
        }
        return keys;
    }

    /** One demo user's key; fails if the engine printed none for it. */
    public DemoKey demoKey(String user) {
        DemoKey key = demoKeys().get(user);
        if (key == null) {
            throw new IllegalArgumentException("no demo key for " + user + " in " + process.logFile());
        }
        return key;
    }

    /** Kills the engine if it still runs (SIGKILL) and deletes its directory. */
    @Override
    public void close() {
        process.close();
        delete(directory);
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return process.toString();
    }
}
