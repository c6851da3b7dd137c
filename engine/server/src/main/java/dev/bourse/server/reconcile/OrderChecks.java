package dev.bourse.server.reconcile;

import dev.bourse.instrument.Instrument;
import dev.bourse.order.OrderState;
import dev.bourse.order.Side;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The order invariants: filled sizes agree with the fills, and holds agree with what the orders can
 * still spend, per order and per (user, asset) balance.
 */
final class OrderChecks {
    private static final OrderState[] LIVE = Arrays.stream(OrderState.values()).filter(s -> !s.done())
            .toArray(OrderState[]::new);
    private static final OrderState[] DONE = Arrays.stream(OrderState.values()).filter(OrderState::done)
            .toArray(OrderState[]::new);

    /** Orders and fills side by side per order id; has_order finds fills of an order that is not stored. */
    static final String FILLED_VERSUS_FILLS = """
            SELECT ord_id, SUM(has_order), SUM(filled_sz), SUM(fill_sz), SUM(fill_count)
            FROM (
                SELECT ord_id, 1 AS has_order, filled_sz, CAST(0 AS BIGINT) AS fill_sz, 0 AS fill_count FROM orders
                UNION ALL
                SELECT taker_ord_id, 0, CAST(0 AS BIGINT), sz, 1 FROM fills
                UNION ALL
                SELECT maker_ord_id, 0, CAST(0 AS BIGINT), sz, 1 FROM fills
            ) t
            GROUP BY ord_id
            HAVING SUM(has_order) = 0 OR SUM(filled_sz) <> SUM(fill_sz)""";

    /*
     * Every order hold rule SQL can decide alone, in one pass over the orders: finished orders hold
     * nothing, live sells hold their remaining size, and state and side are values the engine knows
     * (an unknown one would make every other rule meaningless for that order).
     */
    static final String ORDER_HOLDS = """
            SELECT ord_id, side, state, remaining_sz, held
            FROM orders
            WHERE (state IN (%1$s) AND held <> 0)
               OR (state IN (%2$s) AND side = '%3$s' AND held <> remaining_sz)
               OR state NOT IN (%1$s, %2$s)
               OR side NOT IN (%4$s)""".formatted(Sql.inList(DONE), Sql.inList(LIVE), Side.SELL.name(),
            Sql.inList(Side.values()));

    /** A live buy holds a quote amount the core computes; streamed and checked in Java. */
    static final String LIVE_BUYS = """
            SELECT ord_id, inst_id, px, remaining_sz, held
            FROM orders
            WHERE side = '%s' AND state IN (%s)""".formatted(Side.BUY.name(), Sql.inList(LIVE));

    /** Held balances side by side with the holds of the owner's live orders, per (account, asset). */
    static final String HELD_VERSUS_LIVE_ORDERS = """
            SELECT account_id, asset_id, SUM(balance_held), SUM(order_held)
            FROM (
                SELECT account_id, asset_id, held AS balance_held, CAST(0 AS BIGINT) AS order_held FROM balances
                UNION ALL
                SELECT o.user_id, CASE WHEN o.side = '%1$s' THEN i.quote_asset ELSE i.base_asset END,
                       CAST(0 AS BIGINT), o.held
                FROM orders o JOIN instruments i ON i.inst_id = o.inst_id
                WHERE o.state IN (%3$s) AND o.side IN ('%1$s', '%2$s')
                UNION ALL
                SELECT w.user_id, a.asset_id, CAST(0 AS BIGINT), w.amount + w.fee
                FROM wallet_withdrawals w JOIN assets a ON a.code = w.asset
                WHERE w.state IN ('PENDING_REVIEW', 'APPROVED')
            ) t
            GROUP BY account_id, asset_id
            HAVING SUM(balance_held) <> SUM(order_held)""".formatted(Side.BUY.name(), Side.SELL.name(),
            Sql.inList(LIVE));

    /** Orders whose account or instrument is unknown. */
    static final String UNKNOWN_ORDER_REFERENCES = """
            SELECT o.ord_id, o.user_id, o.inst_id, a.account_id, i.inst_id
            FROM orders o
            LEFT JOIN accounts a ON a.account_id = o.user_id
            LEFT JOIN instruments i ON i.inst_id = o.inst_id
            WHERE a.account_id IS NULL OR i.inst_id IS NULL""";

