package dev.bourse.server.twoprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two engine processes, one per shard, trading the SAME users' money at full speed: BTC-USDT on shard 0
 * and ETH-USDT on shard 1, both buying with the one shared USDT balance of each user. Each user has far
 * less USDT than the buys both shards see at once would hold, so the shards constantly compete for it.
 * The engines are real child processes started from the packaged jar (nothing shared but PostgreSQL).
 *
 * <p>After a graceful stop the database is checked with plain JDBC: every acknowledged order is stored
 * as acknowledged and nothing else is; no balance went negative; every asset is conserved in the
 * balances and in the journal; every balance row is the sum of its journal entries; what is held equals
 * what the live orders of both shards hold; and overspending was really attempted (insufficient-balance
 * rejections) while both shards traded.
 */
class TwoProcessIT {
    private static final Logger LOG = Logger.getLogger(TwoProcessIT.class.getName());

    private static final int USERS = 20;
    private static final int THREADS_PER_ENGINE = Integer.getInteger("bourse.twoproc.threads", 6);
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("bourse.twoproc.seconds", 15));

    private static final String USDT_PER_USER = "10000";
    private static final String BTC_PER_USER = "0.5";
    private static final String ETH_PER_USER = "10";

    private static final Set<String> LIVE_STATES = Set.of("LIVE", "PARTIALLY_FILLED");

    /** One instrument as the load generator sees it: tick and lot in integer units, price and size ranges. */
    private record Market(String instId, int shard, long midTicks, int pxScale, int szScale, long minLots, long maxLots,
                          int buyBelow, int buyAbove, int sellBelow, int sellAbove) {
        String price(SplittableRandom rnd, boolean buy) {
            long ticks = buy ? midTicks + rnd.nextLong(-buyBelow, buyAbove + 1) : midTicks + rnd.nextLong(-sellBelow, sellAbove + 1);
            return BigDecimal.valueOf(ticks, pxScale).toPlainString();
        }

        String size(SplittableRandom rnd) {
            return BigDecimal.valueOf(rnd.nextLong(minLots, maxLots + 1), szScale).toPlainString();
        }
    }

    // BTC: 59960..60020 bids, 59980..60040 asks (tick 0.1); 0.01..0.05 BTC = 600..3000 USDT a buy
    private static final Market BTC = new Market("BTC-USDT", 0, 600_000, 1, 5, 1_000, 5_000, 400, 200, 200, 400);
    // ETH: 2980..3010 bids, 2990..3020 asks (tick 0.01); 0.2..1.0 ETH = 600..3000 USDT a buy
    private static final Market ETH = new Market("ETH-USDT", 1, 300_000, 2, 4, 2_000, 10_000, 2_000, 1_000, 1_000, 2_000);

    // ------------------------------------------------------------------ what the clients saw

    record Ack(long ordId, long userId, String instId, String clOrdId, String side, String px, String sz) {
    }

    record Refused(String clOrdId, long userId, String instId, String code) {
    }

    /** Everything the client threads observed; thread-safe. */
    static final class Observations {
        final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Refused> refusedPlaces = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> canceledOrdIds = new ConcurrentLinkedQueue<>();
        final Set<String> uncertainClOrdIds = ConcurrentHashMap.newKeySet();
        final ConcurrentHashMap<String, LongAdder> codes = new ConcurrentHashMap<>(); // "place 51008" -> count
        final ConcurrentLinkedQueue<String> surprises = new ConcurrentLinkedQueue<>();
        final LongAdder requests = new LongAdder();
        final LongAdder duplicatesAnswered = new LongAdder();
        final ConcurrentHashMap<String, AtomicLong> lastAckNanos = new ConcurrentHashMap<>();

        void acked(String instId) {
            lastAckNanos.computeIfAbsent(instId, k -> new AtomicLong())
                    .accumulateAndGet(System.nanoTime(), Math::max);
        }

        void count(String what, String code) {
            codes.computeIfAbsent(what + " " + code, k -> new LongAdder()).increment();
        }

        /** Sum over every key ending with {@code suffix} (e.g. "place 51008"). */
        long count(String suffix) {
            return codes.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToLong(e -> e.getValue().sum()).sum();
        }

        void surprise(String s) {
            if (surprises.size() < 50) {
                surprises.add(s);
            }
        }

        Map<String, Long> codeCounts() {
            Map<String, Long> m = new TreeMap<>();
            codes.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void twoShardsTradeTheSameBalancesWithoutOverspending() throws Exception {
        long t0 = System.nanoTime();
        try (TestDatabases.TestDb tdb = TestDatabases.postgres()) {
            Setup setup;
            try (Database db = tdb.open()) {
                setup = setUp(db);
            }
            String token = "twoproc-" + UUID.randomUUID();
            EngineProcess.Spec shard0 = EngineProcess.Spec.of("twoproc-shard0", tdb.url(), tdb.user(), 0, "twoproc-engine-a", token);
            EngineProcess.Spec shard1 = EngineProcess.Spec.of("twoproc-shard1", tdb.url(), tdb.user(), 1, "twoproc-engine-b", token);

            Observations obs = new Observations();
            Map<String, Double> conflicts = new TreeMap<>();
            Map<String, Double> failures = new TreeMap<>();
            Map<String, Double> ok = new TreeMap<>();
            List<EngineProcess> engines = startAll(shard0, shard1);
            try (EngineProcess e0 = engines.get(0); EngineProcess e1 = engines.get(1)) {
                LOG.info("engines ready after " + ms(t0) + " ms: " + e0 + ", " + e1);
                assertShardStatus(e0, 0);
                assertShardStatus(e1, 1);

                long l0 = System.nanoTime();
                runLoad(Map.of(BTC, e0, ETH, e1), setup.users, obs);
                long loadMillis = ms(l0);
                long lastQuarter = System.nanoTime() - LOAD.toNanos() / 4;

                for (EngineProcess e : engines) {
                    String metrics = e.get("/metrics").body();
                    conflicts.put(e.name(), EngineProcess.metricValue(metrics, "bourse_batch_conflicts_total"));
                    failures.put(e.name(), EngineProcess.metricValue(metrics, "bourse_batch_failures_total"));
                    ok.put(e.name(), EngineProcess.metricValue(metrics, "bourse_commands_total", "result=\"accepted\""));
                }
                LOG.info(String.format("two-process run: %d requests in %d ms; %d acknowledged orders, %d duplicate answers; "
                                + "codes %s; bourse_batch_conflicts_total %s; bourse_batch_failures_total %s; accepted commands %s",
                        obs.requests.sum(), loadMillis, obs.acks.size(), obs.duplicatesAnswered.sum(), obs.codeCounts(), conflicts,
                        failures, ok));
                // both shards kept committing to the end (a wedged shard answers every command "busy")
                for (Market m : List.of(BTC, ETH)) {
                    AtomicLong last = obs.lastAckNanos.get(m.instId());
                    assertTrue(last != null && last.get() > lastQuarter, "shard " + m.shard() + " (" + m.instId()
                            + ") acknowledged no order in the last quarter of the run; codes " + obs.codeCounts()
                            + "; log tail:\n" + (m == BTC ? e0 : e1).logTail(30));
                }
                // graceful: SIGTERM, the shutdown hook drains the queue and releases the lease
                List<Future<Integer>> stops = new ArrayList<>();
                try (ExecutorService ex = Executors.newFixedThreadPool(2)) {
                    for (EngineProcess e : engines) {
                        stops.add(ex.submit((Callable<Integer>) e::stop));
                    }
                }
                for (int i = 0; i < engines.size(); i++) {
                    int code = stops.get(i).get();
                    EngineProcess e = engines.get(i);
                    assertTrue(code == 143 || code == 0, e.name() + " exited with " + code + ":\n" + e.logTail());
                    String log = e.log();
                    assertTrue(!log.contains("batch failed unexpectedly"), e.name() + " had a batch fail unexpectedly; see "
                            + e.logFile());
                }
            }

            assertTrue(obs.surprises.isEmpty(), "unexpected answers: " + obs.surprises);

            try (Connection c = DriverManager.getConnection(tdb.url(), tdb.user(), tdb.password())) {
                verify(c, setup, obs);
            }
            failures.forEach((name, n) -> assertEquals(0.0, n, name + ": batches failed for reasons other than conflicts"));
            LOG.info("two-process test finished in " + ms(t0) + " ms");
        }
    }

    // ------------------------------------------------------------------ set-up

    record Setup(List<Long> users, Map<String, Integer> assetIds) {
    }

    /** Assets, one instrument per shard, system accounts and the funded users: all through the server's own code. */
    private static Setup setUp(Database db) throws SQLException {
        Ledger ledger = new Ledger(db);
        Listing listing = new Listing(db);
        listing.addAsset("BTC", 8);
        listing.addAsset("ETH", 8);
        listing.addAsset("USDT", 6);
        listing.addInstrument(new InstrumentSpec("BTC-USDT", "BTC", "USDT", "0.1", "0.00001", "0.00001", "1000", 1000, "60000",
                2000, 60_000, "0.0008", "0.001"), BTC.shard());
        listing.addInstrument(new InstrumentSpec("ETH-USDT", "ETH", "USDT", "0.01", "0.0001", "0.0001", "10000", 1000, "3000",
                2000, 60_000, "0.0008", "0.001"), ETH.shard());
        ledger.ensureSystemAccounts(2);
        Map<String, Asset> assets = listing.assets();
        Map<String, String> funding = Map.of("USDT", USDT_PER_USER, "BTC", BTC_PER_USER, "ETH", ETH_PER_USER);
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            long id = ledger.createUser("twoproc-user-" + i);
            users.add(id);
            for (Map.Entry<String, String> f : funding.entrySet()) {
                Asset a = assets.get(f.getKey());
                assertTrue(ledger.deposit("twoproc:" + i + ":" + a.code(), id, a.id(), Decimals.parse(f.getValue(), a.scale())));
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        assets.values().forEach(a -> ids.put(a.code(), a.id()));
        return new Setup(List.copyOf(users), Map.copyOf(ids));
    }

    /** Starts the engines in parallel; if one fails the others are killed. */
    private static List<EngineProcess> startAll(EngineProcess.Spec... specs) throws Exception {
        List<Future<EngineProcess>> futures = new ArrayList<>();
        List<EngineProcess> started = new ArrayList<>();
        Exception failure = null;
        try (ExecutorService ex = Executors.newFixedThreadPool(specs.length)) {
            for (EngineProcess.Spec s : specs) {
                futures.add(ex.submit(() -> EngineProcess.start(s)));
            }
            for (Future<EngineProcess> f : futures) {
                try {
                    started.add(f.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause ? cause : e;
                    }
                }
            }
        }
        if (failure != null) {
            started.forEach(EngineProcess::close);
            throw failure;
        }
        return started;
    }

    private static void assertShardStatus(EngineProcess e, int shard) throws IOException, InterruptedException {
        EngineProcess.Response r = e.get("/internal/v1/shard");
        assertEquals(200, r.status(), r.toString());
        assertEquals(shard, r.first().get("shardId").asInt(), r.toString());
        assertTrue(r.first().get("ready").asBoolean(), r.toString());
    }

    // ------------------------------------------------------------------ load

    private static void runLoad(Map<Market, EngineProcess> engines, List<Long> users, Observations obs) throws Exception {
        long deadline = System.nanoTime() + LOAD.toNanos();
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService ex = Executors.newFixedThreadPool(engines.size() * THREADS_PER_ENGINE)) {
            long seed = 42;
            for (Map.Entry<Market, EngineProcess> e : engines.entrySet()) {
                for (int t = 0; t < THREADS_PER_ENGINE; t++) {
                    Worker w = new Worker(e.getKey(), e.getValue(), users, obs, t, new SplittableRandom(seed++), deadline);
                    workers.add(ex.submit(w));
                }
            }
        }
        for (Future<?> f : workers) {
            f.get(); // a worker's own exception fails the test
        }
    }

    /**
     * One client thread on one engine: limit buys and sells for random users around the mid (often
     * crossing), cancels of its own resting orders, now and then a retry of an acknowledged order with
     * the same clOrdId (must answer the original order) and a mass cancel.
     */
    private static final class Worker implements Runnable {
        private final Market m;
        private final EngineProcess engine;
        private final List<Long> users;
        private final Observations obs;
        private final String prefix;
        private final SplittableRandom rnd;
        private final long deadline;
        private final List<Ack> resting = new ArrayList<>();
        private final List<Ack> recentAcks = new ArrayList<>();
        private int n;

        Worker(Market m, EngineProcess engine, List<Long> users, Observations obs, int thread, SplittableRandom rnd, long deadline) {
            this.m = m;
            this.engine = engine;
            this.users = users;
            this.obs = obs;
            this.prefix = "s" + m.shard() + "t" + thread + "n";
            this.rnd = rnd;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                try {
                    int dice = rnd.nextInt(100);
                    int cancelShare = resting.size() > 40 ? 50 : 20;
                    if (dice < cancelShare && !resting.isEmpty()) {
                        cancel(resting.remove(rnd.nextInt(resting.size())));
                    } else if (dice >= 97 && !recentAcks.isEmpty()) {
                        retry(recentAcks.get(rnd.nextInt(recentAcks.size())));
                    } else if (dice == 96) {
                        massCancel(users.get(rnd.nextInt(users.size())));
                    } else {
                        place();
                    }
                } catch (IOException e) {
                    obs.count(m.instId() + " transport", e.getClass().getSimpleName());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void place() throws IOException, InterruptedException {
            long user = users.get(rnd.nextInt(users.size()));
            boolean buy = rnd.nextBoolean();
            String clOrdId = prefix + (n++);
            ObjectNode body = EngineProcess.MAPPER.createObjectNode();
            body.put("userId", Long.toString(user));
            body.put("instId", m.instId());
            body.put("side", buy ? "buy" : "sell");
            body.put("ordType", "limit");
            body.put("px", m.price(rnd, buy));
            body.put("sz", m.size(rnd));
            body.put("clOrdId", clOrdId);
            EngineProcess.Response r;
            try {
                r = post("/internal/v1/orders", body);
            } catch (IOException e) {
                obs.uncertainClOrdIds.add(clOrdId);
                throw e;
            }
            String code = r.sCode();
            obs.count(m.instId() + " place", code);
            if ("0".equals(code)) {
                JsonNode d = r.first();
                Ack a = new Ack(Long.parseLong(d.get("ordId").asText()), user, m.instId(), clOrdId, buy ? "BUY" : "SELL",
                        body.get("px").asText(), body.get("sz").asText());
                obs.acks.add(a);
                obs.acked(m.instId());
                if (recentAcks.size() < 100) {
                    recentAcks.add(a);
                } else {
                    recentAcks.set(rnd.nextInt(100), a);
                }
                String state = d.path("order").path("state").asText();
                if (state.equals("live") || state.equals("partially_filled")) {
                    resting.add(a);
                }
            } else if ("50004".equals(code)) { // timed out inside the engine: outcome unknown
                obs.uncertainClOrdIds.add(clOrdId);
            } else {
                obs.refusedPlaces.add(new Refused(clOrdId, user, m.instId(), code));
                if (!code.equals("51008") && !code.equals("50013")) {
                    obs.surprise("place " + body + " -> " + r);
                }
            }
        }

        /** Sends an acknowledged order again, same clOrdId and parameters: must answer that order, not place another. */
        private void retry(Ack a) throws IOException, InterruptedException {
            ObjectNode body = EngineProcess.MAPPER.createObjectNode();
            body.put("userId", Long.toString(a.userId()));
            body.put("instId", a.instId());
            body.put("side", a.side().equals("BUY") ? "buy" : "sell");
            body.put("ordType", "limit");
            body.put("px", a.px());
            body.put("sz", a.sz());
            body.put("clOrdId", a.clOrdId());
            EngineProcess.Response r = post("/internal/v1/orders", body);
            String code = r.sCode();
            obs.count(m.instId() + " retry", code);
            if ("0".equals(code)) {
                obs.duplicatesAnswered.increment();
                JsonNode d = r.first();
                if (!d.path("duplicate").asBoolean() || Long.parseLong(d.get("ordId").asText()) != a.ordId()) {
                    obs.surprise("retry of " + a + " -> " + r);
                }
            } else if (!code.equals("50013")) {
                obs.surprise("retry of " + a + " -> " + r);
            }
        }

        private void cancel(Ack a) throws IOException, InterruptedException {
            ObjectNode body = EngineProcess.MAPPER.createObjectNode();
            body.put("userId", Long.toString(a.userId()));
            body.put("instId", a.instId());
            body.put("ordId", Long.toString(a.ordId()));
            EngineProcess.Response r = post("/internal/v1/orders/cancel", body);
            String code = r.sCode();
            obs.count(m.instId() + " cancel", code);
            if ("0".equals(code)) {
                obs.canceledOrdIds.add(a.ordId());
            } else if (!code.equals("51400") && !code.equals("50013") && !code.equals("50004")) {
                obs.surprise("cancel " + body + " -> " + r);
            }
        }

        private void massCancel(long user) throws IOException, InterruptedException {
            ObjectNode body = EngineProcess.MAPPER.createObjectNode();
            body.put("userId", Long.toString(user));
            body.put("instId", m.instId());
            EngineProcess.Response r = post("/internal/v1/orders/mass-cancel", body);
            String code = r.sCode();
            obs.count(m.instId() + " mass-cancel", code);
            if (!code.equals("0") && !code.equals("50013") && !code.equals("50004")) {
                obs.surprise("mass-cancel " + body + " -> " + r);
            }
        }

        private EngineProcess.Response post(String path, ObjectNode body) throws IOException, InterruptedException {
            obs.requests.increment();
            EngineProcess.Response r = engine.post(path, body);
            if (r.json() == null) {
                obs.surprise(path + " " + body + " -> not JSON: " + r);
            }
            return r;
        }
    }

    // ------------------------------------------------------------------ checks

    private record OrderRow(long ordId, int shardId, String instId, long userId, String clOrdId, String side, String state,
                            long held) {
    }

    private static void verify(Connection c, Setup setup, Observations obs) throws SQLException {
        Map<Long, OrderRow> orders = new HashMap<>();
        query(c, "SELECT ord_id, shard_id, inst_id, user_id, cl_ord_id, side, state, held FROM orders", rs -> {
            OrderRow o = new OrderRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getLong(8));
            orders.put(o.ordId(), o);
        });

        // (a) every acknowledged order is stored as acknowledged, on its shard; nothing was stored that was
        // refused; nothing is stored that no client was told about (except where the outcome was unknown)
        List<String> bad = new ArrayList<>();
        Set<String> ackedClOrdIds = new HashSet<>();
        for (Ack a : obs.acks) {
            ackedClOrdIds.add(a.clOrdId());
            OrderRow o = orders.get(a.ordId());
            int shard = a.instId().equals(BTC.instId()) ? BTC.shard() : ETH.shard();
            if (o == null) {
                bad.add("acknowledged order missing: " + a);
            } else if (o.userId() != a.userId() || !o.instId().equals(a.instId()) || !a.clOrdId().equals(o.clOrdId())
                    || o.shardId() != shard || !o.side().equals(a.side())) {
                bad.add("acknowledged " + a + " stored as " + o);
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " acknowledged orders not stored as acknowledged, e.g. " + head(bad));
        assertEquals(obs.acks.size(), ackedClOrdIds.size(), "two acknowledgements for one clOrdId");
        Map<String, OrderRow> byClOrdId = orders.values().stream().filter(o -> o.clOrdId() != null)
                .collect(Collectors.toMap(OrderRow::clOrdId, o -> o));
        for (Refused r : obs.refusedPlaces) {
            if (byClOrdId.containsKey(r.clOrdId())) {
                bad.add("refused (" + r.code() + ") but stored: " + r + " -> " + byClOrdId.get(r.clOrdId()));
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " refused orders were stored, e.g. " + head(bad));
        for (OrderRow o : orders.values()) {
            if (!ackedClOrdIds.contains(o.clOrdId()) && !obs.uncertainClOrdIds.contains(o.clOrdId())) {
                bad.add("stored but never acknowledged: " + o);
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " orders stored without an acknowledgement, e.g. " + head(bad));
        for (long id : obs.canceledOrdIds) {
            OrderRow o = orders.get(id);
            if (!"CANCELED".equals(o.state())) {
                bad.add("cancel acknowledged but order is " + o);
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " acknowledged cancels not stored, e.g. " + head(bad));

        // (b) no balance below zero (only the external account may overdraw), held never negative
        query(c, "SELECT account_id, asset_id, available, held, overdraft FROM balances "
                + "WHERE held < 0 OR (available < 0 AND NOT overdraft) OR (overdraft AND account_id <> " + SystemAccounts.EXTERNAL + ")",
                rs -> bad.add("account " + rs.getLong(1) + " asset " + rs.getInt(2) + ": available " + rs.getLong(3)
                        + ", held " + rs.getLong(4) + ", overdraft " + rs.getBoolean(5)));
        assertTrue(bad.isEmpty(), "negative balances: " + head(bad));

        // (c) conservation: per asset, the balances and the journal each sum to zero; so does every posting set
        query(c, "SELECT asset_id, SUM(available + held) FROM balances GROUP BY asset_id HAVING SUM(available + held) <> 0",
                rs -> bad.add("asset " + rs.getInt(1) + ": balances sum to " + rs.getLong(2)));
        query(c, "SELECT asset_id, SUM(amount) FROM ledger_entries GROUP BY asset_id HAVING SUM(amount) <> 0",
                rs -> bad.add("asset " + rs.getInt(1) + ": ledger entries sum to " + rs.getLong(2)));
        query(c, "SELECT posting_key, asset_id, SUM(amount) FROM ledger_entries GROUP BY posting_key, asset_id "
                + "HAVING SUM(amount) <> 0", rs -> bad.add("posting set " + rs.getString(1) + " asset " + rs.getInt(2)
                + " sums to " + rs.getLong(3)));
        assertTrue(bad.isEmpty(), "not conserved: " + head(bad));

        // (d) every balance row is the sum of its journal entries, bucket by bucket (and no entry lacks a row)
        query(c, "SELECT b.account_id, b.asset_id, b.available, b.held, COALESCE(l.av, 0), COALESCE(l.he, 0) FROM balances b "
                + "LEFT JOIN (SELECT account_id, asset_id, SUM(CASE WHEN bucket = 'available' THEN amount ELSE 0 END) AS av, "
                + "SUM(CASE WHEN bucket = 'held' THEN amount ELSE 0 END) AS he FROM ledger_entries GROUP BY account_id, asset_id) l "
                + "ON l.account_id = b.account_id AND l.asset_id = b.asset_id "
                + "WHERE b.available <> COALESCE(l.av, 0) OR b.held <> COALESCE(l.he, 0)",
                rs -> bad.add("account " + rs.getLong(1) + " asset " + rs.getInt(2) + ": balance " + rs.getLong(3) + "/"
                        + rs.getLong(4) + ", journal " + rs.getLong(5) + "/" + rs.getLong(6)));
        query(c, "SELECT DISTINCT l.account_id, l.asset_id FROM ledger_entries l WHERE NOT EXISTS (SELECT 1 FROM balances b "
                + "WHERE b.account_id = l.account_id AND b.asset_id = l.asset_id)",
                rs -> bad.add("journal entries without a balance row: account " + rs.getLong(1) + " asset " + rs.getInt(2)));
        query(c, "SELECT bucket, COUNT(*) FROM ledger_entries WHERE bucket NOT IN ('available', 'held') GROUP BY bucket",
                rs -> bad.add(rs.getLong(2) + " journal entries in bucket " + rs.getString(1)));
        assertTrue(bad.isEmpty(), "balances differ from the journal: " + head(bad));

        // (e) held = what the live orders of BOTH shards hold, per account and asset; finished orders hold nothing
        Map<String, Long> heldByOrders = new HashMap<>();
        query(c, "SELECT o.user_id, CASE WHEN o.side = 'BUY' THEN i.quote_asset ELSE i.base_asset END, SUM(o.held) "
                + "FROM orders o JOIN instruments i ON i.inst_id = o.inst_id WHERE o.state IN ('LIVE', 'PARTIALLY_FILLED') "
                + "GROUP BY o.user_id, CASE WHEN o.side = 'BUY' THEN i.quote_asset ELSE i.base_asset END",
                rs -> heldByOrders.put(rs.getLong(1) + "/" + rs.getInt(2), rs.getLong(3)));
        Map<String, Long> heldByBalances = new HashMap<>();
        query(c, "SELECT account_id, asset_id, held FROM balances",
                rs -> heldByBalances.put(rs.getLong(1) + "/" + rs.getInt(2), rs.getLong(3)));
        Set<String> keys = new HashSet<>(heldByBalances.keySet());
        keys.addAll(heldByOrders.keySet());
        for (String k : keys) {
            long b = heldByBalances.getOrDefault(k, 0L);
            long o = heldByOrders.getOrDefault(k, 0L);
            if (b != o) {
                bad.add("account/asset " + k + ": balances.held " + b + ", live orders hold " + o);
            }
        }
        for (OrderRow o : orders.values()) {
            if (!LIVE_STATES.contains(o.state()) && o.held() != 0) {
                bad.add("finished order still holds " + o.held() + ": " + o);
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " holds differ from the live orders, e.g. " + head(bad));

        // the command log's index: per shard, batches cover 1..last_seq exactly once, none empty
        Map<Integer, Long> leaseSeq = new TreeMap<>();
        List<String> leases = new ArrayList<>();
        query(c, "SELECT shard_id, last_seq, epoch, owner, expires_at_ms FROM shard_leases ORDER BY shard_id", rs -> {
            leaseSeq.put(rs.getInt(1), rs.getLong(2));
            leases.add("shard " + rs.getInt(1) + " last_seq " + rs.getLong(2) + " epoch " + rs.getLong(3) + " owner "
                    + rs.getString(4) + (rs.getLong(5) == 0 ? " released" : " expires_at_ms " + rs.getLong(5)));
        });
        LOG.info("leases after the graceful stop: " + leases);
        assertEquals(Set.of(0, 1), leaseSeq.keySet(), "lease rows");
        query(c, "SELECT shard_id, COUNT(*), COALESCE(SUM(last_seq - first_seq + 1), 0), COALESCE(MIN(first_seq), 1), "
                + "COALESCE(MAX(last_seq), 0), SUM(CASE WHEN last_seq < first_seq THEN 1 ELSE 0 END) FROM batches GROUP BY shard_id",
                rs -> {
                    long lastSeq = leaseSeq.getOrDefault(rs.getInt(1), -1L);
                    if (rs.getLong(6) != 0 || rs.getLong(4) != 1 || rs.getLong(3) != lastSeq || rs.getLong(5) != lastSeq) {
                        bad.add("shard " + rs.getInt(1) + ": " + rs.getLong(2) + " batches covering " + rs.getLong(3)
                                + " sequences from " + rs.getLong(4) + " to " + rs.getLong(5) + " (" + rs.getLong(6)
                                + " empty), lease last_seq " + lastSeq);
                    }
                });
        assertTrue(bad.isEmpty(), "batches do not index the sequences: " + head(bad));

        // (f) the shards really competed for the same money, and both traded
        int usdt = setup.assetIds().get("USDT");
        Map<Integer, Long> fillsByShard = new TreeMap<>();
        query(c, "SELECT shard_id, COUNT(*) FROM fills GROUP BY shard_id", rs -> fillsByShard.put(rs.getInt(1), rs.getLong(2)));
        long[] usersHoldingOnBoth = new long[1];
        query(c, "SELECT COUNT(*) FROM (SELECT account_id FROM ledger_entries WHERE asset_id = " + usdt + " AND kind = 'HOLD' "
                + "AND bucket = 'held' GROUP BY account_id HAVING COUNT(DISTINCT SUBSTRING(posting_key, 1, 3)) = 2) t",
                rs -> usersHoldingOnBoth[0] = rs.getLong(1));
        Map<String, Long> liveByShard = new TreeMap<>();
        orders.values().stream().filter(o -> LIVE_STATES.contains(o.state()))
                .forEach(o -> liveByShard.merge("shard " + o.shardId(), 1L, Long::sum));
        long[] usdtTotals = new long[2];
        query(c, "SELECT COALESCE(SUM(available), 0), COALESCE(SUM(held), 0) FROM balances WHERE account_id >= "
                + SystemAccounts.FIRST_USER + " AND asset_id = " + usdt, rs -> {
            usdtTotals[0] = rs.getLong(1);
            usdtTotals[1] = rs.getLong(2);
        });
        LOG.info(String.format("stored: %d orders (%s live), fills per shard %s, users whose USDT was held by both shards: %d, "
                        + "users' USDT available %s held %s", orders.size(), liveByShard, fillsByShard, usersHoldingOnBoth[0],
                Decimals.format(usdtTotals[0], 6), Decimals.format(usdtTotals[1], 6)));
        assertTrue(obs.count("place 51008") > 0, "no insufficient-balance rejection: the shards never competed for funds; "
                + obs.codeCounts());
        assertTrue(usersHoldingOnBoth[0] > 0, "no user had USDT held by both shards");
        assertTrue(fillsByShard.getOrDefault(BTC.shard(), 0L) > 0, "shard 0 committed no fills: " + fillsByShard);
        assertTrue(fillsByShard.getOrDefault(ETH.shard(), 0L) > 0, "shard 1 committed no fills: " + fillsByShard);
        assertTrue(obs.acks.size() > 100, "too few orders acknowledged to prove anything: " + obs.codeCounts());
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, RowHandler h) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                h.row(rs);
            }
        }
    }

    private static String head(List<String> l) {
        return l.stream().limit(10).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static long ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }
}
