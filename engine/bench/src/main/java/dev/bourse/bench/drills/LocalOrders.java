package dev.bourse.bench.drills;

import dev.bourse.client.rest.trade.Order;
import dev.bourse.client.ws.model.OrderUpdate;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trading program's own picture of its orders: built from the private {@code orders} channel, and corrected from
 * REST (the source of truth, runbook §6) after an incident. Each order keeps its latest state by update time, so a
 * late push cannot undo a newer REST answer.
 */
final class LocalOrders {
    /** One order as last known; {@code accFillSz} null is read as 0. */
    record Known(String state, BigDecimal accFillSz, long uTime) {
        boolean live() {
            return "live".equals(state) || "partially_filled".equals(state);
        }

        boolean sameAs(Known o) {
            return state.equals(o.state) && filled().compareTo(o.filled()) == 0;
        }

        BigDecimal filled() {
            return accFillSz == null ? BigDecimal.ZERO : accFillSz;
        }

        @Override
        public String toString() {
            return state + "/" + filled().stripTrailingZeros().toPlainString();
        }
    }

    private final Map<String, Known> orders = new ConcurrentHashMap<>();

    void apply(OrderUpdate u) {
        put(u.ordId(), new Known(u.state(), u.accFillSz(), u.uTime() == null ? 0 : u.uTime()));
    }

    void apply(Order o) {
        put(o.ordId(), new Known(o.state(), o.accFillSz(), o.uTime() == null ? 0 : o.uTime()));
    }

    private void put(String ordId, Known k) {
        orders.merge(ordId, k, (old, now) -> now.uTime() >= old.uTime() ? now : old);
    }

    Known get(String ordId) {
        return orders.get(ordId);
    }

    /** ordId -> state of the orders believed live, sorted. */
    Map<String, Known> live() {
        Map<String, Known> out = new TreeMap<>();
        orders.forEach((id, k) -> {
            if (k.live()) {
                out.put(id, k);
            }
        });
        return out;
    }

    Map<String, Known> all() {
        return new TreeMap<>(orders);
    }

    static Map<String, Known> of(Iterable<Order> server) {
        Map<String, Known> out = new TreeMap<>();
        for (Order o : server) {
            out.put(o.ordId(), new Known(o.state(), o.accFillSz(), o.uTime() == null ? 0 : o.uTime()));
        }
        return out;
    }

    /** How many orders differ between two pictures (missing on either side, or another state or filled size). */
    static int differences(Map<String, Known> a, Map<String, Known> b) {
        int n = 0;
        for (Map.Entry<String, Known> e : a.entrySet()) {
            Known other = b.get(e.getKey());
            if (other == null || !other.sameAs(e.getValue())) {
                n++;
            }
        }
        for (String id : b.keySet()) {
            if (!a.containsKey(id)) {
                n++;
            }
        }
        return n;
    }

    static boolean same(Map<String, Known> a, Map<String, Known> b) {
        return differences(a, b) == 0;
    }
}
