package dev.bourse.matching;

import java.util.HashMap;

/** A user's live (resting) orders: an intrusive list plus the clOrdId index. */
final class UserOrders {
    Order head;
    int count;
    private HashMap<String, Order> byClOrdId;

    void add(Order o) {
        o.userPrev = null;
        o.userNext = head;
        if (head != null) {
            head.userPrev = o;
        }
        head = o;
        indexed(o);
    }

    private void indexed(Order o) {
        count++;
        if (o.clOrdId != null) {
            if (byClOrdId == null) {
                byClOrdId = new HashMap<>();
            }
            byClOrdId.put(o.clOrdId, o);
        }
    }

    /**
     * Inserts at the place {@link #add} would have put it had the orders arrived in id order (newest
     * first). Orders come to rest in id order, so a restored list iterates like the original one.
     */
    void addInIdOrder(Order o) {
        Order after = null;
        Order at = head;
        while (at != null && at.orderId > o.orderId) {
            after = at;
            at = at.userNext;
        }
        if (after == null) {
            add(o);
            return;
        }
        o.userPrev = after;
        o.userNext = at;
        after.userNext = o;
        if (at != null) {
            at.userPrev = o;
        }
        indexed(o);
    }

    void remove(Order o) {
        if (o.userPrev == null) {
            head = o.userNext;
        } else {
            o.userPrev.userNext = o.userNext;
        }
        if (o.userNext != null) {
            o.userNext.userPrev = o.userPrev;
        }
        o.userPrev = null;
        o.userNext = null;
        count--;
        if (o.clOrdId != null) {
            byClOrdId.remove(o.clOrdId);
        }
    }

    Order byClOrdId(String clOrdId) {
        return byClOrdId == null ? null : byClOrdId.get(clOrdId);
    }
}
