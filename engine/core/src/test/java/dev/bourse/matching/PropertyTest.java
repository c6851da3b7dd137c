package dev.bourse.matching;

import dev.bourse.asset.Asset;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.funds.PostingSet;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded randomized tests of the core's invariants over long command sequences across many users and
 * symbols. A failure names its seed; rerun one seed with {@code -Dbourse.seed=N}.
 *
 * <p>The checks use a shadow model built only from the engine's events, so they test the events as
 * much as the state: at every fill the maker must be the best-priced, earliest-queued resting order
 * on its side and within the taker's limit; after every command the book is not crossed, per-asset
 * totals (users + fee account) equal what was deposited, no balance is negative, every user's held
 * balance equals what its live orders hold, and every posting set balances. Replaying the same
 * commands on a fresh engine gives the same event transcript.
 */
class PropertyTest {
    private static final int SEEDS = Integer.getInteger("bourse.seeds", 60);
    private static final int COMMANDS = Integer.getInteger("bourse.commands", 3000);
    private static final int USERS = 12;

    @Test
    void invariantsHoldForRandomCommandSequences() {
        String one = System.getProperty("bourse.seed");
        if (one != null) {
            runSeed(Long.parseLong(one));
            return;
        }
        long base = 0x5EED_0000L;
        for (int i = 0; i < SEEDS; i++) {
            runSeed(base + i);
        }
    }

