package dev.bourse.matching;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class OrderIndexTest {
    private static Order order(long id) {
        Order o = new Order();
        o.orderId = id;
        return o;
    }

    @Test
    void agreesWithAHashMapUnderRandomPutsAndRemoves() {
        long seed = 42;
        SplittableRandom rnd = new SplittableRandom(seed);
        OrderIndex index = new OrderIndex();
        Map<Long, Order> reference = new HashMap<>();
        List<Long> live = new ArrayList<>();
        long nextId = 1;
        for (int step = 0; step < 400_000; step++) {
            if (live.isEmpty() || rnd.nextInt(100) < 52) {
                nextId += rnd.nextInt(50) == 0 ? rnd.nextInt(5_000) : 1; // gaps: ids of orders that never rested
                Order o = order(nextId);
                index.put(o);
                reference.put(nextId, o);
                live.add(nextId);
            } else {
                // mostly recent orders go, a few old ones linger for a long time
                int at = rnd.nextInt(10) == 0 ? rnd.nextInt(live.size()) : live.size() - 1 - rnd.nextInt(Math.min(live.size(), 200));
                long id = live.remove(at);
                index.remove(id);
                reference.remove(id);
            }
            if (step % 997 == 0) {
                long probe = 1 + rnd.nextLong(nextId + 10);
                assertSame(reference.get(probe), index.get(probe), "seed " + seed + " id " + probe);
            }
        }
        assertEquals(reference.size(), index.size());
        for (Map.Entry<Long, Order> e : reference.entrySet()) {
            assertSame(e.getValue(), index.get(e.getKey()));
        }
    }

    @Test
    void ordersFarBehindTheNewestIdStayReachable() {
        OrderIndex index = new OrderIndex();
        Order ancient = order(3);
        index.put(ancient);
        long far = 3 + (long) OrderIndex.MAX_PAGES * 1024 * 3; // three windows later
        Order recent = order(far);
        index.put(recent);
        assertSame(ancient, index.get(3));
        assertSame(recent, index.get(far));
        assertEquals(2, index.size());
        index.remove(3);
        assertNull(index.get(3));
        assertEquals(1, index.size());
        // an order restored with an id behind the window is still indexed
        Order restored = order(1_000);
        index.put(restored);
        assertSame(restored, index.get(1_000));
        index.remove(far);
        index.remove(1_000);
        assertEquals(0, index.size());
    }

    @Test
    void unknownAndInvalidIdsAreAbsent() {
        OrderIndex index = new OrderIndex();
        assertNull(index.get(1));
        index.put(order(5));
        assertNull(index.get(0));
        assertNull(index.get(-5));
        assertNull(index.get(6));
        assertNull(index.get(Long.MAX_VALUE));
        index.remove(6); // absent: no effect
        assertEquals(1, index.size());
    }

    /** Orders adopted from another shard keep their ids (another shard's range) and stay reachable. */
    @Test
    void foreignIdsAreFoundBesideTheWindowAndInsideIt() {
        OrderIndex index = new OrderIndex();
        Order own = order(1);
        index.put(own);
        Order farAhead = order(1_000_000_000_005L);
        Order nearby = order(2_000); // another shard's id that the own window will later cover
        index.putForeign(farAhead);
        index.putForeign(nearby);
        Order later = order(2_500);
        index.put(later); // the window now spans pages 0..2, which includes 2000's page
        assertSame(own, index.get(1));
        assertSame(farAhead, index.get(1_000_000_000_005L));
        assertSame(nearby, index.get(2_000));
        assertSame(later, index.get(2_500));
        assertNull(index.get(2_001));
        assertEquals(4, index.size());
        index.remove(2_000);
        index.remove(1_000_000_000_005L);
        assertNull(index.get(2_000));
        assertNull(index.get(1_000_000_000_005L));
        assertEquals(2, index.size());
        index.remove(2_000); // gone already: no effect
        assertEquals(2, index.size());
    }
}
