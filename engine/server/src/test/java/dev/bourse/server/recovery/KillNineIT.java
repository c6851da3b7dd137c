package dev.bourse.server.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.reconcile.ReconciliationReport;
import dev.bourse.server.reconcile.Reconciler;
import dev.bourse.server.store.Database;
import dev.bourse.testkit.EngineProcess;
import dev.bourse.server.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the engine process, repeatedly, on PostgreSQL and on the embedded H2 of the dev profile
 * (where the database dies with the engine). Each round: traders hammer the engine, it
 * is killed mid-load and restarted; every order it acknowledged must be in the database with at least
 * the fills it reported, and reconciliation must be clean. Then, with the load stopped, the book is
 * dumped, the engine killed again and restarted: the rebuilt book must be identical.
 */
class KillNineIT {
    private static final int ROUNDS = 10;
    private static final String TOKEN = "kill-nine-internal-token";
    private static final String INST = "BTC-USDT";

    /** What an acknowledgement promised about an order. */
    private record Ack(long ordId, long userId, long filledAtAck) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void acknowledgedOrdersAndTheBookSurviveRepeatedKill9(String kind) throws Exception {
        try (TestDatabases.TestDb testDb = TestDatabases.create(kind)) {
            List<Long> users;
            try (Database db = testDb.open()) {
                users = setUp(db);
            }
            // the test opens the database only while no engine runs: embedded H2 is then the engine's
            // own, and dies with it
            EngineProcess.Spec spec = EngineProcess.Spec.of("kill9-" + kind, testDb.url(), testDb.user(), 0, "engine-0", TOKEN)
                    .with("MAX_BATCH", "256");
            Map<Long, Ack> acked = new ConcurrentHashMap<>();
            EngineProcess engine = EngineProcess.start(spec);
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    // 1. kill under load
                    int ackedAtStart = acked.size();
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Thread> traders = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        EngineProcess target = engine;
                        long seed = round * 100L + t;
                        Thread th = new Thread(() -> trade(target, users, new Random(seed), stop, acked), "trader-" + t);
                        th.start();
                        traders.add(th);
                    }
                    Thread.sleep(1_000);
                    engine.kill9();
                    stop.set(true);
                    for (Thread th : traders) {
                        th.join(30_000);
                    }
                    assertTrue(acked.size() > ackedAtStart, "round " + round + ": the engine acknowledged nothing under load");
                    try (Database db = testDb.open()) {
                        assertAcknowledgedOrdersPresent(db, acked);
                        assertReconciled(db, "round " + round + " after kill under load");
                    }
                    engine = EngineProcess.start(spec);

                    // 2. kill when idle: the rebuilt book must equal the book before the kill
                    String before = engine.get("/internal/v1/books").body();
                    engine.kill9();
                    engine = EngineProcess.start(spec);
                    String after = engine.get("/internal/v1/books").body();
                    assertEquals(before, after, "round " + round + ": book rebuilt after kill -9 differs");
                    assertTrue(before.contains("BTC-USDT"), before);
                }
                assertTrue(acked.size() > 100, "too little load to mean anything: " + acked.size() + " acknowledged orders");
                System.out.printf("KillNineIT[" + kind + "]: %d kills (%d under load), %d acknowledged orders all present, books identical%n",
                        ROUNDS * 2, ROUNDS, acked.size());
            } finally {
                engine.close();
            }
        }
    }

    private static List<Long> setUp(Database db) throws Exception {
        Listing listing = new Listing(db);
        Ledger ledger = new Ledger(db);
        listing.addAsset("BTC", 8);
        listing.addAsset("USDT", 6);
        ledger.ensureSystemAccounts(1);
        listing.addInstrument(new InstrumentSpec(INST, "BTC", "USDT", "0.1", "0.001", "0.001", "100", 2000, "100", 0, 0,
                "0.001", "0.002"), 0);
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long u = ledger.createUser("k9-" + i);
            ledger.deposit("k9-btc-" + i, u, 0, Decimals.parse("1000", 8));
            ledger.deposit("k9-usdt-" + i, u, 1, Decimals.parse("1000000", 6));
            users.add(u);
        }
        return users;
    }

    /** Places crossing limit orders, IOCs and cancels until told to stop or the engine dies. */
    private static void trade(EngineProcess engine, List<Long> users, Random rnd, AtomicBoolean stop, Map<Long, Ack> acked) {
        List<long[]> mine = new ArrayList<>(); // [ordId, userId]
        while (!stop.get()) {
            try {
                long user = users.get(rnd.nextInt(users.size()));
                int action = rnd.nextInt(10);
                if (action < 2 && !mine.isEmpty()) {
                    long[] o = mine.remove(rnd.nextInt(mine.size()));
                    engine.post("/internal/v1/orders/cancel", Map.of("userId", Long.toString(o[1]), "instId", INST,
                            "ordId", Long.toString(o[0])));
                    continue;
                }
                boolean buy = rnd.nextBoolean();
                int ticks = rnd.nextInt(40) - 20 + (buy ? -5 : 5);
                String px = Decimals.format(1000 + ticks, 1);
                String sz = Decimals.format(1 + rnd.nextInt(50), 3);
                String type = action == 9 ? "ioc" : "limit";
                EngineProcess.Response r = engine.post("/internal/v1/orders", Map.of("userId", Long.toString(user),
                        "instId", INST, "side", buy ? "buy" : "sell", "ordType", type, "px", px, "sz", sz));
                JsonNode d = r.first();
                if (r.status() == 200 && "0".equals(r.code()) && d != null) {
                    long ordId = Long.parseLong(d.get("ordId").asText());
                    long filled = Decimals.parse(d.get("order").get("accFillSz").asText(), 8);
                    acked.put(ordId, new Ack(ordId, user, filled));
                    if ("limit".equals(type)) {
                        mine.add(new long[] {ordId, user});
                    }
                }
            } catch (Exception e) {
                return; // the engine was killed: whatever was not answered was not acknowledged
            }
        }
    }

    private static void assertAcknowledgedOrdersPresent(Database db, Map<Long, Ack> acked) throws Exception {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT user_id, filled_sz FROM orders WHERE ord_id = ?")) {
            for (Ack a : acked.values()) {
                ps.setLong(1, a.ordId());
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "acknowledged order " + a.ordId() + " is missing after kill -9");
                    assertEquals(a.userId(), rs.getLong(1));
                    assertTrue(rs.getLong(2) >= a.filledAtAck(), "order " + a.ordId() + " lost fills it reported");
                }
            }
        }
    }

    private static void assertReconciled(Database db, String when) throws Exception {
        ReconciliationReport report = new Reconciler(db).run();
        assertTrue(report.clean(), when + ":\n" + report.toText());
    }
}