    private OrderChecks() {
    }

    static void run(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        filledMatchesFills(c, found);
        orderHolds(c, found);
        liveBuyHolds(c, catalog, found);
        heldMatchesLiveOrders(c, catalog, found);
        knownReferences(c, found);
    }

    private static void knownReferences(Connection c, Anomalies found) throws SQLException {
        Sql.forEachRow(c, UNKNOWN_ORDER_REFERENCES, rs -> {
            String subject = Catalog.order(rs.getLong(1));
            if (rs.getObject(4) == null) {
                found.add(Check.ORDER_REFERENCES, subject, "a known account", "account " + rs.getLong(2));
            }
            if (rs.getObject(5) == null) {
                found.add(Check.ORDER_REFERENCES, subject, "a known instrument", "instrument " + rs.getString(3));
            }
        });
    }

    private static void filledMatchesFills(Connection c, Anomalies found) throws SQLException {
        Sql.forEachRow(c, FILLED_VERSUS_FILLS, rs -> {
            long ordId = rs.getLong(1);
            if (rs.getLong(2) == 0) {
                found.add(Check.ORDER_FILLS, Catalog.order(ordId), "an order row",
                        rs.getLong(5) + " fills of " + Sql.sum(rs, 4) + " and no order row");
            } else {
                found.add(Check.ORDER_FILLS, Catalog.order(ordId), "filled_sz " + Sql.sum(rs, 4) + " (sum of fills)",
                        "filled_sz " + Sql.sum(rs, 3));
            }
        });
    }

    private static void orderHolds(Connection c, Anomalies found) throws SQLException {
        Sql.forEachRow(c, ORDER_HOLDS, rs -> {
            String subject = Catalog.order(rs.getLong(1));
            String side = rs.getString(2);
            String state = rs.getString(3);
            long remaining = rs.getLong(4);
            long held = rs.getLong(5);
            if (!known(OrderState.class, state)) {
                found.add(Check.ORDER_HOLDS, subject, "state one of " + Arrays.toString(OrderState.values()),
                        "state " + state);
            } else if (!known(Side.class, side)) {
                found.add(Check.ORDER_HOLDS, subject, "side one of " + Arrays.toString(Side.values()), "side " + side);
            } else if (OrderState.valueOf(state).done()) {
                found.add(Check.ORDER_HOLDS, subject, "held 0 (" + state + ")", "held " + held);
            } else {
                found.add(Check.ORDER_HOLDS, subject, "held " + remaining + " (remaining size of a live sell)",
                        "held " + held);
            }
        });
    }

    private static void liveBuyHolds(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        Sql.forEachRow(c, LIVE_BUYS, rs -> {
            String subject = Catalog.order(rs.getLong(1));
            String instId = rs.getString(2);
            long px = rs.getLong(3);
            long remaining = rs.getLong(4);
            long held = rs.getLong(5);
            Instrument ins = catalog.instrument(instId);
            if (ins == null) { // reported by knownReferences
                return;
            }
            long required;
            try {
                required = ins.quoteAmount(px, remaining);
            } catch (ArithmeticException e) {
                found.add(Check.ORDER_HOLDS, subject, "a quote amount that fits a long",
                        "px " + px + " x remaining " + remaining + " overflows");
                return;
            }
            if (held != required) {
                found.add(Check.ORDER_HOLDS, subject,
                        "held " + required + " (quote amount of remaining " + remaining + " at px " + px + ")",
                        "held " + held);
            }
        });
    }

    private static void heldMatchesLiveOrders(Connection c, Catalog catalog, Anomalies found) throws SQLException {
        Sql.forEachRow(c, HELD_VERSUS_LIVE_ORDERS, rs -> found.add(Check.ORDER_HOLDS,
                catalog.balance(rs.getLong(1), rs.getInt(2), "held"),
                "held " + Sql.sum(rs, 4) + " (sum of live orders)", "held " + Sql.sum(rs, 3)));
    }

    private static <E extends Enum<E>> boolean known(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
