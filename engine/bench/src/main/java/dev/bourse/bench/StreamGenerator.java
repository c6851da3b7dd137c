package dev.bourse.bench;

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

import java.util.SplittableRandom;

/**
 * Generates a seeded, realistic command stream in the mix of exchange-core's benchmarks: about 9 % GTC
 * limit places, 3 % IOC places, 6 % cancels and 82 % moves (price amends), of which about 6 % trade.
 *
 * <p>The Bourse core runs as the oracle while the stream is generated, so every cancel and move targets
 * an order that is resting at that moment, every order id is the id the engine assigns, and the
 * generator knows which commands traded. Commands that would match one of the same user's resting
 * orders are never generated (Bourse applies self-trade prevention, exchange-core does not, so such a
 * command would make the two books diverge).
 *
 * <p>Model: every symbol has a reference price (1000..1990 USDT); passive orders are placed 1..40 ticks
 * behind the opposite best (quadratically biased to the touch); IOC orders are priced 0..2 ticks through
 * the opposite best and the crossing share of GTC places (30 % of them) 0..1 tick through; moves step
 * 1-3 ticks away from the touch or up to a quarter of the distance towards it, and 0.15 % of moves jump
 * to the opposite best and trade. Resting orders are 2 + a*b*c lots (a, b, c uniform in 0..5), takers
 * (IOC and crossing GTC) 1 or 2 lots. Each symbol's book is held near its target size (1000 orders per
 * symbol on average, dead band ±5 %): a cancel drawn while the book is below the band becomes a passive
 * GTC place and a GTC drawn while it is above becomes a cancel ({@link CommandStream#substituted} counts
 * them). Trades drain the book (a crossing GTC or move does not rest), so the realised mix is about
 * 9.2 % GTC / 3 % IOC / 5.8 % cancel / 82 % move with 5.8 % trading: exactly 9 / 6 with 6 % trading is
 * not a stationary book. With many symbols, command activity and book size follow a Pareto (alpha 1.5)
 * weight per symbol, as in exchange-core's multi-symbol tests. Users are drawn uniformly.
 */
public final class StreamGenerator {
    /** Target share of GTC limit places among measured commands. */
    public static final double P_GTC = 0.09;
    public static final double P_IOC = 0.03;
    public static final double P_CANCEL = 0.06;
    /** The rest are moves. */
    public static final double P_MOVE = 1 - P_GTC - P_IOC - P_CANCEL;

    /** Share of GTC places priced at the opposite best (they take liquidity; the rest of them rests). */
    static final double GTC_CROSS = 0.30;
    /** Share of moves that jump to the opposite best and trade. */
    static final double MOVE_CROSS = 0.0015;
    /** Passive prices are 1..MAX_DEV ticks behind the opposite best. */
    static final int MAX_DEV = 40;
    /** Smallest target book (resting orders) of a symbol. */
    static final int MIN_BOOK = 20;

    private final MarketSpec spec;
    private final SplittableRandom rnd;
    private final MatchingEngine engine;
    private final Oracle oracle = new Oracle();
    private final Command c = new Command();
    private final LiveOrders live;
    private final double[] cumWeight;
    private final int[] target;
    private final int[] band;
    private final long[] lvlPx = new long[64];
    private final long[] lvlSz = new long[64];

    private CommandStream out;
    private int i;
    private boolean measuring;

    private StreamGenerator(MarketSpec spec, long seed, int ordersPerSymbol) {
        this.spec = spec;
        this.rnd = new SplittableRandom(seed);
        this.engine = spec.newBourseEngine(oracle);
        this.live = new LiveOrders(spec.symbols());
        int n = spec.symbols();
        double[] w = new double[n];
        if (n == 1) {
            w[0] = 1;
        } else {
            SplittableRandom wr = new SplittableRandom(seed * 31 + 7);
            double sum = 0;
            for (int s = 0; s < n; s++) {
                // Pareto(xm = 1, alpha = 1.5)
                w[s] = Math.pow(1 - wr.nextDouble(), -1 / 1.5);
                sum += w[s];
            }
            for (int s = 0; s < n; s++) {
                w[s] /= sum;
            }
        }
        cumWeight = new double[n];
        target = new int[n];
        band = new int[n];
        double acc = 0;
        for (int s = 0; s < n; s++) {
            acc += w[s];
            cumWeight[s] = acc;
            target[s] = Math.max(MIN_BOOK, (int) Math.round((double) ordersPerSymbol * n * w[s]));
            band[s] = Math.max(2, target[s] / 20);
        }
        cumWeight[n - 1] = 1.0;
    }

