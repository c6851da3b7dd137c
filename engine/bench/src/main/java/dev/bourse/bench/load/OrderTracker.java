package dev.bourse.bench.load;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trader's view of its own orders, kept from the answers to its requests and from its private {@code orders}
 * pushes (which may arrive before or after the answer): which orders rest on which side of which instrument, oldest
 * first, so that quotes can be counted, replaced and cancelled. An order with a cancel or amend in flight is "busy"
 * and not offered for another one.
 *
 * <p>A maker's quote rests once it is accepted (it was priced not to cross). A taker's limit order usually fills at
 * once, and its answer tends to arrive before the push saying so; with {@code restOnPush} such an order counts as
 * resting only after a push reported it {@code live} or {@code partially_filled}, so that the taker does not cancel
 * orders that are already filled.
 */
final class OrderTracker {
    /** One own order; fields are guarded by the tracker. */
    static final class Tracked {
        final String clOrdId;
        final String instId;
        final String side;
        final boolean canRest;
        String ordId;
        BigDecimal px;
        boolean acked;
        boolean confirmed;
        boolean done;
        boolean busy;

        Tracked(String clOrdId, String instId, String side, boolean canRest, BigDecimal px) {
            this.clOrdId = clOrdId;
            this.instId = instId;
            this.side = side;
            this.canRest = canRest;
            this.px = px;
        }
    }

    private final boolean restOnPush;
    private final Map<String, Tracked> byClOrdId = new HashMap<>();
    /** instId + side -> resting orders (acknowledged, not done) in the order they were placed. */
    private final Map<String, LinkedHashMap<String, Tracked>> resting = new HashMap<>();

    OrderTracker(boolean restOnPush) {
        this.restOnPush = restOnPush;
    }

    private static String key(String instId, String side) {
        return instId + '|' + side;
    }

    synchronized Tracked placing(String clOrdId, String instId, String side, boolean canRest, BigDecimal px) {
        Tracked t = new Tracked(clOrdId, instId, side, canRest, px);
        byClOrdId.put(clOrdId, t);
        return t;
    }

    /** The place was accepted. */
    synchronized void accepted(Tracked t, String ordId) {
        t.ordId = ordId;
        t.acked = true;
        if (t.done || !t.canRest) {
            // an ioc/fok/market order never rests; one already reported finished is forgotten
            byClOrdId.remove(t.clOrdId);
        } else {
            restIfKnown(t);
        }
    }

    private void restIfKnown(Tracked t) {
        if (t.acked && !t.done && (t.confirmed || !restOnPush)) {
            resting.computeIfAbsent(key(t.instId, t.side), k -> new LinkedHashMap<>()).put(t.clOrdId, t);
        }
    }

    /** The place was refused or got no answer. */
    synchronized void notPlaced(Tracked t) {
        byClOrdId.remove(t.clOrdId);
    }

    /** A push about the order {@code clOrdId}: {@code state} live, partially_filled, filled, canceled … */
    synchronized void pushed(String clOrdId, String ordId, String state) {
        Tracked t = byClOrdId.get(clOrdId);
        if (t == null) {
            return;
        }
        if (t.ordId == null) {
            t.ordId = ordId;
        }
        if ("live".equals(state) || "partially_filled".equals(state)) {
            t.confirmed = true;
            restIfKnown(t);
        } else {
            finish(t);
        }
    }

    /** A cancel or amend of {@code t} was answered; {@code gone}: the answer says the order no longer rests. */
    synchronized void settled(Tracked t, boolean gone, BigDecimal newPx) {
        t.busy = false;
        if (gone) {
            finish(t);
        } else if (newPx != null) {
            t.px = newPx;
        }
    }

    /** The cancel of {@code t} was accepted: it no longer rests. */
    synchronized void canceled(Tracked t) {
        t.busy = false;
        finish(t);
    }

    private void finish(Tracked t) {
        t.done = true;
        LinkedHashMap<String, Tracked> side = resting.get(key(t.instId, t.side));
        if (side != null) {
            side.remove(t.clOrdId);
        }
        if (t.acked) {
            byClOrdId.remove(t.clOrdId);
        }
    }

    synchronized int restingCount(String instId, String side) {
        LinkedHashMap<String, Tracked> m = resting.get(key(instId, side));
        return m == null ? 0 : m.size();
    }

    /** The oldest resting order on that side that has no cancel or amend in flight, marked busy; null if none. */
    synchronized Tracked takeOldest(String instId, String side) {
        LinkedHashMap<String, Tracked> m = resting.get(key(instId, side));
        if (m != null) {
            for (Tracked t : m.values()) {
                if (!t.busy) {
                    t.busy = true;
                    return t;
                }
            }
        }
        return null;
    }

    /** A resting order of any instrument and side (the oldest of the first side that has one), marked busy. */
    synchronized Tracked takeOldest() {
        Tracked best = null;
        for (LinkedHashMap<String, Tracked> m : resting.values()) {
            for (Tracked t : m.values()) {
                if (!t.busy) {
                    best = t;
                    break;
                }
            }
            if (best != null) {
                break;
            }
        }
        if (best != null) {
            best.busy = true;
        }
        return best;
    }

    synchronized BigDecimal px(Tracked t) {
        return t.px;
    }

    /** Every order believed to rest now (for tests and the end-of-run summary). */
    synchronized List<Tracked> allResting() {
        List<Tracked> out = new ArrayList<>();
        resting.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    synchronized int tracked() {
        return byClOrdId.size();
    }
}
