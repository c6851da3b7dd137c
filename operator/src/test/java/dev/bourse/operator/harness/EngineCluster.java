package dev.bourse.operator.harness;

import dev.bourse.testkit.EngineProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;

/**
 * Real engine processes behind their internal API, one per shard, sharing one throw-away PostgreSQL database and
 * one Redis key prefix: what the operator's pods would talk to in a cluster. {@link #start} creates the database,
 * migrates it with the engine jar's {@code migrate}, lists BTC, ETH and USDT with {@code BTC-USDT} on shard 0 and
 * {@code ETH-USDT} on shard 1 (when there is a shard 1), and starts the engines in parallel. Each shard keeps its
 * port for the whole run, so {@link #restart} brings a pod back where the others (and the operator) expect it.
 * {@link #close} stops the engines, drops the database and deletes the Redis keys.
 */
public final class EngineCluster implements AutoCloseable {
    public static final String INTERNAL_TOKEN = "operator-it-internal-4f9c2d7a1b8e";
    public static final String ADMIN_TOKEN = "operator-it-admin-9e1b7c3a5d20";
    public static final String AUTH_SECRET = "operator-it-auth-secret-3c8e1f6a9b2d4e7f0a1c";
    public static final String PG_HOST = System.getProperty("bourse.test.pg", "127.0.0.1:5432");
    public static final String PG_USER = System.getProperty("bourse.test.pgUser", "postgres");
    public static final String REDIS_HOST = "127.0.0.1";
    public static final int REDIS_PORT = 6379;

    private final String name;
    private final String database;
    private final String dbUrl;
    private final String redisPrefix;
    private final List<EngineProcess.Spec> specs;
    /** Per shard; replaced by {@link #restart}, possibly on another thread than the test's (a stand-in kubelet). */
    private final AtomicReferenceArray<EngineProcess> engines;
    private final AtomicInteger orderIds = new AtomicInteger();

    private EngineCluster(String name, String database, String dbUrl, String redisPrefix, List<EngineProcess.Spec> specs) {
        this.name = name;
        this.database = database;
        this.dbUrl = dbUrl;
        this.redisPrefix = redisPrefix;
        this.specs = specs;
        this.engines = new AtomicReferenceArray<>(specs.size());
    }