    private void runSeed(long seed) {
        try {
            List<Command> commands = generateAndCheck(seed);
            // determinism: a fresh engine fed the same commands emits the same transcript
            World a = new World();
            World b = new World();
            for (Command c : commands) {
                a.engine.execute(copy(c));
                b.engine.execute(copy(c));
            }
            assertEquals(a.recorder.transcript(), b.recorder.transcript(), "replay differs");
            if (Boolean.getBoolean("bourse.stats")) {
                Map<String, Long> counts = new java.util.TreeMap<>();
                for (String line : a.recorder.lines()) {
                    String key = line.substring(0, line.indexOf(' '));
                    int r = line.indexOf("reason=");
                    if (r > 0) {
                        key += " " + line.substring(r + 7).split(" ")[0];
                    }
                    counts.merge(key, 1L, Long::sum);
                }
                System.out.println("seed " + seed + ": " + counts);
            }
            World checked = new World();
            for (Command c : commands) {
                checked.engine.execute(copy(c));
            }
            assertEquals(a.recorder.transcript(), checked.recorder.transcript(), "replay differs");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("property failed for seed " + seed + " (rerun with -Dbourse.seed=" + seed + "): "
                    + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ world

    /** Assets, instruments, funded users and an engine with a recorder and a shadow checker. */
    private static final class World {
        final Asset usdt = new Asset(0, "USDT", 6);
        final Asset[] bases = {new Asset(1, "BTC", 8), new Asset(2, "ETH", 6), new Asset(3, "SOL", 4)};
        final InMemoryBalances balances = new InMemoryBalances(4);
        final EventRecorder recorder = new EventRecorder();
        final Shadow shadow = new Shadow();
        final MatchingEngine engine;
        final long[] deposited = new long[4];
        final Instrument[] instruments = new Instrument[3];

        World() {
            engine = new MatchingEngine(balances, new Tee(recorder, shadow));
            instruments[0] = Instrument.builder("BTC-USDT", bases[0], usdt).tickSize("0.1").lotSize("0.0001")
                    .minSize("0.0001").maxSize("5").bandBps(500).referencePrice("100").breaker(300, 5_000)
                    .fees("0.0002", "0.0005").build();
            instruments[1] = Instrument.builder("ETH-USDT", bases[1], usdt).tickSize("0.01").lotSize("0.01")
                    .minSize("0.01").maxSize("50").bandBps(1000).referencePrice("20")
                    .fees("-0.0001", "0.0003").build(); // maker rebate
            instruments[2] = Instrument.builder("SOL-USDT", bases[2], usdt).tickSize("0.001").lotSize("1")
                    .minSize("1").maxSize("1000").bandBps(0).fees("0", "0.001").build(); // no band
            for (Instrument ins : instruments) {
                engine.addInstrument(ins);
            }
            deposit(MatchingEngine.DEFAULT_FEE_ACCOUNT, 0, 5_000_000); // funds rebates, partly
            for (long u = 1; u <= USERS; u++) {
                deposit(u, 0, 2_000_000_000L + u * 7_000_000L);
                deposit(u, 1, 300_000_000L + u * 1_000_000L);
                deposit(u, 2, 200_000_000L);
                deposit(u, 3, 20_000_000L);
            }
        }

        void deposit(long account, int asset, long amount) {
            balances.deposit(account, asset, amount);
            deposited[asset] += amount;
        }
    }

    /** Fans events out to several listeners. */
    private record Tee(EngineListener a, EngineListener b) implements EngineListener {
        @Override public void onCommandRejected(long s, Command c, RejectReason r) { a.onCommandRejected(s, c, r); b.onCommandRejected(s, c, r); }
        @Override public void onOrderAccepted(long s, OrderView o) { a.onOrderAccepted(s, o); b.onOrderAccepted(s, o); }
        @Override public void onOrderAmended(long s, OrderView o, boolean k) { a.onOrderAmended(s, o, k); b.onOrderAmended(s, o, k); }
        @Override public void onOrderUpdated(long s, OrderView o) { a.onOrderUpdated(s, o); b.onOrderUpdated(s, o); }
        @Override public void onOrderCanceled(long s, OrderView o, CancelReason r) { a.onOrderCanceled(s, o, r); b.onOrderCanceled(s, o, r); }
        @Override public void onFill(long s, FillView f) { a.onFill(s, f); b.onFill(s, f); }
        @Override public void onBookLevel(long s, int sym, Side side, long px, long sz, int n, long bs) { a.onBookLevel(s, sym, side, px, sz, n, bs); b.onBookLevel(s, sym, side, px, sz, n, bs); }
        @Override public void onPostings(long s, PostingSet p) { a.onPostings(s, p); b.onPostings(s, p); }
        @Override public void onSymbolState(long s, int sym, SymbolState f, SymbolState t, StateChangeReason r) { a.onSymbolState(s, sym, f, t, r); b.onSymbolState(s, sym, f, t, r); }
    }

    /** What the events say about one order. */
    private static final class ShadowOrder {
        long id;
        long user;
        int symbol;
        Side side;
        OrderType type;
        long price;
        long remaining;
        long held;
        long queueStamp; // sequence at which it (re-)entered its price queue
        boolean resting;
    }

    /**
     * Rebuilds live orders from events and checks price-time priority at every fill. A taker is not
     * resting while it matches; it enters the queue when it comes to rest.
     */
    private static final class Shadow implements EngineListener {
        final Map<Long, ShadowOrder> orders = new HashMap<>();
        final List<String> violations = new ArrayList<>();

        private ShadowOrder upsert(OrderView o) {
            ShadowOrder s = orders.computeIfAbsent(o.orderId(), id -> new ShadowOrder());
            s.id = o.orderId();
            s.user = o.userId();
            s.symbol = o.symbolId();
            s.side = o.side();
            s.type = o.type();
            s.price = o.price();
            s.remaining = o.remainingSize();
            s.held = o.held();
            return s;
        }

        @Override
        public void onOrderAccepted(long seq, OrderView o) {
            ShadowOrder s = upsert(o);
            s.resting = false;
        }

        @Override
        public void onOrderAmended(long seq, OrderView o, boolean keptPriority) {
            ShadowOrder s = upsert(o);
            if (!keptPriority) {
                s.resting = false; // leaves the queue, may match as a taker, re-enters at the tail
            }
        }

        @Override
        public void onOrderUpdated(long seq, OrderView o) {
            ShadowOrder s = upsert(o);
            if (o.state().done()) {
                orders.remove(o.orderId());
            }
        }

        @Override
        public void onOrderCanceled(long seq, OrderView o, CancelReason reason) {
            orders.remove(o.orderId());
        }

        /**
         * Called after each command: an order still live that is not yet queued has come to rest in
         * this command. At most one order (the command's taker) enters a queue per command, so the
         * sequence number orders the queue.
         */
        void commandDone(long seq) {
            for (ShadowOrder s : orders.values()) {
                if (!s.resting) {
                    s.resting = true;
                    s.queueStamp = seq;
                }
            }
        }

        @Override
        public void onFill(long seq, FillView f) {
            ShadowOrder maker = orders.get(f.makerOrderId());
            ShadowOrder taker = orders.get(f.takerOrderId());
            if (maker == null || !maker.resting) {
                violations.add("seq " + seq + ": maker " + f.makerOrderId() + " is not resting");
                return;
            }
            if (maker.price != f.price()) {
                violations.add("seq " + seq + ": fill at " + f.price() + " but maker price " + maker.price);
            }
            if (taker != null && taker.type != OrderType.MARKET) {
                boolean ok = taker.side == Side.BUY ? f.price() <= taker.price : f.price() >= taker.price;
                if (!ok) {
                    violations.add("seq " + seq + ": fill at " + f.price() + " beyond taker limit " + taker.price);
                }
            }
            for (ShadowOrder o : orders.values()) {
                if (!o.resting || o.symbol != maker.symbol || o.side != maker.side || o == maker) {
                    continue;
                }
                boolean better = o.side == Side.BUY ? o.price > maker.price : o.price < maker.price;
                boolean earlier = o.price == maker.price && o.queueStamp < maker.queueStamp;
                if (better || earlier) {
                    violations.add("seq " + seq + ": maker " + maker.id + " filled before " + (better ? "better-priced" : "earlier")
                            + " order " + o.id);
                }
            }
        }
    }

    // ------------------------------------------------------------------ generation and checking

    private List<Command> generateAndCheck(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        World w = new World();
        List<Command> log = new ArrayList<>(COMMANDS);
        long ts = 1_000;
        int clOrd = 0;
        for (int i = 0; i < COMMANDS; i++) {
            ts += rnd.nextInt(4) == 0 ? rnd.nextInt(3_000) : rnd.nextInt(5);
            Command c = randomCommand(rnd, w, ts, clOrd++);
            log.add(copy(c));
            w.engine.execute(c);
            check(w, c);
        }
        return log;
    }

    private Command randomCommand(SplittableRandom rnd, World w, long ts, int clOrdSeq) {
        Command c = new Command();
        long user = 1 + rnd.nextInt(USERS);
        int sym = rnd.nextInt(3);
        int roll = rnd.nextInt(1000) / 10;
        if (w.engine.symbolState(sym) != SymbolState.TRADING && rnd.nextInt(8) == 0) {
            return c.setSymbolState(sym, SymbolState.TRADING, ts); // operators resume sooner or later
        }
        List<ShadowOrder> live = new ArrayList<>(w.shadow.orders.values());
        live.removeIf(o -> !o.resting);
        live.sort((x, y) -> Long.compare(x.id, y.id)); // HashMap order is not deterministic enough
        if (roll < 50 || live.isEmpty()) {
            Instrument ins = w.instruments[sym];
            Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
            OrderType type = switch (rnd.nextInt(10)) {
                case 0, 1, 2, 3, 4 -> OrderType.LIMIT;
                case 5 -> OrderType.POST_ONLY;
                case 6 -> OrderType.IOC;
                case 7 -> OrderType.FOK;
                default -> OrderType.MARKET;
            };
            long price = randomPrice(rnd, w, sym);
            long size = ins.lotSize() * (1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 40));
            if (rnd.nextInt(50) == 0) {
                size += 1; // off the lot grid
            }
            String clOrdId = rnd.nextInt(3) == 0 ? "c" + (rnd.nextInt(20) == 0 ? clOrdSeq / 2 : clOrdSeq) : null;
            StpMode stp = StpMode.values()[rnd.nextInt(3)];
            c.place(user, sym, side, type, price, size, clOrdId, rnd.nextInt(4) == 0 ? null : stp, ts);
            if (type == OrderType.MARKET && side == Side.BUY && rnd.nextInt(3) == 0) {
                c.targetCurrency(TargetCurrency.QUOTE_CCY);
                c.size = 1_000_000L * (1 + rnd.nextInt(500));
            }
            return c;
        }
        ShadowOrder target = live.get(rnd.nextInt(live.size()));
        long owner = rnd.nextInt(20) == 0 ? user : target.user; // sometimes someone else's order
        if (roll < 70) {
            return c.cancel(owner, target.symbol, rnd.nextInt(30) == 0 ? target.id + 100_000 : target.id, null, ts);
        }
        if (roll < 93) {
            Instrument ins = w.instruments[target.symbol];
            long newSize = 0;
            long newPrice = 0;
            int kind = rnd.nextInt(4);
            if (kind != 1) {
                newSize = ins.lotSize() * (1 + rnd.nextInt(60));
            }
            if (kind != 0) {
                newPrice = randomPrice(rnd, w, target.symbol);
            }
            return c.amend(owner, target.symbol, target.id, null, newSize, newPrice, ts);
        }
        if (roll < 99) {
            return c.massCancel(user, rnd.nextBoolean() ? sym : -1, ts);
        }
        SymbolState state = switch (rnd.nextInt(5)) {
            case 0 -> SymbolState.HALTED;
            case 1 -> SymbolState.CANCEL_ONLY;
            default -> SymbolState.TRADING;
        };
        return c.setSymbolState(sym, state, ts);
    }

    private long randomPrice(SplittableRandom rnd, World w, int sym) {
        Instrument ins = w.instruments[sym];
        long ref = w.engine.referencePrice(sym);
        if (ref == 0) {
            ref = ins.tickSize() * 10_000; // SOL-USDT has no default reference: start at 10.000
        }
        long offsetTicks = rnd.nextInt(rnd.nextInt(8) == 0 ? 1200 : 40) - (rnd.nextInt(8) == 0 ? 600 : 20);
        long px = ref + offsetTicks * ins.tickSize();
        if (rnd.nextInt(60) == 0) {
            px += 1; // off the tick grid (tick > 1 unit for every instrument here)
        }
        return px <= 0 ? ins.tickSize() : px;
    }

    private static void check(World w, Command c) {
        w.shadow.commandDone(c.sequence());
        if (!w.shadow.violations.isEmpty()) {
            fail("after " + c + ": " + w.shadow.violations);
        }
        for (EventRecorder.PostingSnapshot p : w.recorder.postingSets()) {
            if (!p.balanced()) {
                fail("unbalanced posting set at seq " + p.seq() + " after " + c);
            }
        }
        w.recorder.postingSets().clear();
        for (int s = 0; s < 3; s++) {
            OrderBook book = w.engine.book(s);
            long bid = book.bestBid();
            long ask = book.bestAsk();
            if (bid > 0 && ask > 0 && bid >= ask) {
                fail("crossed book on symbol " + s + ": bid " + bid + " >= ask " + ask + " after " + c);
            }
        }
        for (int a = 0; a < 4; a++) {
            assertEquals(w.deposited[a], w.balances.total(a), "asset " + a + " not conserved after " + c);
        }
        Map<Long, long[]> expectedHeld = new HashMap<>();
        for (ShadowOrder o : w.shadow.orders.values()) {
            int asset = o.side == Side.BUY ? w.instruments[o.symbol].quote().id() : w.instruments[o.symbol].base().id();
            expectedHeld.computeIfAbsent(o.user, u -> new long[4])[asset] += o.held;
            OrderView live = w.engine.liveOrder(o.id);
            if (live == null || live.remainingSize() != o.remaining || live.held() != o.held) {
                fail("shadow and engine disagree on order " + o.id + " after " + c);
            }
            if (o.side == Side.BUY) {
                long need = w.instruments[o.symbol].quoteAmount(o.price, o.remaining);
                assertEquals(need, o.held, "buy order " + o.id + " holds the wrong amount after " + c);
            } else {
                assertEquals(o.remaining, o.held, "sell order " + o.id + " holds the wrong amount after " + c);
            }
        }
        assertEquals(w.shadow.orders.size(), w.engine.liveOrderCount(), "live order count after " + c);
        w.balances.forEach((account, row) -> {
            for (int i = 0; i < row.length; i++) {
                if (row[i] < 0) {
                    fail("negative balance: account " + account + " slot " + i + " = " + row[i] + " after " + c);
                }
            }
            long[] held = expectedHeld.getOrDefault(account, new long[4]);
            for (int a = 0; a < 4; a++) {
                if (row[a * 2 + 1] != held[a]) {
                    fail("account " + account + " asset " + a + " held " + row[a * 2 + 1] + " but its orders hold "
                            + held[a] + " after " + c);
                }
            }
        });
    }

    private static Command copy(Command c) {
        Command d = new Command();
        d.type = c.type;
        d.userId = c.userId;
        d.symbolId = c.symbolId;
        d.side = c.side;
        d.orderType = c.orderType;
        d.stpMode = c.stpMode;
        d.targetCurrency = c.targetCurrency;
        d.price = c.price;
        d.size = c.size;
        d.clOrdId = c.clOrdId;
        d.orderId = c.orderId;
        d.newPrice = c.newPrice;
        d.newSize = c.newSize;
        d.targetState = c.targetState;
        d.timestamp = c.timestamp;
        return d;
    }
}
