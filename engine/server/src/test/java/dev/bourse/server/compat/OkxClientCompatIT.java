package dev.bourse.server.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.OkxRestClient.Credentials;
import dev.bourse.server.support.TestDatabases;
import dev.bourse.server.support.TraderFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An unmodified OKX client library — npm {@code ccxt}, REST class {@code okx} and WebSocket class
 * {@code ccxt.pro.okx} — against a real engine process, changing nothing on the client but its URLs and
 * credentials. The Node script {@code src/test/node/okx-ccxt-compat.mjs} does the calls and checks what
 * ccxt parsed; this test prepares the market, runs it, and checks its JSON summary again.
 *
 * <p>One engine for shard 0; only BTC-USDT (owned by shard 0) is traded. ETH-USDT (shard 1) is listed
 * and shows in {@code loadMarkets} but no order goes to it, so no second engine is needed.
 *
 * <p>Node and npm are required (CI has Node 20): when they are missing the test fails rather than skips.
 * {@code npm ci} runs in {@code target/ccxt-compat} and is skipped when its {@code node_modules} was
 * installed from the same lock file.
 */
@Timeout(240)
class OkxClientCompatIT {
    private static final Path NODE_PROJECT = Paths.get("src", "test", "node");
    private static final Path WORK_DIR = Paths.get("target", "ccxt-compat");
    private static final String SCRIPT = "okx-ccxt-compat.mjs";
    private static final String LOCK_STAMP = ".bourse-lock-sha256";
    private static final String FUNDED_BTC = "10";
    private static final String FUNDED_USDT = "100000";

    @Test
    void ccxtTradesAgainstBourse() throws Exception {
        String nodeVersion = requireTool("node");
        requireTool("npm");
        prepareNodeProject();

        try (TestDatabases.TestDb testDb = TestDatabases.postgres()) {
            long maker;
            long taker;
            try (Database db = testDb.open()) {
                TraderFixture.list(db);
                Map<String, String> funds = Map.of("BTC", FUNDED_BTC, "USDT", FUNDED_USDT);
                maker = TraderFixture.user(db, "ccxt-maker", funds);
                taker = TraderFixture.user(db, "ccxt-taker", funds);
            }
            try (EngineProcess engine = EngineProcess.start(TraderFixture.engine("ccxt-0", testDb, 0))) {
                Credentials makerKey = TraderFixture.apiKey(engine, maker, "read_only,trade");
                Credentials takerKey = TraderFixture.apiKey(engine, taker, "read_only,trade");
                Map<String, String> env = new HashMap<>(Map.of(
                        "BOURSE_URL", engine.baseUri().toString(),
                        "MAKER_KEY", makerKey.apiKey(), "MAKER_SECRET", makerKey.secret(),
                        "MAKER_PASSPHRASE", makerKey.passphrase(),
                        "TAKER_KEY", takerKey.apiKey(), "TAKER_SECRET", takerKey.secret(),
                        "TAKER_PASSPHRASE", takerKey.passphrase(),
                        "FUNDED_BTC", FUNDED_BTC, "FUNDED_USDT", FUNDED_USDT));
                // -Dbourse.compat.verbose=true: ccxt prints every request and WebSocket message
                env.put("COMPAT_VERBOSE", Boolean.getBoolean("bourse.compat.verbose") ? "1" : "0");
                Run run = run(List.of("node", SCRIPT), env, 120);
                if (run.exit != 0) {
                    fail("ccxt script (node " + nodeVersion + ") exited with " + run.exit + ":\n" + run.output
                            + "\n--- engine log tail:\n" + engine.logTail(40));
                }
                JsonNode summary = summary(run.output);
                System.out.println("ccxt (node " + nodeVersion + ") against Bourse: " + summary);
                checkSummary(summary);
            }
        }
    }

