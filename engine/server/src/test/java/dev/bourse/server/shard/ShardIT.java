package dev.bourse.server.shard;

import dev.bourse.fixed.Decimals;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.ledger.Ledger;
import dev.bourse.server.ledger.SystemAccounts;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.listing.Listing;
import dev.bourse.server.store.Database;
import dev.bourse.server.support.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shard against a real database (PostgreSQL and H2): durability, idempotency, fencing, recovery. */
class ShardIT {
    private static final String BTC_USDT = "BTC-USDT";
    private static final String ETH_USDT = "ETH-USDT";
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private Database db;
    private long alice;
    private long bob;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private void setUp(String kind, int ethShard) throws Exception {
        TestDatabases.TestDb testDb = TestDatabases.create(kind);
        cleanup.add(testDb);
        db = testDb.open();
        cleanup.add(db);
        Listing listing = new Listing(db);
        Ledger ledger = new Ledger(db);
        listing.addAsset("BTC", 8);
        listing.addAsset("ETH", 8);
        listing.addAsset("USDT", 6);
        ledger.ensureSystemAccounts(2);
        listing.addInstrument(new InstrumentSpec(BTC_USDT, "BTC", "USDT", "0.1", "0.001", "0.001", "100", 1000, "100", 0, 0,
                "0.001", "0.002"), 0);
        listing.addInstrument(new InstrumentSpec(ETH_USDT, "ETH", "USDT", "0.01", "0.01", "0.01", "1000", 1000, "10", 0, 0,
                "0.001", "0.002"), ethShard);
        alice = ledger.createUser("alice");
        bob = ledger.createUser("bob");
        ledger.deposit("a-btc", alice, 0, Decimals.parse("5", 8));
        ledger.deposit("a-usdt", alice, 2, Decimals.parse("1000", 6));
        ledger.deposit("b-btc", bob, 0, Decimals.parse("5", 8));
        ledger.deposit("b-usdt", bob, 2, Decimals.parse("1000", 6));
    }

    private Shard shard(int shardId, String owner, int queueCapacity) throws Exception {
        Shard s = new Shard(db, new InProcessEventBus(), new SimpleMeterRegistry(), shardId, owner, 5_000, queueCapacity, 256);
        s.start();
        cleanup.add(s);
        return s;
    }

    private static long px(String v) {
        return Decimals.parse(v, 1);
    }

    private static long btc(String v) {
        return Decimals.parse(v, 8);
    }

