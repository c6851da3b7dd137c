package dev.bourse.bench.load;

import dev.bourse.bench.exchange.TraderAccount;
import dev.bourse.client.OkxClient;
import dev.bourse.client.rest.trade.ClOrdIds;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.ws.OkxWebSocket;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One simulated trader: an account with its own REST client and private WebSocket, its orders, and the rule that
 * picks its next request.
 * <ul>
 *   <li>A <b>market maker</b> keeps {@code quotes} orders resting per side and instrument, {@code post_only} or
 *   {@code limit} by the maker mix, on a ladder of {@code levels} prices starting half the spread from the mid. When
 *   a side is full it replaces its oldest quote: amends it to another level ({@code amendShare}) or cancels it.</li>
 *   <li>A <b>taker</b> sends ioc/market/fok/limit orders by the taker mix, priced one step beyond the makers'
 *   ladder so that they cross it, sized 0.5–1.5 times the makers' quotes; a limit remainder that rests is
 *   cancelled by its next request.</li>
 * </ul>
 * {@link #next} runs on the trader's driver thread only; answers and pushes update {@link #tracker}.
 */
final class Trader {
    enum Role { MAKER, TAKER }

    final int index;
    final Role role;
    final TraderAccount account;
    final OrderTracker tracker;
    /** clOrdId -> when its place went out (measured places whose first {@code orders} push has not come yet). */
    final Map<String, Long> awaitingPush = new ConcurrentHashMap<>();
    final Semaphore inflight;
    private final List<Market> markets;
    private final LoadOptions o;
    private final SplittableRandom random;
    private final ClOrdIds ids = new ClOrdIds("");
    OkxClient rest;
    OkxWebSocket ws;
    OrderEntry entry;

    Trader(int index, Role role, TraderAccount account, List<Market> markets, LoadOptions o) {
        this.index = index;
        this.role = role;
        this.account = account;
        this.tracker = new OrderTracker(role == Role.TAKER);
        this.markets = markets;
        this.o = o;
        this.random = new SplittableRandom(o.seed() * 1_000_003L + index);
        this.inflight = new Semaphore(o.maxInflight());
    }

    TraderOp next() {
        Market m = markets.get(random.nextInt(markets.size()));
        String side = random.nextBoolean() ? "buy" : "sell";
        return role == Role.MAKER ? nextQuote(m, side) : nextTake(m, side);
    }

    private TraderOp nextQuote(Market m, String side) {
        if (tracker.restingCount(m.instId(), side) >= o.quotes()) {
            OrderTracker.Tracked oldest = tracker.takeOldest(m.instId(), side);
            if (oldest != null) {
                if (o.levels() > 1 && random.nextDouble() < o.amendShare()) {
                    BigDecimal current = tracker.px(oldest);
                    BigDecimal px = quotePx(m, side, random.nextInt(o.levels()));
                    if (px.compareTo(current) == 0) {
                        px = quotePx(m, side, (level(m, side, current) + 1) % o.levels());
                    }
                    return new TraderOp.Amend(m, oldest, px);
                }
                return new TraderOp.Cancel(m, oldest);
            }
        }
        OrderType type = o.makerMix().pick(random);
        BigDecimal px = quotePx(m, side, random.nextInt(o.levels()));
        return place(m, side, type, px, m.sizeFor(o.notional()));
    }

    private TraderOp nextTake(Market m, String side) {
        OrderTracker.Tracked remainder = tracker.takeOldest();
        if (remainder != null) {
            return new TraderOp.Cancel(marketOf(remainder.instId), remainder);
        }
        OrderType type = o.takerMix().pick(random);
        double cross = o.spreadBps() / 2 + o.levels() * o.stepBps() + Math.max(o.stepBps(), 1);
        BigDecimal px = m.priceAway(side.equals("buy") ? cross : -cross);
        BigDecimal factor = BigDecimal.valueOf(50 + random.nextInt(101), 2); // 0.50 .. 1.50
        return place(m, side, type, px, m.sizeFor(o.notional().multiply(factor)));
    }

    private TraderOp place(Market m, String side, OrderType type, BigDecimal px, BigDecimal sz) {
        String clOrdId = ids.next();
        OrderTracker.Tracked t = tracker.placing(clOrdId, m.instId(), side, TraderOp.Place.canRest(type), px);
        return new TraderOp.Place(m, side, type, px, sz, clOrdId, t);
    }

    /** Level {@code n} of the ladder: half the spread plus n steps away from the mid, on the maker's side. */
    BigDecimal quotePx(Market m, String side, int n) {
        double bps = o.spreadBps() / 2 + n * o.stepBps();
        return m.priceAway(side.equals("buy") ? -bps : bps);
    }

    private int level(Market m, String side, BigDecimal px) {
        for (int n = 0; n < o.levels(); n++) {
            if (quotePx(m, side, n).compareTo(px) == 0) {
                return n;
            }
        }
        return 0;
    }

    private Market marketOf(String instId) {
        for (Market m : markets) {
            if (m.instId().equals(instId)) {
                return m;
            }
        }
        throw new IllegalStateException("no market " + instId);
    }

    String name() {
        return account.name();
    }
}