    /** The script checked what ccxt parsed; check the essentials again from its summary. */
    private static void checkSummary(JsonNode s) {
        assertTrue(s.path("ok").asBoolean(), s.toString());
        List<String> checks = new ArrayList<>();
        s.path("checks").forEach(c -> checks.add(c.asText()));
        for (String required : List.of("loadMarkets has BTC/USDT", "BTC/USDT precision", "fetchTime is now",
                "fetchBalance BTC funded", "fetchBalance USDT funded", "fetchOrder open", "fetchOpenOrders lists it",
                "fetchOrderBook shows the bid", "cancelOrder → canceled", "watchOrders sees the WS order open",
                "watchOrderBook matches fetchOrderBook", "cancelOrderWs → watchOrders canceled", "crossing orders filled",
                "watchTrades sees the trade", "watchTicker last", "fetchTicker last", "fetchTrades has the trade",
                "fetchMyTrades maker side", "fetchMyTrades taker side", "both fills are the public trade")) {
            assertTrue(checks.contains(required), "missing check '" + required + "' in " + checks);
        }
        JsonNode market = s.path("market");
        assertEquals("BTC-USDT", market.path("id").asText());
        assertEquals(0.1, market.path("precision").path("price").asDouble());
        assertEquals(0.00001, market.path("precision").path("amount").asDouble());
        assertEquals(0.00001, market.path("limits").path("amount").path("min").asDouble());
        assertEquals(Double.parseDouble(FUNDED_BTC), s.path("balance").path("BTC").path("total").asDouble());
        assertEquals(Double.parseDouble(FUNDED_USDT), s.path("balance").path("USDT").path("total").asDouble());
        assertEquals("canceled", s.path("restOrder").path("status").asText());
        assertEquals("canceled", s.path("wsOrder").path("status").asText());
        assertEquals(58000.0, s.path("wsBook").path("bids").path(0).path(0).asDouble(), s.toString());
        JsonNode trade = s.path("trade");
        assertEquals(60000.0, trade.path("price").asDouble());
        assertEquals(0.002, trade.path("amount").asDouble());
        assertEquals("buy", trade.path("side").asText());
        // taker fee 0.001 on 0.002 BTC bought, charged in BTC; maker fee 0.0008 on 120 USDT, charged in USDT
        assertEquals("BTC", trade.path("takerFee").path("currency").asText(), trade.toString());
        assertEquals(0.000002, trade.path("takerFee").path("cost").asDouble(), 1e-12, trade.toString());
        assertEquals("USDT", trade.path("makerFee").path("currency").asText(), trade.toString());
        assertEquals(0.096, trade.path("makerFee").path("cost").asDouble(), 1e-9, trade.toString());
    }

    private static JsonNode summary(String output) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith("SUMMARY ")) {
                return EngineProcess.MAPPER.readTree(line.substring("SUMMARY ".length()));
            }
        }
        throw new AssertionError("no SUMMARY line in the script's output:\n" + output);
    }

    /** Copies package.json, the lock and the script; {@code npm ci} unless node_modules came from this lock. */
    private static void prepareNodeProject() throws Exception {
        Files.createDirectories(WORK_DIR);
        for (String f : List.of("package.json", "package-lock.json", SCRIPT)) {
            Files.copy(NODE_PROJECT.resolve(f), WORK_DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        String lockHash = sha256(Files.readAllBytes(WORK_DIR.resolve("package-lock.json")));
        Path stamp = WORK_DIR.resolve("node_modules").resolve(LOCK_STAMP);
        if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(lockHash)
                && Files.isDirectory(WORK_DIR.resolve("node_modules").resolve("ccxt"))) {
            return;
        }
        Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        if (install.exit != 0) {
            fail("npm ci in " + WORK_DIR.toAbsolutePath() + " exited with " + install.exit + ":\n" + install.output);
        }
        // npm ci removes node_modules first, so the stamp is only present after a complete install
        Files.writeString(stamp, lockHash + "\n");
    }

    /** The tool's version; fails the test (not skips it) when the tool cannot be run. */
    private static String requireTool(String tool) throws InterruptedException {
        try {
            Run r = run(List.of(tool, "--version"), Map.of(), 30);
            if (r.exit != 0) {
                fail("`" + tool + " --version` exited with " + r.exit + ": " + r.output);
            }
            return r.output.trim();
        } catch (IOException e) {
            return fail(tool + " is required for the OKX client compatibility test (Node 20 with npm, as on CI) but "
                    + "cannot be run: " + e.getMessage());
        }
    }

    private record Run(int exit, String output) {
    }

    /** Runs a command in the work directory, output and errors merged, killed after {@code timeoutSeconds}. */
    private static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) throws IOException,
            InterruptedException {
        Files.createDirectories(WORK_DIR);
        Path out = Files.createTempFile(WORK_DIR, "run-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(WORK_DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Run(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