    /**
     * Generates {@code commands} measured commands after the commands that fill the books to about
     * {@code ordersPerSymbol} resting orders per symbol on average.
     */
    public static CommandStream generate(MarketSpec spec, int commands, long seed, int ordersPerSymbol) {
        if (commands < 0) {
            throw new IllegalArgumentException("commands must be >= 0");
        }
        return new StreamGenerator(spec, seed, ordersPerSymbol).run(commands, seed);
    }

    public static CommandStream generate(int symbols, int users, int commands, long seed) {
        return generate(new MarketSpec(symbols, users), commands, seed, 1000);
    }

    private CommandStream run(int commands, long seed) {
        int preload = 0;
        for (int t : target) {
            preload += t;
        }
        out = new CommandStream(spec, seed, preload + commands, preload);
        i = 0;
        for (int s = 0; s < spec.symbols(); s++) {
            for (int k = 0; k < target[s]; k++) {
                placePassive(s, (byte) (k & 1));
            }
        }
        if (i != preload) {
            throw new IllegalStateException("preload " + i + " != " + preload);
        }
        measuring = true;
        while (i < out.length) {
            int s = pickSymbol();
            double r = rnd.nextDouble();
            if (r < P_GTC) {
                gtc(s);
            } else if (r < P_GTC + P_IOC) {
                ioc(s);
            } else if (r < P_GTC + P_IOC + P_CANCEL) {
                cancel(s);
            } else {
                move(s);
            }
        }
        out.pack();
        return out;
    }

    // ------------------------------------------------------------------ command kinds

    private void gtc(int s) {
        if (live.count(s) > target[s] + band[s]) {
            out.substituted++;
            emitCancel(s, live.random(s, rnd));
            return;
        }
        byte side = pickSide(s);
        long opp = oppBest(s, side);
        if (opp != 0 && rnd.nextDouble() < GTC_CROSS) {
            long px = clamp(s, side == CommandStream.BUY ? opp + rnd.nextInt(2) : opp - rnd.nextInt(2));
            if (emitTaker(s, side, CommandStream.GTC, px)) {
                return;
            }
        }
        placePassive(s, side);
    }

    private void ioc(int s) {
        byte side = pickSide(s); // a buy when the asks are the fuller side: takes from it
        long opp = oppBest(s, side);
        if (opp == 0) {
            side = (byte) (1 - side);
            opp = oppBest(s, side);
        }
        if (opp != 0) {
            long px = clamp(s, side == CommandStream.BUY ? opp + rnd.nextInt(3) : opp - rnd.nextInt(3));
            if (emitTaker(s, side, CommandStream.IOC, px)) {
                return;
            }
        }
        out.substituted++;
        placePassive(s, pickSide(s));
    }

    /**
     * Emits a crossing place at {@code px} from a user with no resting order it would reach (self-trades
     * would make the engines diverge); false if eight draws found no such user.
     */
    private boolean emitTaker(int s, byte side, byte orderType, long px) {
        long lots = takerLots();
        for (int t = 0; t < 8; t++) {
            int u = pickUser();
            if (!reachesOwn(s, side, px, lots * MarketSpec.LOT_UNITS, u)) {
                emitPlace(s, u, side, orderType, px, lots);
                return true;
            }
        }
        return false;
    }

    private void cancel(int s) {
        if (live.count(s) < target[s] - band[s]) {
            out.substituted++;
            placePassive(s, pickSide(s));
            return;
        }
        emitCancel(s, live.random(s, rnd));
    }

    private void move(int s) {
        if (live.count(s) == 0) {
            out.substituted++;
            placePassive(s, pickSide(s));
            return;
        }
        long id = live.random(s, rnd);
        OrderView o = engine.liveOrder(id);
        byte side = o.side() == Side.BUY ? CommandStream.BUY : CommandStream.SELL;
        long px = o.price() / MarketSpec.TICK_UNITS;
        long opp = oppBest(s, side);
        long np = 0;
        if (opp != 0 && rnd.nextDouble() < MOVE_CROSS && !reachesOwn(s, side, opp, o.remainingSize(), o.userId())) {
            np = opp;
        }
        if (np == 0) {
            np = passiveMove(s, side, px, opp);
        }
        emitMove(s, (int) o.userId(), id, side, np);
    }

