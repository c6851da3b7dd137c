package dev.bourse.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.Side;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.http.InternalApi;
import dev.bourse.server.http.Json;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.shard.OrderQueries;
import dev.bourse.server.shard.Shard;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import io.helidon.webserver.WebServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pod "1" forwards to the pod serving shard 0 (a real shard on H2 behind the internal API): orders
 * through {@link PeerClient}, then depth snapshots taken while orders keep arriving, each of which must
 * be exactly the book that the published events describe at the snapshot's seqId.
 */
class ForwardingIT {
    private static final String TOKEN = "forwarding-it-token-0123";
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void ordersAndCommitConsistentDepthThroughThePeer() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ForwardingIT seed " + seed);
        Random rnd = new Random(seed);
        TestDatabases.TestDb testDb = TestDatabases.h2();
        cleanup.add(testDb);
        Database db = testDb.open();
        cleanup.add(db);
        Listing listing = new Listing(db);
        Ledger ledger = new Ledger(db);
        listing.addAsset("BTC", 8);
        listing.addAsset("ETH", 8);
        listing.addAsset("USDT", 6);
        ledger.ensureSystemAccounts(2);
        listing.addInstrument(new InstrumentSpec("BTC-USDT", "BTC", "USDT", "0.1", "0.001", "0.001", "100", 1000, "100", 0, 0,
                "0.001", "0.002"), 0);
        listing.addInstrument(new InstrumentSpec("ETH-USDT", "ETH", "USDT", "0.01", "0.01", "0.01", "1000", 1000, "10", 0, 0,
                "0.001", "0.002"), 1);
        long alice = ledger.createUser("alice");
        long bob = ledger.createUser("bob");
        for (long u : List.of(alice, bob)) {
            ledger.deposit(u + "-btc", u, 0, Decimals.parse("50", 8));
            ledger.deposit(u + "-usdt", u, 2, Decimals.parse("100000", 6));
        }

