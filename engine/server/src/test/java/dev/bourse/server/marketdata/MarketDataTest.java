package dev.bourse.server.marketdata;

import dev.bourse.asset.Asset;
import dev.bourse.book.BookChecksum;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.order.Side;
import dev.bourse.server.events.BatchEvents;
import dev.bourse.server.events.EngineEvent;
import dev.bourse.server.events.InProcessEventBus;
import dev.bourse.server.shard.FillRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MarketDataTest {
    static final Asset BTC = new Asset(0, "BTC", 8);
    static final Asset USDT = new Asset(1, "USDT", 6);
    static final Instrument BTC_USDT = Instrument.builder("BTC-USDT", BTC, USDT).tickSize("0.1").lotSize("0.0001")
            .minSize("0.0001").maxSize("100").build();
    static final String ID = "BTC-USDT";

    /** The engine's book as the test drives it: the truth snapshots are taken from. */
    static final class ReferenceBook {
        final TreeMap<Long, long[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, long[]> asks = new TreeMap<>();
        long seqId;

        synchronized BookSnapshot snapshot() {
            long[] bp = bids.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] ap = asks.keySet().stream().mapToLong(Long::longValue).toArray();
            return new BookSnapshot(seqId, bp, bids.values().stream().mapToLong(v -> v[0]).toArray(),
                    bids.values().stream().mapToInt(v -> (int) v[1]).toArray(), ap,
                    asks.values().stream().mapToLong(v -> v[0]).toArray(),
                    asks.values().stream().mapToInt(v -> (int) v[1]).toArray());
        }

        /** One command: applies the changes and returns its level events (one bookSeqId). */
        synchronized List<EngineEvent> command(long seq, List<long[]> changes) {
            seqId++;
            List<EngineEvent> out = new ArrayList<>();
            for (long[] ch : changes) { // {side 0=buy 1=sell, px, sz, count}
                TreeMap<Long, long[]> side = ch[0] == 0 ? bids : asks;
                if (ch[2] == 0) {
                    side.remove(ch[1]);
                } else {
                    side.put(ch[1], new long[] {ch[2], ch[3]});
                }
                out.add(new EngineEvent.BookLevelEvent(seq, ID, ch[0] == 0 ? Side.BUY : Side.SELL, ch[1], ch[2], (int) ch[3],
                        seqId));
            }
            return out;
        }

        synchronized List<List<String>> levels(TreeMap<Long, long[]> side, int n) {
            List<List<String>> out = new ArrayList<>();
            for (Map.Entry<Long, long[]> e : side.entrySet()) {
                if (out.size() == n) {
                    break;
                }
                out.add(List.of(Decimals.format(e.getKey(), 1), Decimals.format(e.getValue()[0], 8)));
            }
            return out;
        }
    }

    /** What a WebSocket client of {@code books} holds: rebuilt from the snapshot and the updates. */
    static final class ClientBook implements MarketDataListener {
        final TreeMap<Long, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<Long, String[]> asks = new TreeMap<>();
        long seqId = -2;
        final List<String> problems = new CopyOnWriteArrayList<>();
        volatile int resets;
        volatile int updates;

        @Override
        public synchronized void onBookReset(BookDepth depth) {
            bids.clear();
            asks.clear();
            put(bids, depth.bids());
            put(asks, depth.asks());
            seqId = depth.seqId();
            resets++;
            check(depth.checksum(), depth.seqId());
        }

        @Override
        public synchronized void onBook(BookUpdate u) {
            if (seqId == -2) {
                return; // before the first snapshot
            }
            if (u.prevSeqId() != seqId) {
                problems.add("chain broken: prevSeqId " + u.prevSeqId() + " after " + seqId);
            }
            put(bids, u.bids());
            put(asks, u.asks());
            seqId = u.seqId();
            updates++;
            check(u.checksum(), u.seqId());
        }

        void put(TreeMap<Long, String[]> side, List<BookLevel> levels) {
            for (BookLevel l : levels) {
                long px = Decimals.parse(l.px(), 1);
                if (l.sz().equals("0")) {
                    side.remove(px);
                } else {
                    side.put(px, new String[] {l.px(), l.sz(), Integer.toString(l.orders())});
                }
            }
        }

        void check(int checksum, long seq) {
            int mine = BookChecksum.compute(top(bids, 25), top(asks, 25));
            if (mine != checksum) {
                problems.add("checksum at " + seq + ": got " + checksum + ", client computes " + mine);
            }
        }

        static List<List<String>> top(TreeMap<Long, String[]> side, int n) {
            return side.values().stream().limit(n).map(v -> List.of(v[0], v[1])).toList();
        }

        synchronized List<BookLevel> levels(TreeMap<Long, String[]> side) {
            return side.values().stream().map(v -> new BookLevel(v[0], v[1], Integer.parseInt(v[2]))).toList();
        }
    }

    final AtomicLong clock = new AtomicLong(Instant.parse("2024-01-01T12:00:00Z").toEpochMilli());
    final ReferenceBook ref = new ReferenceBook();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MarketData md;

    MarketData start(List<FillRecord> history) {
        md = new MarketData(() -> Map.of(ID, BTC_USDT), id -> CompletableFuture.completedFuture(ref.snapshot()), meters,
                clock::get, 0);
        return md;
    }

    @AfterEach
    void stop() {
        if (md != null) {
            md.close();
        }
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void randomizedBookChainMatchesReferenceAndClientRebuild() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("MarketDataTest.randomizedBookChain seed=" + seed);
        Random rnd = new Random(seed);
        // a book that already exists when the projection starts
        for (int i = 0; i < 300; i++) {
            ref.command(0, List.of(new long[] {0, 10_000 - i * 2, 1 + rnd.nextInt(1000) * 10_000L, 1 + rnd.nextInt(3)},
                    new long[] {1, 10_001 + i * 2, 1 + rnd.nextInt(1000) * 10_000L, 1 + rnd.nextInt(3)}));
        }
        InProcessEventBus bus = new InProcessEventBus();
        start(List.of());
        ClientBook client = new ClientBook();
        md.addListener(client);
        md.start(bus, List.of());
        // the snapshot is taken on the applier thread: let it see the starting book, not one the loop below
        // already moved on (then every published change would be older than the snapshot and no update flows)
        long initial = ref.seqId;
        await("snapshot at seqId " + initial, () -> md.book(ID, 1).map(d -> d.ready() && d.seqId() == initial).orElse(false));
        long seq = 1;
        for (int b = 0; b < 400; b++) {
            List<EngineEvent> events = new ArrayList<>();
            int commands = 1 + rnd.nextInt(5);
            for (int c = 0; c < commands; c++) {
                List<long[]> changes = new ArrayList<>();
                int n = 1 + rnd.nextInt(4);
                for (int k = 0; k < n; k++) {
                    int side = rnd.nextInt(2);
                    // prices spread over ~600 ticks per side so that the 400-level view has a moving boundary
                    long px = side == 0 ? 10_000 - rnd.nextInt(1200) : 10_001 + rnd.nextInt(1200);
                    boolean delete = rnd.nextInt(3) == 0;
                    changes.add(new long[] {side, px, delete ? 0 : (1 + rnd.nextInt(5000)) * 10_000L, delete ? 0 : 1 + rnd.nextInt(4)});
                }
                // a level appears once per command (the engine reports each level's final size once)
                Map<String, long[]> dedup = new java.util.LinkedHashMap<>();
                for (long[] ch : changes) {
                    dedup.put(ch[0] + ":" + ch[1], ch);
                }
                events.addAll(ref.command(seq++, new ArrayList<>(dedup.values())));
            }
            bus.publish(new BatchEvents(0, seq - commands, seq - 1, events));
        }
        long want = ref.seqId;
        await("projection at seqId " + want, () -> md.book(ID, 1).map(d -> d.seqId() == want).orElse(false));
        BookDepth got = md.book(ID, Integer.MAX_VALUE).orElseThrow();
        assertTrue(got.ready());
        assertEquals(ref.levels(ref.bids, Integer.MAX_VALUE), got.bids().stream().map(l -> List.of(l.px(), l.sz())).toList());
        assertEquals(ref.levels(ref.asks, Integer.MAX_VALUE), got.asks().stream().map(l -> List.of(l.px(), l.sz())).toList());
        assertEquals(BookChecksum.compute(ref.levels(ref.bids, 25), ref.levels(ref.asks, 25)), got.checksum());
        assertTrue(ref.bids.size() > MarketData.BOOKS_DEPTH || ref.asks.size() > MarketData.BOOKS_DEPTH,
                "the test must exercise the 400-level view boundary");
        BookDepth view = md.book(ID, MarketData.BOOKS_DEPTH).orElseThrow();
        // the listener is told after the projection moved on: wait for it to reach the same view
        await("the client's book to catch up with the projection", () -> {
            synchronized (client) {
                return view.bids().equals(client.levels(client.bids)) && view.asks().equals(client.levels(client.asks));
            }
        });
        assertTrue(client.problems.isEmpty(), "seed " + seed + ": " + client.problems.subList(0, Math.min(5, client.problems.size())));
        assertEquals(1, client.resets);
        assertTrue(client.updates > 100, "updates " + client.updates + ", seed " + seed);
        assertEquals(view.bids(), client.levels(client.bids), "client bids = projection's 400-level view, seed " + seed);
        assertEquals(view.asks(), client.levels(client.asks), "client asks = projection's 400-level view, seed " + seed);
    }

    @Test
    void snapshotThenOnlyLaterUpdatesAndGapResyncs() throws Exception {
        for (int i = 0; i < 10; i++) {
            ref.command(0, List.of(new long[] {0, 1000 - i, 10_000, 1}));
        }
        assertEquals(10, ref.seqId);
        InProcessEventBus bus = new InProcessEventBus();
        start(List.of());
        ClientBook client = new ClientBook();
        md.addListener(client);
        md.start(bus, List.of());
        await("snapshot", () -> md.book(ID, 1).map(BookDepth::ready).orElse(false));
        assertEquals(10, md.book(ID, 1).orElseThrow().seqId());
        // an old change (seqId 7) arriving late must not touch the book
        bus.publish(new BatchEvents(0, 1, 1, List.of(new EngineEvent.BookLevelEvent(1, ID, Side.BUY, 1000, 0, 0, 7))));
        bus.publish(new BatchEvents(0, 2, 2, ref.command(2, List.of(new long[] {1, 2000, 50_000, 2}))));
        await("seqId 11", () -> md.book(ID, 1).orElseThrow().seqId() == 11);
        BookDepth d = md.book(ID, 20).orElseThrow();
        assertEquals("100", d.bids().get(0).px(), "the old delete of 100 was ignored");
        assertEquals(new BookLevel("200", "0.0005", 2), d.asks().get(0));
        // a gap: seqId 12 is never published; 13 arrives -> resync from a snapshot at 13
        ref.command(3, List.of(new long[] {1, 2001, 10_000, 1}));
        bus.publish(new BatchEvents(0, 4, 4, ref.command(4, List.of(new long[] {0, 999, 0, 0}))));
        await("resync to 13", () -> md.book(ID, 1).map(x -> x.ready() && x.seqId() == 13).orElse(false));
        d = md.book(ID, 20).orElseThrow();
        assertEquals(ref.levels(ref.bids, 20), d.bids().stream().map(l -> List.of(l.px(), l.sz())).toList());
        assertEquals(ref.levels(ref.asks, 20), d.asks().stream().map(l -> List.of(l.px(), l.sz())).toList());
        assertEquals(1.0, meters.get("bourse_marketdata_resyncs_total").counter().count());
        assertEquals(2, client.resets);
        assertTrue(client.problems.isEmpty(), client.problems.toString());
    }

    static FillRecord fill(long tradeId, long px, long sz, Side taker, long ts, long seq, long takerOrd) {
        return new FillRecord(tradeId, 0, seq, ID, px, sz, BTC_USDT.quoteAmount(px, sz), taker, takerOrd, 10_000, 77, 10_001,
                0, 0, 0, 0, ts);
    }

    @Test
    void barsAlignLikeOkx() {
        long ts = Instant.parse("2024-01-01T00:30:00Z").toEpochMilli();
        assertEquals(Instant.parse("2024-01-01T00:30:00Z").toEpochMilli(), Bar.M1.start(ts));
        assertEquals(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), Bar.H4.start(ts));
        assertEquals(Instant.parse("2023-12-31T22:00:00Z").toEpochMilli(), Bar.H6.start(ts), "6H opens at 06:00 UTC+8");
        assertEquals(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), Bar.H6_UTC.start(ts));
        assertEquals(Instant.parse("2023-12-31T16:00:00Z").toEpochMilli(), Bar.D1.start(ts), "1D opens at midnight UTC+8");
        assertEquals(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), Bar.D1_UTC.start(ts));
        assertEquals(Instant.parse("2023-12-31T16:00:00Z").toEpochMilli(), Bar.W1.start(ts), "Monday 00:00 UTC+8");
        assertEquals(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(), Bar.W1_UTC.start(ts), "2024-01-01 is a Monday");
        assertEquals(Instant.parse("2023-12-25T00:00:00Z").toEpochMilli(), Bar.W1_UTC.start(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() - 1));
        long lateMarch = Instant.parse("2024-03-31T20:00:00Z").toEpochMilli(); // already April 1st in UTC+8
        assertEquals(Instant.parse("2024-03-31T16:00:00Z").toEpochMilli(), Bar.MO1.start(lateMarch));
        assertEquals(Instant.parse("2024-03-01T00:00:00Z").toEpochMilli(), Bar.MO1_UTC.start(lateMarch));
        assertEquals(Instant.parse("2024-04-30T16:00:00Z").toEpochMilli(), Bar.MO1.next(Bar.MO1.start(lateMarch)));
        assertEquals(Bar.H12_UTC, Bar.of("12Hutc"));
        assertEquals(null, Bar.of("7m"));
    }

    @Test
    void candlesTickerWindowAndTradeDedupe() throws Exception {
        long now = clock.get(); // 2024-01-01T12:00Z
        long h = 3_600_000L;
        // history from the database: one fill outside the 24 h window, one inside
        List<FillRecord> history = List.of(fill(1, 400_000, 10_000, Side.BUY, now - 25 * h, 1, 500),
                fill(2, 410_000, 20_000, Side.SELL, now - 2 * h, 2, 501));
        InProcessEventBus bus = new InProcessEventBus();
        start(history);
        List<Trade> pushed = new CopyOnWriteArrayList<>();
        List<Candle> oneMinute = new CopyOnWriteArrayList<>();
        md.addListener(new MarketDataListener() {
            @Override
            public void onTrades(String instId, List<Trade> trades, long receivedNanos) {
                pushed.addAll(trades);
            }

            @Override
            public void onCandle(String instId, Bar bar, Candle candle, long receivedNanos) {
                if (bar == Bar.M1) {
                    oneMinute.add(candle);
                }
            }
        });
        md.start(bus, history);
        // live: fill 2 again (already in history), then two fills of one taker order at one price, then another
        long t = now - 30_000; // 11:59:30
        bus.publish(new BatchEvents(0, 2, 2, List.of(new EngineEvent.TradeEvent(2, history.get(1)))));
        bus.publish(new BatchEvents(0, 3, 4, List.of(
                new EngineEvent.TradeEvent(3, fill(3, 420_000, 10_000, Side.BUY, t, 3, 600)),
                new EngineEvent.TradeEvent(3, fill(4, 420_000, 30_000, Side.BUY, t, 3, 600)),
                new EngineEvent.TradeEvent(4, fill(5, 390_000, 10_000, Side.SELL, t + 40_000, 4, 601)))));
        await("trades", () -> md.trades(ID, 10).size() == 5);
        List<Trade> trades = md.trades(ID, 10);
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), trades.stream().map(Trade::tradeId).toList(), "newest first, fill 2 once");
        assertEquals(1.0, meters.get("bourse_marketdata_dedup_total").counter().count());
        await("aggregated pushes", () -> pushed.size() == 2);
        assertEquals(new Trade(ID, 4, "42000", "0.0004", "buy", t, 2, pushed.get(0).seqId()), pushed.get(0));
        assertEquals(new Trade(ID, 5, "39000", "0.0001", "sell", t + 40_000, 1, pushed.get(1).seqId()), pushed.get(1));

        // 1m candles: 11:59 (two fills) and 12:00 (one); newest first
        List<Candle> m1 = md.candles(ID, Bar.M1, null, null, 10);
        assertEquals(4, m1.size());
        Candle c1159 = m1.get(1);
        assertEquals(Bar.M1.start(t), c1159.ts());
        assertEquals(List.of("42000", "42000", "42000", "42000", "0.0004", "16.8"),
                List.of(c1159.o(), c1159.h(), c1159.l(), c1159.c(), c1159.vol(), c1159.volCcy()));
        assertTrue(c1159.confirm());
        assertEquals("39000", m1.get(0).o());
        assertEquals(List.of(m1.get(1)), md.candles(ID, Bar.M1, m1.get(0).ts(), null, 1), "after = older than");
        assertEquals(List.of(m1.get(0)), md.candles(ID, Bar.M1, null, m1.get(1).ts(), 10), "before = newer than");
        // the 11:59 candle was confirmed by a push when 12:00 opened
        assertTrue(oneMinute.stream().anyMatch(c -> c.ts() == c1159.ts() && c.confirm()));
        // 1D (UTC+8) holds 2024-01-01 08:00+08 .. : the fills from 10:00Z on; 1Dutc likewise from midnight UTC
        Candle day8 = md.candles(ID, Bar.D1, null, null, 1).get(0);
        assertEquals(Instant.parse("2023-12-31T16:00:00Z").toEpochMilli(), day8.ts());
        assertEquals("41000", day8.o());

        Ticker tk = md.ticker(ID).orElseThrow();
        assertEquals("39000", tk.last());
        assertEquals("0.0001", tk.lastSz());
        assertEquals("41000", tk.open24h(), "the fill 25 h ago is outside the window");
        assertEquals("42000", tk.high24h());
        assertEquals("39000", tk.low24h());
        assertEquals("0.0007", tk.vol24h());
        assertEquals(Decimals.format(BTC_USDT.quoteAmount(410_000, 20_000) + BTC_USDT.quoteAmount(420_000, 40_000)
                + BTC_USDT.quoteAmount(390_000, 10_000), 6), tk.volCcy24h());
        assertEquals("41000", tk.sodUtc0());
        assertEquals("41000", tk.sodUtc8());
        // a day later nothing is in the window: open/high/low fall back to the last price, volumes are zero
        clock.addAndGet(25 * h);
        tk = md.ticker(ID).orElseThrow();
        assertEquals("39000", tk.open24h());
        assertEquals("0", tk.vol24h());
        assertFalse(md.ticker("ETH-USDT").isPresent());
    }

    /**
     * A restarted pod equals one that saw everything live: it rebuilds from the database's minute bars and
     * recent trades (read at some moment) plus the replay of the recent batches (which overlap the read).
     */
    @Test
    void restartFromMinuteBarsAndReplayEqualsLiveProjection() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        Random rnd = new Random(seed);
        long now = clock.get();
        List<FillRecord> fills = new ArrayList<>();
        long ts = now - 3 * 3_600_000L;
        for (long id = 1; id <= 900; id++) {
            ts += rnd.nextInt(25_000); // several fills a minute, some minutes without any
            long px = 400_000 + rnd.nextInt(2_000);
            long sz = (1 + rnd.nextInt(50)) * 100L;
            fills.add(fill(id, px, sz, rnd.nextBoolean() ? Side.BUY : Side.SELL, Math.min(ts, now - 1), id, 1_000 + id));
        }
        // the pod before the restart: every fill arrived live
        InProcessEventBus liveBus = new InProcessEventBus();
        start(List.of());
        md.start(liveBus, List.of());
        for (int i = 0; i < fills.size(); ) {
            int n = Math.min(fills.size() - i, 1 + rnd.nextInt(3));
            List<EngineEvent> events = new ArrayList<>();
            for (FillRecord f : fills.subList(i, i + n)) {
                events.add(new EngineEvent.TradeEvent(f.seq(), f));
            }
            liveBus.publish(new BatchEvents(0, fills.get(i).seq(), fills.get(i + n - 1).seq(), events));
            i += n;
        }
        await("all trades live", () -> md.trades(ID, 1).stream().anyMatch(t -> t.tradeId() == 900));

        // the restarted pod: the database read saw the first 700 fills, the replay holds fills 601..900
        int read = 700;
        InProcessEventBus replayBus = new InProcessEventBus(1000, new SimpleMeterRegistry());
        for (FillRecord f : fills.subList(600, fills.size())) {
            replayBus.publish(new BatchEvents(0, f.seq(), f.seq(), List.of(new EngineEvent.TradeEvent(f.seq(), f))));
        }
        SimpleMeterRegistry restartedMeters = new SimpleMeterRegistry();
        MarketData restarted = new MarketData(() -> Map.of(ID, BTC_USDT),
                id -> CompletableFuture.completedFuture(ref.snapshot()), restartedMeters, clock::get, 0);
        try {
            restarted.start(replayBus, () -> MarketHistory.of(fills.subList(0, read), MarketData.TRADES_KEPT));
            assertEquals(fills.size() - read, restartedMeters.get("bourse_marketdata_replayed_trades_total").counter().count(),
                    "the replay adds exactly what the read missed");
            // what market/trades shows (the book seqId a live trade carries is for the WS trades channel only)
            assertEquals(md.trades(ID, 500).stream().map(MarketDataTest::shown).toList(),
                    restarted.trades(ID, 500).stream().map(MarketDataTest::shown).toList(), "seed " + seed);
            for (Bar bar : Bar.values()) {
                assertEquals(md.candles(ID, bar, null, null, MarketData.CANDLES_KEPT),
                        restarted.candles(ID, bar, null, null, MarketData.CANDLES_KEPT), bar + ", seed " + seed);
            }
            assertTrue(md.candles(ID, Bar.M1, null, null, MarketData.CANDLES_KEPT).size() > 100);
            assertEquals(md.ticker(ID).orElseThrow(), restarted.ticker(ID).orElseThrow(), "seed " + seed);
        } finally {
            restarted.close();
        }
    }

    static List<Object> shown(Trade t) {
        return List.of(t.tradeId(), t.px(), t.sz(), t.side(), t.ts());
    }

    /** The in-memory history equals what the database query computes (FillHistoryIT checks the latter). */
    @Test
    void minuteBarsSumFillsPerMinute() {
        long m = Instant.parse("2024-01-01T11:00:00Z").toEpochMilli();
        List<FillRecord> fills = List.of(fill(3, 500, 10, Side.BUY, m + 59_999, 3, 1), fill(1, 400, 20, Side.SELL, m + 5, 1, 1),
                fill(2, 700, 30, Side.BUY, m + 5, 2, 1), fill(4, 100, 40, Side.SELL, m + 60_000, 4, 1));
        MarketHistory h = MarketHistory.of(fills, 3);
        assertEquals(List.of(
                new MarketHistory.MinuteBar(ID, 0, m, 400, 700, 400, 500, 60, BTC_USDT.quoteAmount(400, 20)
                        + BTC_USDT.quoteAmount(700, 30) + BTC_USDT.quoteAmount(500, 10), 3),
                new MarketHistory.MinuteBar(ID, 0, m + 60_000, 100, 100, 100, 100, 40, BTC_USDT.quoteAmount(100, 40), 4)),
                h.bars());
        assertEquals(List.of(2L, 3L, 4L), h.trades().stream().map(FillRecord::tradeId).toList(), "the newest 3, oldest first");
    }
}