    /** A new price for a resting order that does not cross and differs from {@code px}. */
    private long passiveMove(int s, byte side, long px, long opp) {
        boolean buy = side == CommandStream.BUY;
        long dist = opp == 0 ? Long.MAX_VALUE : (buy ? opp - px : px - opp); // >= 1: the order rests
        long np;
        if (dist > 1 && rnd.nextBoolean()) {
            // towards the touch by up to a quarter of the distance (1-3 ticks up when that side is empty)
            long maxStep = opp == 0 ? 3 : Math.min(dist - 1, Math.max(1, dist / 4));
            long step = 1 + rnd.nextLong(maxStep);
            np = buy ? px + step : px - step;
        } else {
            long step = 1 + rnd.nextInt(3);
            np = buy ? px - step : px + step;
        }
        np = clamp(s, np);
        if (np == px || crosses(side, np, opp)) {
            np = clamp(s, buy ? px - 1 : px + 1);
            if (np == px) {
                np = buy ? px + 1 : px - 1;
                if (crosses(side, np, opp)) {
                    throw new IllegalStateException("no passive move for a " + side + " at " + px + " (opp " + opp + ")");
                }
            }
        }
        return np;
    }

    private void placePassive(int s, byte side) {
        long dev = (long) (MAX_DEV * Math.pow(rnd.nextDouble(), 2));
        long opp = oppBest(s, side);
        boolean buy = side == CommandStream.BUY;
        long px;
        if (opp != 0) {
            px = buy ? opp - 1 - dev : opp + 1 + dev;
        } else {
            long own = ownBest(s, side);
            long anchor = own != 0 ? own : (buy ? spec.referenceTicks(s) - 1 : spec.referenceTicks(s) + 1);
            px = buy ? anchor - dev : anchor + dev;
        }
        px = clamp(s, px);
        if (crosses(side, px, opp)) {
            px = buy ? opp - 1 : opp + 1;
        }
        emitPlace(s, pickUser(), side, CommandStream.GTC, px, makerLots());
    }

    // ------------------------------------------------------------------ emitting (and running the oracle)

    private void emitPlace(int s, int u, byte side, byte type, long pxTicks, long lots) {
        long px = pxTicks * MarketSpec.TICK_UNITS;
        long sz = lots * MarketSpec.LOT_UNITS;
        out.type[i] = CommandStream.PLACE;
        out.user[i] = u;
        out.symbol[i] = s;
        out.side[i] = side;
        out.orderType[i] = type;
        out.price[i] = px;
        out.size[i] = sz;
        int before = oracle.fills;
        check(engine.execute(c.place(u, s, side == CommandStream.BUY ? Side.BUY : Side.SELL,
                type == CommandStream.GTC ? OrderType.LIMIT : OrderType.IOC, px, sz, null, StpMode.CANCEL_MAKER, i)));
        long id = c.resultOrderId();
        out.orderId[i] = id;
        if (engine.liveOrder(id) != null) {
            live.add(id, s, side);
        }
        finish(before);
    }

    private void emitCancel(int s, long id) {
        OrderView o = engine.liveOrder(id);
        out.type[i] = CommandStream.CANCEL;
        out.user[i] = (int) o.userId();
        out.symbol[i] = s;
        out.side[i] = o.side() == Side.BUY ? CommandStream.BUY : CommandStream.SELL;
        out.orderId[i] = id;
        int before = oracle.fills;
        check(engine.execute(c.cancel(o.userId(), s, id, null, i)));
        finish(before);
    }

    private void emitMove(int s, int u, long id, byte side, long newPxTicks) {
        long np = newPxTicks * MarketSpec.TICK_UNITS;
        out.type[i] = CommandStream.MOVE;
        out.user[i] = u;
        out.symbol[i] = s;
        out.side[i] = side;
        out.orderId[i] = id;
        out.newPrice[i] = np;
        out.newSize[i] = 0;
        int before = oracle.fills;
        check(engine.execute(c.amend(u, s, id, null, 0, np, i)));
        finish(before);
    }