        // the pod serving shard 0, publishing book events in-process
        InProcessEventBus bus = new InProcessEventBus();
        List<EngineEvent.BookLevelEvent> levels = new CopyOnWriteArrayList<>();
        bus.subscribe(b -> b.events().forEach(e -> {
            if (e instanceof EngineEvent.BookLevelEvent l) {
                levels.add(l);
            }
        }));
        Shard shard = new Shard(db, bus, new SimpleMeterRegistry(), 0, "pod-0", 5_000, 4096, 256);
        shard.start();
        cleanup.add(shard);
        Map<String, Asset> assets = listing.assets();
        Map<String, Instrument> instruments = new LinkedHashMap<>();
        for (InstrumentSpec spec : listing.instruments(0)) {
            instruments.put(spec.instId(), spec.toInstrument(assets));
        }
        WebServer pod0 = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.register("/internal/v1", new InternalApi(shard, instruments, assets, ledger, new OrderQueries(db), TOKEN)))
                .build().start();
        cleanup.add(pod0::stop);

        // pod 1: knows owners from the database and where shard 0 answers
        ShardDirectory directory = new ShardDirectory(1, () -> ownersOf(db), Map.of(0, "http://127.0.0.1:" + pod0.port()), null);
        assertEquals(OptionalInt.of(0), directory.shardOf("BTC-USDT"));
        assertEquals(OptionalInt.of(1), directory.shardOf("ETH-USDT"));
        // the operator lists an instrument while the pods run: found on the next miss after the interval
        assertEquals(OptionalInt.empty(), directory.shardOf("ETH-BTC"));
        listing.addInstrument(new InstrumentSpec("ETH-BTC", "ETH", "BTC", "0.0001", "0.01", "0.01", "1000", 1000, "0.05", 0, 0,
                "0.001", "0.002"), 2);
        Thread.sleep(ShardDirectory.MISS_REFRESH_MILLIS + 50);
        assertEquals(OptionalInt.of(2), directory.shardOf("ETH-BTC"));
        assertEquals(java.util.Set.of(0, 1, 2), directory.shardIds());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PeerClient peers = new PeerClient(directory, TOKEN, meters);

        PeerResponse placed = peers.placeOrder(0, order(alice, "sell", "101.5", "0.25", "a1"));
        assertTrue(placed.ok(), placed.envelope().toString());
        assertEquals("a1", placed.data().get(0).get("clOrdId").asText());
        PeerResponse refused = peers.placeOrder(0, order(alice, "sell", "101.55", "0.25", null));
        assertEquals("51000", refused.code(), "off-tick price refused by the peer: " + refused.envelope());
        PeerResponse badToken = new PeerClient(directory, "wrong-token-000000000", meters).placeOrder(0,
                order(alice, "sell", "101", "1", null));
        assertEquals("50114", badToken.code());
        assertEquals(PeerResponse.Outcome.REJECTED, badToken.outcome());

        // orders keep coming on two threads while pod 1 takes snapshots
        Thread[] traders = new Thread[2];
        for (int t = 0; t < traders.length; t++) {
            long user = t == 0 ? alice : bob;
            long traderSeed = rnd.nextLong();
            traders[t] = Thread.ofPlatform().start(() -> {
                Random r = new Random(traderSeed);
                for (int i = 0; i < 150; i++) {
                    boolean buy = r.nextBoolean();
                    String px = Decimals.format(buy ? 950 + r.nextInt(60) : 990 + r.nextInt(60), 1);
                    String sz = Decimals.format(1 + r.nextInt(50), 3);
                    peers.placeOrder(0, order(user, buy ? "buy" : "sell", px, sz, null));
                }
            });
        }
        int snapshots = 0;
        while (traders[0].isAlive() || traders[1].isAlive() || snapshots < 5) {
            PeerResponse depth = peers.depth(0, "BTC-USDT", 400);
            assertTrue(depth.ok(), depth.envelope().toString());
            assertMatchesEvents(depth.data().get(0), levels, seed);
            snapshots++;
        }
        for (Thread t : traders) {
            t.join();
        }
        System.out.println("ForwardingIT checked " + snapshots + " snapshots against " + levels.size() + " level events");

        JsonNode last = peers.depth(0, "BTC-USDT", 400).data().get(0);
        assertEquals(shard.checksum("BTC-USDT").get(10, TimeUnit.SECONDS).intValue(), last.get("checksum").asInt());
        JsonNode top = peers.depth(0, "BTC-USDT", 1).data().get(0);
        assertTrue(top.get("asks").size() <= 1 && top.get("bids").size() <= 1);
        assertEquals("51000", peers.depth(0, "BTC-USDT", 5001).code());
        assertEquals("51000", peers.depth(0, "BTC-USDT", 0).code());
        assertEquals("51001", peers.depth(0, "NOPE-USDT", 5).code());
        assertEquals("51001", peers.depth(0, "ETH-USDT", 5).code(), "shard 0 does not own ETH-USDT");
        assertTrue(meters.get("bourse_forwarded_requests_total").tag("shard", "0").tag("outcome", "ok").counter().count() > 300);
    }

    private static Map<String, Integer> ownersOf(Database db) throws java.sql.SQLException {
        return ShardDirectory.owners(db);
    }

    private static ObjectNode order(long user, String side, String px, String sz, String clOrdId) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("userId", Long.toString(user));
        n.put("instId", "BTC-USDT");
        n.put("side", side);
        n.put("ordType", "limit");
        n.put("px", px);
        n.put("sz", sz);
        if (clOrdId != null) {
            n.put("clOrdId", clOrdId);
        }
        return n;
    }

    /** The snapshot equals the book rebuilt from every level event up to its seqId, and none beyond. */
    private static void assertMatchesEvents(JsonNode snap, List<EngineEvent.BookLevelEvent> events, long seed) {
        long seqId = snap.get("seqId").asLong();
        TreeMap<Long, String> bids = new TreeMap<>(Comparator.reverseOrder());
        TreeMap<Long, String> asks = new TreeMap<>();
        for (EngineEvent.BookLevelEvent e : events) { // every event up to seqId was published before the snapshot
            if (e.bookSeqId() > seqId) {
                continue;
            }
            TreeMap<Long, String> side = e.side() == Side.BUY ? bids : asks;
            if (e.sz() == 0) {
                side.remove(e.px());
            } else {
                side.put(e.px(), Decimals.format(e.px(), 1) + "," + Decimals.format(e.sz(), 8) + "," + e.orderCount());
            }
        }
        assertEquals(new ArrayList<>(asks.values()), levels(snap.get("asks")), "asks at seqId " + seqId + ", seed " + seed);
        assertEquals(new ArrayList<>(bids.values()), levels(snap.get("bids")), "bids at seqId " + seqId + ", seed " + seed);
        if (!asks.isEmpty() && !bids.isEmpty()) {
            assertTrue(bids.firstKey() < asks.firstKey(), "crossed book at seqId " + seqId);
        }
    }

    private static List<String> levels(JsonNode side) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : side) {
            out.add(l.get(0).asText() + "," + l.get(1).asText() + "," + l.get(2).asText());
        }
        return out;
    }
}
