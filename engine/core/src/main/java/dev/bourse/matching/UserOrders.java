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
        count++;
        if (o.clOrdId != null) {
            if (byClOrdId == null) {
                byClOrdId = new HashMap<>();
            }
            byClOrdId.put(o.clOrdId, o);
        }
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
