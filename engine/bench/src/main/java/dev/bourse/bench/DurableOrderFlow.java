package dev.bourse.bench;

import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.matching.Command;
import dev.bourse.matching.EngineListener;
import dev.bourse.matching.FillView;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.matching.OrderBook;
import dev.bourse.matching.RejectReason;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.OrderView;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.server.listing.InstrumentSpec;
import dev.bourse.server.shard.ShardCommand;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The order flow of {@link DurableSequencerBench}: a seeded stream of {@link ShardCommand}s on one
 * instrument from a set of users, in a simple market-making mix:
 *
 * <ul>
 *   <li>GTC limit places ({@link Mix#limit}): most rest 1..{@link Mix#maxDevTicks} ticks behind the
 *       opposite best (biased towards the touch); a share ({@link Mix#limitCross}) is priced 0..1 tick
 *       through the opposite best and trades (the rest of such an order, if any, rests);</li>
 *   <li>IOC places ({@link Mix#ioc}), 0..2 ticks through the opposite best;</li>
 *   <li>cancels ({@link Mix#cancel}) of a live order, sent by the user who owns it.</li>
 * </ul>
 *
 * <p>The Bourse core runs as an oracle while the stream is generated: an engine configured like the
 * shard's (same instrument, fee account and counters, users funded without limit), executing every
 * generated command in order. So every cancel names an order that is live at that point of the stream,
 * and the order id the shard will assign to every place is known in advance: the benchmark compares it
 * with the shard's answer to detect any divergence. The book is held near {@link Mix#book} resting
 * orders (dead band ±5 %): a place drawn while the book is above the band becomes a cancel, a cancel
 * drawn while it is below becomes a passive place ({@link Chunk#substituted} counts them). Prices stay
 * within ±{@link Mix#maxMoveBps} of the reference price, well inside the instrument's band and breaker.
 * Users are drawn uniformly; self-trades are not avoided (places use the shard's default STP,
 * cancel-maker, and the oracle applies it exactly as the shard does).
 *
 * <p>Deterministic: the same instrument, users, mix and seed give the same commands.
 */
public final class DurableOrderFlow {
    /** The instrument of the benchmark: BTC-USDT as listed by the dev profile's demo data. */
    public static final InstrumentSpec BTC_USDT = new InstrumentSpec("BTC-USDT", "BTC", "USDT", "0.1", "0.00001", "0.00001",
            "1000", 1000, "60000", 2000, 60_000, "0.0008", "0.001");

    /** Shares of the command kinds and the shape of the book. */
    public record Mix(double limit, double ioc, double cancel, double limitCross, int book, int maxDevTicks,
                      int maxMoveBps, double clOrdIdShare) {
        public static final Mix DEFAULT = new Mix(0.50, 0.10, 0.40, 0.15, 2000, 50, 200, 0.0);

        public Mix {
            if (limit < 0 || ioc < 0 || cancel < 0 || Math.abs(limit + ioc + cancel - 1) > 1e-9) {
                throw new IllegalArgumentException("limit + ioc + cancel shares must be >= 0 and sum to 1");
            }
            if (limitCross < 0 || limitCross > 1 || clOrdIdShare < 0 || clOrdIdShare > 1) {
                throw new IllegalArgumentException("limitCross and clOrdIdShare are shares in 0..1");
            }
            if (book < 2 || maxDevTicks < 1 || maxMoveBps < 1) {
                throw new IllegalArgumentException("book >= 2, maxDevTicks >= 1, maxMoveBps >= 1");
            }
        }

        public Mix withClOrdIdShare(double share) {
            return new Mix(limit, ioc, cancel, limitCross, book, maxDevTicks, maxMoveBps, share);
        }

        public Mix withBook(int orders) {
            return new Mix(limit, ioc, cancel, limitCross, orders, maxDevTicks, maxMoveBps, clOrdIdShare);
        }
    }

    /** A run of generated commands, and what the oracle says they do. */
    public static final class Chunk {
        public final ShardCommand[] commands;
        /** Order id the shard must assign to each place; 0 for cancels. */
        public final long[] expectedOrdId;
        public int limits;
        public int crossingLimits;
        public int iocs;
        public int cancels;
        public int substituted;
        /** Commands that traded, and fills, according to the oracle. */
        public int trading;
        public long fills;

        Chunk(int n) {
            commands = new ShardCommand[n];
            expectedOrdId = new long[n];
        }

        public int size() {
            return commands.length;
        }

        public String describe() {
            int n = Math.max(1, size());
            return String.format(Locale.ROOT,
                    "%,d commands: %.1f%% limit (%.1f%% of all crossing), %.1f%% IOC, %.1f%% cancel; %.1f%% traded "
                            + "(%,d fills); %,d substituted by the book control",
                    size(), 100.0 * limits / n, 100.0 * crossingLimits / n, 100.0 * iocs / n, 100.0 * cancels / n,
                    100.0 * trading / n, fills, substituted);
        }
    }

    private final Instrument ins;
    private final String instId;
    private final long[] users;
    private final Mix mix;
    private final SplittableRandom rnd;
    private final MatchingEngine engine;
    private final Oracle oracle = new Oracle();
    private final Command c = new Command();
    private final LiveOrders live = new LiveOrders(1);
    private final long tick;
    private final long lot;
    private final long minPx;
    private final long maxPx;
    private final long midPx;
    private final int band;
    private final String clOrdPrefix;
    private long clOrdCounter;
    private long now;

    /**
     * @param users        account ids of the users (each funded with {@code baseFunds} and
     *                     {@code quoteFunds} in the shard's database)
     * @param feeAccount   the shard's fee account
     * @param lastSeq      the shard's counters as it starts (0, 0, 0 for a fresh shard 0)
     */
    public DurableOrderFlow(Instrument ins, long[] users, long baseFunds, long quoteFunds, long feeAccount, long lastSeq,
                            long lastOrderId, long lastTradeId, Mix mix, long seed) {
        if (users.length < 2) {
            throw new IllegalArgumentException("need at least 2 users");
        }
        this.ins = ins;
        this.instId = ins.instId();
        this.users = users.clone();
        this.mix = mix;
        this.rnd = new SplittableRandom(seed);
        this.clOrdPrefix = "b" + Long.toString(Math.floorMod(seed, 1296L), 36);
        InMemoryBalances balances = new InMemoryBalances(Math.max(ins.base().id(), ins.quote().id()) + 1);
        for (long u : users) {
            balances.deposit(u, ins.base().id(), baseFunds);
            balances.deposit(u, ins.quote().id(), quoteFunds);
        }
        this.engine = new MatchingEngine(balances, oracle, feeAccount, lastSeq, lastOrderId, lastTradeId);
        engine.addInstrument(ins);
        this.tick = ins.tickSize();
        this.lot = ins.lotSize();
        long ref = ins.referencePrice();
        this.midPx = ref / tick * tick;
        long span = Math.max(tick * (mix.maxDevTicks() + 10), ref / 10_000 * mix.maxMoveBps() / tick * tick);
        this.minPx = Math.max(tick, midPx - span);
        this.maxPx = midPx + span;
        this.band = Math.max(2, mix.book() / 20);
        this.now = 1_700_000_000_000L;
    }

    public Mix mix() {
        return mix;
    }

    /** Resting orders in the oracle's book. */
    public int liveOrders() {
        return live.count(0);
    }

    /** Passive GTC places that fill the book to its target size (they do not trade). */
    public Chunk preload() {
        int n = Math.max(0, mix.book() - live.count(0));
        Chunk out = new Chunk(n);
        for (int i = 0; i < n; i++) {
            placePassive(out, i, pickSide());
        }
        if (out.trading != 0) {
            throw new IllegalStateException("a preload order traded");
        }
        return out;
    }

    /** The next {@code n} commands of the stream. */
    public Chunk next(int n) {
        Chunk out = new Chunk(n);
        for (int i = 0; i < n; i++) {
            double r = rnd.nextDouble();
            if (r < mix.limit()) {
                limit(out, i);
            } else if (r < mix.limit() + mix.ioc()) {
                ioc(out, i);
            } else {
                cancel(out, i);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ command kinds

    private void limit(Chunk out, int i) {
        if (live.count(0) > mix.book() + band) {
            out.substituted++;
            emitCancel(out, i, live.random(0, rnd));
            return;
        }
        Side side = pickSide();
        long opp = oppBest(side);
        if (opp != 0 && rnd.nextDouble() < mix.limitCross()) {
            long through = rnd.nextInt(2) * tick;
            long px = clamp(side == Side.BUY ? opp + through : opp - through);
            emitPlace(out, i, pickUser(), side, OrderType.LIMIT, px, takerLots());
            out.crossingLimits++;
            return;
        }
        placePassive(out, i, side);
    }

    private void ioc(Chunk out, int i) {
        Side side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        long opp = oppBest(side);
        if (opp == 0) {
            side = side == Side.BUY ? Side.SELL : Side.BUY;
            opp = oppBest(side);
        }
        if (opp == 0) {
            out.substituted++;
            placePassive(out, i, pickSide());
            return;
        }
        long through = rnd.nextInt(3) * tick;
        emitPlace(out, i, pickUser(), side, OrderType.IOC, clamp(side == Side.BUY ? opp + through : opp - through),
                takerLots());
    }

    private void cancel(Chunk out, int i) {
        if (live.count(0) == 0 || live.count(0) < mix.book() - band) {
            out.substituted++;
            placePassive(out, i, pickSide());
            return;
        }
        emitCancel(out, i, live.random(0, rnd));
    }

    private void placePassive(Chunk out, int i, Side side) {
        long dev = tick * (long) (mix.maxDevTicks() * Math.pow(rnd.nextDouble(), 2));
        boolean buy = side == Side.BUY;
        long opp = oppBest(side);
        long px;
        if (opp != 0) {
            px = buy ? opp - tick - dev : opp + tick + dev;
        } else {
            long own = ownBest(side);
            long anchor = own != 0 ? own : (buy ? midPx - tick : midPx + tick);
            px = buy ? anchor - dev : anchor + dev;
        }
        px = clamp(px);
        if (opp != 0 && (buy ? px >= opp : px <= opp)) { // clamped into the other side: step back
            px = buy ? opp - tick : opp + tick;
        }
        emitPlace(out, i, pickUser(), side, OrderType.LIMIT, px, makerLots());
    }

    // ------------------------------------------------------------------ emitting (and running the oracle)

    private void emitPlace(Chunk out, int i, long user, Side side, OrderType type, long px, long lots) {
        long sz = lots * lot;
        String clOrdId = mix.clOrdIdShare() > 0 && rnd.nextDouble() < mix.clOrdIdShare()
                ? clOrdPrefix + Long.toString(++clOrdCounter, 36) : null;
        out.commands[i] = ShardCommand.place(user, instId, side, type, px, sz, clOrdId);
        int fillsBefore = oracle.fills;
        check(engine.execute(c.place(user, 0, side, type, px, sz, clOrdId, StpMode.CANCEL_MAKER, ++now)), out.commands[i]);
        long id = c.resultOrderId();
        out.expectedOrdId[i] = id;
        if (engine.liveOrder(id) != null) {
            live.add(id, 0, side == Side.BUY ? CommandStream.BUY : CommandStream.SELL);
        }
        if (type == OrderType.IOC) {
            out.iocs++;
        } else {
            out.limits++;
        }
        count(out, fillsBefore);
    }

    private void emitCancel(Chunk out, int i, long ordId) {
        OrderView o = engine.liveOrder(ordId);
        long user = o.userId();
        out.commands[i] = ShardCommand.cancel(user, instId, ordId, null);
        int fillsBefore = oracle.fills;
        check(engine.execute(c.cancel(user, 0, ordId, null, ++now)), out.commands[i]);
        out.cancels++;
        count(out, fillsBefore);
    }

    private void count(Chunk out, int fillsBefore) {
        int f = oracle.fills - fillsBefore;
        if (f > 0) {
            out.trading++;
            out.fills += f;
        }
    }

    private static void check(RejectReason r, ShardCommand cmd) {
        if (r != null) {
            throw new IllegalStateException("the oracle rejected generated command " + cmd + ": " + r);
        }
    }

    // ------------------------------------------------------------------ helpers

    private long pickUser() {
        return users[rnd.nextInt(users.length)];
    }

    /** A side for a new resting order, biased towards the thinner side of the book. */
    private Side pickSide() {
        int bids = live.count(0, CommandStream.BUY);
        int asks = live.count(0, CommandStream.SELL);
        return rnd.nextInt(bids + asks + 2) < asks + 1 ? Side.BUY : Side.SELL;
    }

    /** Resting orders: 1 + a*b*c lots, a, b, c uniform in 0..5, times 100 (0.001..0.126 BTC). */
    private long makerLots() {
        return 100L * (1 + (long) rnd.nextInt(6) * rnd.nextInt(6) * rnd.nextInt(6));
    }

    /** Takers (IOC, crossing limits): 1..5 times 100 lots (0.001..0.005 BTC). */
    private long takerLots() {
        return 100L * (1 + rnd.nextInt(5));
    }

    private long clamp(long px) {
        return Math.max(minPx, Math.min(maxPx, px));
    }

    private long oppBest(Side side) {
        OrderBook b = engine.book(0);
        return side == Side.BUY ? b.bestAsk() : b.bestBid();
    }

    private long ownBest(Side side) {
        OrderBook b = engine.book(0);
        return side == Side.BUY ? b.bestBid() : b.bestAsk();
    }

    /** Keeps {@link #live} exact from the oracle's events. */
    private final class Oracle implements EngineListener {
        int fills;

        @Override
        public void onFill(long seq, FillView fill) {
            fills++;
        }

        @Override
        public void onOrderCanceled(long seq, OrderView order, CancelReason reason) {
            live.remove(order.orderId());
        }

        @Override
        public void onOrderUpdated(long seq, OrderView order) {
            if (order.state() == OrderState.FILLED) {
                live.remove(order.orderId());
            }
        }
    }
}