    /** Starts {@code shards} engines named {@code <name>-<shard>}. */
    public static EngineCluster start(String name, int shards) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String database = "bourse_op_" + id;
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = "jdbc:postgresql://" + PG_HOST + "/" + database;
        String prefix = "bourse-op-" + id + ":";
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            ports.add(EngineProcess.freePort());
        }
        String peers = ports.stream().map(p -> ports.indexOf(p) + "=http://127.0.0.1:" + p).collect(Collectors.joining(","));
        List<EngineProcess.Spec> specs = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            specs.add(EngineProcess.Spec.of(name + "-" + shard, url, PG_USER, shard, name + "-" + shard, INTERNAL_TOKEN)
                    .with("ADMIN_TOKEN", ADMIN_TOKEN)
                    .with("AUTH_TOKEN_SECRET", AUTH_SECRET)
                    .with("AUTH_PBKDF2_ITERATIONS", "10000")
                    .with("PORT", Integer.toString(ports.get(shard)))
                    .with("SHARD_PEERS", peers)
                    .with("REDIS_ADDR", REDIS_HOST + ":" + REDIS_PORT)
                    .with("REDIS_KEY_PREFIX", prefix)
                    .with("SWITCH_POLL_MS", "100")
                    .with("DB_MAX_OPEN_CONNS", "6")
                    .withJvmOptions(List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1")));
        }
        EngineCluster cluster = new EngineCluster(name, database, url, prefix, specs);
        try {
            EngineProcess.migrate(Map.of("DB_URL", url, "DB_USER", PG_USER, "BOURSE_PROFILE", "dev"), Duration.ofSeconds(60));
            cluster.seed(shards);
            List<CompletableFuture<EngineProcess>> starting = new ArrayList<>();
            for (EngineProcess.Spec spec : specs) {
                starting.add(CompletableFuture.supplyAsync(() -> startQuietly(spec)));
            }
            for (int i = 0; i < shards; i++) {
                cluster.engines.set(i, starting.get(i).join());
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static EngineProcess startQuietly(EngineProcess.Spec spec) {
        try {
            return EngineProcess.start(spec);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Assets and the two test instruments, written before the engines start (they load what they own at start). */
    private void seed(int shards) throws SQLException {
        try (Connection c = jdbc()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO assets (asset_id, code, scale) VALUES (?, ?, ?)")) {
                Object[][] assets = {{0, "BTC", 8}, {1, "ETH", 8}, {2, "USDT", 6}};
                for (Object[] a : assets) {
                    ps.setInt(1, (Integer) a[0]);
                    ps.setString(2, (String) a[1]);
                    ps.setInt(3, (Integer) a[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            instrument(c, "BTC-USDT", 0, 2, "0.1", "0.00001", "0.00001", "1000", "60000", 0);
            if (shards > 1) {
                instrument(c, "ETH-USDT", 1, 2, "0.01", "0.0001", "0.0001", "10000", "3000", 1);
            }
            c.commit();
        }
    }

    private static void instrument(Connection c, String instId, int base, int quote, String tick, String lot, String min,
                                   String max, String refPx, int shard) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO instruments (inst_id, base_asset, quote_asset, tick_sz, "
                + "lot_sz, min_sz, max_sz, band_bps, ref_px, breaker_bps, breaker_window_ms, maker_fee_rate, taker_fee_rate, "
                + "shard_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1000, ?, 0, 0, 0.0008, 0.001, ?)")) {
            ps.setString(1, instId);
            ps.setInt(2, base);
            ps.setInt(3, quote);
            ps.setBigDecimal(4, new java.math.BigDecimal(tick));
            ps.setBigDecimal(5, new java.math.BigDecimal(lot));
            ps.setBigDecimal(6, new java.math.BigDecimal(min));
            ps.setBigDecimal(7, new java.math.BigDecimal(max));
            ps.setBigDecimal(8, new java.math.BigDecimal(refPx));
            ps.setInt(9, shard);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO markets (inst_id, state) VALUES (?, 'TRADING')")) {
            ps.setString(1, instId);
            ps.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ the engines

    public int shards() {
        return engines.length();
    }

    public EngineProcess engine(int shard) {
        return engines.get(shard);
    }

    /** Where shard {@code shard}'s internal API answers (the same port across restarts). */
    public URI address(int shard) {
        return URI.create("http://127.0.0.1:" + specs.get(shard).env().get("PORT"));
    }

    /** SIGKILL: the pod crashed. */
    public void kill(int shard) throws InterruptedException {
        engines.get(shard).kill9();
    }

    /** Starts shard {@code shard} again (after {@link #kill}) on its port and waits until it is ready. */
    public EngineProcess restart(int shard) throws Exception {
        engines.get(shard).close();
        EngineProcess started = EngineProcess.start(specs.get(shard));
        engines.set(shard, started);
        return started;
    }

    /** A connection to the cluster's database (the caller closes it). */
    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection(dbUrl, PG_USER, "");
    }

    public String databaseUrl() {
        return dbUrl;
    }

    // ------------------------------------------------------------------ traders

    /** A user funded with {@code funds} (asset → decimal string) through ledger deposits. */
    public long user(String userName, Map<String, String> funds) throws IOException, InterruptedException {
        EngineProcess.Response r = engines.get(0).post("/internal/v1/users", "{\"name\":\"" + userName + "\"}");
        if (!"0".equals(r.code())) {
            throw new IllegalStateException("user not created: " + r);
        }
        long id = r.first().path("userId").asLong();
        for (Map.Entry<String, String> f : funds.entrySet()) {
            deposit(id, f.getKey(), f.getValue(), userName + ":" + f.getKey());
        }
        return id;
    }

    /** A ledger deposit (idempotent on {@code key}) through shard 0's internal API. */
    public void deposit(long user, String ccy, String amt, String key) throws IOException, InterruptedException {
        ObjectNode b = EngineProcess.MAPPER.createObjectNode();
        b.put("userId", Long.toString(user));
        b.put("ccy", ccy);
        b.put("amt", amt);
        b.put("key", key);
        EngineProcess.Response d = engines.get(0).post("/internal/v1/deposits", b);
        if (!"0".equals(d.code())) {
            throw new IllegalStateException("deposit refused: " + d);
        }
    }

    /** A limit order through shard {@code shard}'s internal API (the shard that owns {@code instId}); data[0]. */
    public JsonNode limit(int shard, long user, String instId, String side, String px, String sz) throws IOException,
            InterruptedException {
        ObjectNode b = EngineProcess.MAPPER.createObjectNode();
        b.put("userId", Long.toString(user));
        b.put("instId", instId);
        b.put("side", side);
        b.put("ordType", "limit");
        b.put("px", px);
        b.put("sz", sz);
        b.put("clOrdId", "op" + orderIds.incrementAndGet());
        EngineProcess.Response r = engines.get(shard).post("/internal/v1/orders", b);
        JsonNode first = r.first();
        if (first == null) {
            throw new IllegalStateException("order not answered: " + r);
        }
        return first;
    }

    /** {@code GET /internal/v1/status} of one shard (data[0]). */
    public JsonNode status(int shard) throws IOException, InterruptedException {
        return engines.get(shard).get("/internal/v1/status").first();
    }

    /** Environment of shard {@code shard} as started, e.g. for a restart with other settings. */
    public Map<String, String> env(int shard) {
        return new LinkedHashMap<>(specs.get(shard).env());
    }

    @Override
    public void close() {
        for (int i = 0; i < engines.length(); i++) {
            EngineProcess e = engines.get(i);
            if (e != null) {
                try {
                    e.stop(Duration.ofSeconds(10));
                } catch (Exception ex) {
                    e.close();
                }
                e.close();
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + "/postgres", PG_USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
        try {
            RedisKeys.deleteByPrefix(REDIS_HOST, REDIS_PORT, redisPrefix);
        } catch (IOException e) {
            System.err.println("could not delete Redis keys " + redisPrefix + "*: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "EngineCluster[" + name + ", " + database + ", " + engines.length() + " shards]";
    }
}