    private void check(RejectReason r) {
        if (r != null) {
            throw new IllegalStateException("the Bourse core rejected generated command " + i + " " + c + ": " + r);
        }
        if (oracle.selfTrade) {
            throw new IllegalStateException("generated command " + i + " hit self-trade prevention: " + c);
        }
    }

    private void finish(int fillsBefore) {
        int f = oracle.fills - fillsBefore;
        if (!measuring && f != 0) {
            throw new IllegalStateException("a preload command traded: " + c);
        }
        out.fills[i] = f;
        out.traded[i] = f > 0;
        i++;
    }

    // ------------------------------------------------------------------ helpers

    private int pickSymbol() {
        if (cumWeight.length == 1) {
            return 0;
        }
        double r = rnd.nextDouble();
        int lo = 0;
        int hi = cumWeight.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumWeight[mid] < r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int pickUser() {
        return 1 + rnd.nextInt(spec.users());
    }

    /** A side for a new resting order, biased towards the thinner side of the book. */
    private byte pickSide(int s) {
        int bids = live.count(s, CommandStream.BUY);
        int asks = live.count(s, CommandStream.SELL);
        return rnd.nextInt(bids + asks + 2) < asks + 1 ? CommandStream.BUY : CommandStream.SELL;
    }

    /** Size of a resting order: 2 + a*b*c lots, a, b, c uniform in 0..5 (2..127 lots, mean ~17.6). */
    private long makerLots() {
        return 2 + (long) rnd.nextInt(6) * rnd.nextInt(6) * rnd.nextInt(6);
    }

    /** Size of a taker (IOC, crossing GTC): 1 lot, or 2 lots one time in four. */
    private long takerLots() {
        return 1 + (long) rnd.nextInt(2) * rnd.nextInt(2);
    }


    private long clamp(int s, long ticks) {
        return Math.max(spec.minTicks(s), Math.min(spec.maxTicks(s), ticks));
    }

    private static boolean crosses(byte side, long px, long opp) {
        return opp != 0 && (side == CommandStream.BUY ? px >= opp : px <= opp);
    }

    /** Best price (ticks) on the side a {@code side} order would take from; 0 if that side is empty. */
    private long oppBest(int s, byte side) {
        OrderBook b = engine.book(s);
        return (side == CommandStream.BUY ? b.bestAsk() : b.bestBid()) / MarketSpec.TICK_UNITS;
    }

    private long ownBest(int s, byte side) {
        OrderBook b = engine.book(s);
        return (side == CommandStream.BUY ? b.bestBid() : b.bestAsk()) / MarketSpec.TICK_UNITS;
    }

    /**
     * Would a {@code side} taker of {@code user} with limit {@code limitTicks} for {@code size} reach one
     * of the user's own resting orders before it is filled or stops crossing?
     */
    private boolean reachesOwn(int s, byte side, long limitTicks, long size, long user) {
        boolean buy = side == CommandStream.BUY;
        Side opp = buy ? Side.SELL : Side.BUY;
        OrderBook b = engine.book(s);
        long limit = limitTicks * MarketSpec.TICK_UNITS;
        int n = b.depth(opp, lvlPx.length, lvlPx, lvlSz, null);
        long need = size;
        for (int l = 0; l < n; l++) {
            long px = lvlPx[l];
            if (buy ? px > limit : px < limit) {
                return false;
            }
            for (long id : b.queueAt(opp, px)) {
                OrderView o = engine.liveOrder(id);
                if (o.userId() == user) {
                    return true;
                }
                need -= o.remainingSize();
                if (need <= 0) {
                    return false;
                }
            }
        }
        return n == lvlPx.length; // looked at every level we fetched without an answer: be safe
    }

    /** Follows the oracle's events to keep {@link #live} exact. */
    private final class Oracle implements EngineListener {
        int fills;
        boolean selfTrade;

        @Override
        public void onFill(long seq, FillView fill) {
            fills++;
        }

        @Override
        public void onOrderCanceled(long seq, OrderView order, CancelReason reason) {
            if (reason == CancelReason.SELF_TRADE_PREVENTION) {
                selfTrade = true;
            }
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