    private static CommandOutcome get(CompletableFuture<CommandOutcome> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private long[] balance(long account, int asset) throws Exception {
        return new Ledger(db).balance(account, asset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aCommittedTradeIsInTheDatabaseBeforeItIsAcknowledged(String kind) throws Exception {
        setUp(kind, 0);
        Shard shard = shard(0, "engine-a", 1024);
        CommandOutcome sell = get(shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("100"), btc("1"), "s1")));
        assertTrue(sell.ok(), sell.toString());
        assertEquals(OrderState.LIVE, sell.order().state());
        CommandOutcome buy = get(shard.submit(ShardCommand.place(bob, BTC_USDT, Side.BUY, OrderType.LIMIT, px("100"), btc("0.4"), null)));
        assertTrue(buy.ok(), buy.toString());
        assertEquals(OrderState.FILLED, buy.order().state());

        OrderRecord maker = new OrderQueries(db).byId(sell.ordId()).orElseThrow();
        assertEquals(OrderState.PARTIALLY_FILLED, maker.state());
        assertEquals(btc("0.4"), maker.filledSz());
        assertEquals(btc("0.6"), maker.held());
        // alice: 5 BTC - 1 held; got 40 USDT minus 0.1% maker fee
        assertEquals(btc("4"), balance(alice, 0)[0]);
        assertEquals(btc("0.6"), balance(alice, 0)[1]);
        assertEquals(Decimals.parse("1039.96", 6), balance(alice, 2)[0]);
        // bob: paid 40 USDT, got 0.4 BTC minus 0.2% taker fee
        assertEquals(Decimals.parse("960", 6), balance(bob, 2)[0]);
        assertEquals(btc("5.3992"), balance(bob, 0)[0]);
        assertEquals(btc("0.0008"), balance(SystemAccounts.fees(0), 0)[0]);
        assertEquals(Decimals.parse("0.04", 6), balance(SystemAccounts.fees(0), 2)[0]);
        try (Connection c = db.connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(sz) FROM fills")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals(btc("0.4"), rs.getLong(2));
        }
        assertLedgerMatchesBalances();
        shard.close();
        assertTrue(shard.idle());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void eventsArePublishedAfterCommitInCommandOrder(String kind) throws Exception {
        setUp(kind, 0);
        InProcessEventBus bus = new InProcessEventBus();
        List<String> seen = new CopyOnWriteArrayList<>();
        bus.subscribe(batch -> {
            for (EngineEvent e : batch.events()) {
                if (e instanceof EngineEvent.OrderEvent o) {
                    try { // the order is already committed when its event arrives
                        seen.add(o.order().ordId() + ":" + new OrderQueries(db).byId(o.order().ordId()).isPresent());
                    } catch (Exception ex) {
                        seen.add("error");
                    }
                }
            }
        });
        Shard shard = new Shard(db, bus, new SimpleMeterRegistry(), 0, "engine-a", 5_000, 64, 16);
        shard.start();
        cleanup.add(shard);
        CommandOutcome o = get(shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("101"), btc("1"), null)));
        assertTrue(o.ok());
        assertEquals(List.of(o.ordId() + ":true"), seen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRetriedClOrdIdReturnsTheOriginalOrderAndADifferentOrderIsRefused(String kind) throws Exception {
        setUp(kind, 0);
        Shard shard = shard(0, "engine-a", 1024);
        ShardCommand place = ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("106"), btc("1"), "retryMe1");
        CommandOutcome first = get(shard.submit(place));
        assertTrue(first.ok(), first.toString());
        CommandOutcome again = get(shard.submit(place));
        assertTrue(again.ok());
        assertTrue(again.duplicate());
        assertEquals(first.ordId(), again.ordId());
        // same clOrdId, different order: refused, nothing held twice
        CommandOutcome other = get(shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("107"), btc("1"), "retryMe1")));
        assertEquals("51016", other.sCode());
        assertEquals(btc("1"), balance(alice, 0)[1]);
        // both copies in one batch: one order
        ShardCommand twice = ShardCommand.place(bob, BTC_USDT, Side.SELL, OrderType.LIMIT, px("106"), btc("1"), "batchDup1");
        CountDownLatch hold = new CountDownLatch(1);
        shard.onSequencer(e -> {
            await(hold);
            return null;
        });
        CompletableFuture<CommandOutcome> a = shard.submit(twice);
        CompletableFuture<CommandOutcome> b = shard.submit(twice);
        hold.countDown();
        assertEquals(get(a).ordId(), get(b).ordId());
        assertTrue(get(b).duplicate());
        assertEquals(btc("1"), balance(bob, 0)[1]);
        // it survives a restart: the retry after recovery is still answered from the database
        shard.close();
        Shard restarted = shard(0, "engine-a", 1024);
        CommandOutcome afterRestart = get(restarted.submit(place));
        assertTrue(afterRestart.duplicate());
        assertEquals(first.ordId(), afterRestart.ordId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aFullQueueAnswersBusyAtOnceAndKeepsNothing(String kind) throws Exception {
        setUp(kind, 0);
        Shard shard = shard(0, "engine-a", 16);
        CountDownLatch hold = new CountDownLatch(1);
        shard.onSequencer(e -> {
            await(hold);
            return null;
        });
        Thread.sleep(100); // the sequencer is now parked in the control task
        List<CompletableFuture<CommandOutcome>> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            queued.add(shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("104"), btc("0.01"), null)));
        }
        CompletableFuture<CommandOutcome> overflow = shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT,
                px("104"), btc("0.01"), "overflow"));
        assertTrue(overflow.isDone());
        assertEquals(Shard.CODE_BUSY, overflow.get().sCode());
        hold.countDown();
        for (CompletableFuture<CommandOutcome> f : queued) {
            assertTrue(get(f).ok());
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM orders WHERE cl_ord_id = 'overflow'")) {
            ResultSet rs = ps.executeQuery();
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRestartedShardRebuildsTheSameBooksInPriorityOrder(String kind) throws Exception {
        setUp(kind, 0);
        Shard shard = shard(0, "engine-a", 1024);
        for (int i = 0; i < 5; i++) {
            get(shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("105"), btc("0.1"), "a" + i)));
            get(shard.submit(ShardCommand.place(bob, BTC_USDT, Side.SELL, OrderType.LIMIT, px("105"), btc("0.1"), "b" + i)));
            get(shard.submit(ShardCommand.place(bob, BTC_USDT, Side.BUY, OrderType.LIMIT, px("95"), btc("0.1"), "c" + i)));
        }
        // an amend up loses priority, one down keeps it; a partial fill changes the head
        CommandOutcome first = get(shard.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("104"), btc("0.5"), null)));
        assertTrue(get(shard.submit(ShardCommand.amend(alice, BTC_USDT, first.ordId(), null, btc("0.6"), 0))).ok());
        assertTrue(get(shard.submit(ShardCommand.place(bob, BTC_USDT, Side.BUY, OrderType.IOC, px("105"), btc("0.65"), null))).ok());
        assertTrue(get(shard.submit(ShardCommand.cancel(bob, BTC_USDT, 0, "c2"))).ok());
        String before = shard.canonicalBooks().get();
        int checksum = shard.checksum(BTC_USDT).get();
        shard.close();

        Shard restarted = shard(0, "engine-a", 1024);
        assertEquals(before, restarted.canonicalBooks().get());
        assertEquals(checksum, restarted.checksum(BTC_USDT).get());
        assertTrue(restarted.epoch() > 1);
        // and it keeps trading from there: the next sell queues behind the restored ones
        CommandOutcome next = get(restarted.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("105"), btc("0.1"), null)));
        assertTrue(next.ok());
        assertTrue(restarted.canonicalBooks().get().contains(next.ordId() + "]"));
        assertLedgerMatchesBalances();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aShardThatLostItsLeaseCannotCommit(String kind) throws Exception {
        setUp(kind, 0);
        Shard zombie = shard(0, "engine-a", 1024);
        assertTrue(get(zombie.submit(ShardCommand.place(alice, BTC_USDT, Side.SELL, OrderType.LIMIT, px("100"), btc("1"), null))).ok());
        // engine-b takes the shard the way an owner takes an expired lease: a higher epoch
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE shard_leases SET owner = 'engine-b', epoch = epoch + 1 WHERE shard_id = 0")) {
            assertEquals(1, ps.executeUpdate());
        }
        CommandOutcome late = get(zombie.submit(ShardCommand.place(bob, BTC_USDT, Side.BUY, OrderType.LIMIT, px("100"), btc("1"), "late")));
        assertEquals(Shard.CODE_UNAVAILABLE, late.sCode());
        assertTrue(zombie.fenced());
        assertFalse(zombie.ready());
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders WHERE cl_ord_id = 'late'");
            rs.next();
            assertEquals(0, rs.getInt(1));
            rs = st.executeQuery("SELECT COUNT(*) FROM fills");
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
        assertEquals(Decimals.parse("1000", 6), balance(bob, 2)[0]);
        // and later commands are refused without touching the database
        assertEquals(Shard.CODE_UNAVAILABLE, get(zombie.submit(ShardCommand.massCancel(alice, null))).sCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anotherOwnerWaitsForALiveLeaseAndTakesAnExpiredOne(String kind) throws Exception {
        setUp(kind, 0);
        ShardLease a = new ShardLease(db, 0, "engine-a", 1_000);
        ShardLease b = new ShardLease(db, 0, "engine-b", 1_000);
        assertTrue(a.tryAcquire());
        assertFalse(b.tryAcquire());
        assertTrue(a.tryAcquire()); // the same owner takes it back at once (a restarted pod)
        Thread.sleep(1_300);
        assertTrue(b.tryAcquire());
        assertNotEquals(a.epoch(), b.epoch());
        try {
            a.renew();
            throw new AssertionError("renewing a lost lease must fail");
        } catch (ShardFencedException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void twoShardsSpendingTheSameBalanceNeverOverspend(String kind) throws Exception {
        setUp(kind, 1);
        Shard btcShard = shard(0, "engine-a", 4096);
        Shard ethShard = shard(1, "engine-b", 4096);
        // alice has 1000 USDT: each buy needs 100; concurrently on both shards, at most 10 can rest
        List<CompletableFuture<CommandOutcome>> results = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            results.add(btcShard.submit(ShardCommand.place(alice, BTC_USDT, Side.BUY, OrderType.LIMIT, px("100"), btc("1"), null)));
            results.add(ethShard.submit(ShardCommand.place(alice, ETH_USDT, Side.BUY, OrderType.LIMIT, Decimals.parse("10", 2),
                    Decimals.parse("10", 8), null)));
        }
        int accepted = 0;
        for (CompletableFuture<CommandOutcome> f : results) {
            CommandOutcome o = get(f);
            if (o.ok()) {
                accepted++;
            } else {
                assertEquals("51008", o.sCode(), o.toString());
            }
        }
        assertEquals(10, accepted);
        long[] usdt = balance(alice, 2);
        assertEquals(0, usdt[0]);
        assertEquals(Decimals.parse("1000", 6), usdt[1]);
        assertLedgerMatchesBalances();
    }

    private void assertLedgerMatchesBalances() throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT b.account_id, b.asset_id, b.available, b.held, "
                    + "COALESCE((SELECT SUM(amount) FROM ledger_entries e WHERE e.account_id = b.account_id "
                    + "AND e.asset_id = b.asset_id AND e.bucket = 'available'), 0), "
                    + "COALESCE((SELECT SUM(amount) FROM ledger_entries e WHERE e.account_id = b.account_id "
                    + "AND e.asset_id = b.asset_id AND e.bucket = 'held'), 0) FROM balances b");
            while (rs.next()) {
                String row = rs.getLong(1) + "/" + rs.getInt(2);
                assertEquals(rs.getLong(5), rs.getLong(3), "available of " + row);
                assertEquals(rs.getLong(6), rs.getLong(4), "held of " + row);
                assertTrue(rs.getLong(4) >= 0, "held of " + row);
                if (rs.getLong(1) != SystemAccounts.EXTERNAL) {
                    assertTrue(rs.getLong(3) >= 0, "available of " + row);
                }
            }
            rs = st.executeQuery("SELECT asset_id, SUM(available + held) FROM balances GROUP BY asset_id");
            while (rs.next()) {
                assertEquals(0, rs.getLong(2), "conservation of asset " + rs.getInt(1));
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
