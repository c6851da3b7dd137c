package dev.bourse.bench.load;

import dev.bourse.client.rest.trade.OrderType;

import java.math.BigDecimal;

/** One request a simulated trader sends. */
sealed interface TraderOp {
    /** The operation's kind in the report: {@code place.ioc}, {@code cancel}, {@code amend}. */
    String label();

    Market market();

    record Place(Market market, String side, OrderType type, BigDecimal px, BigDecimal sz, String clOrdId,
                 OrderTracker.Tracked tracked) implements TraderOp {
        @Override
        public String label() {
            return "place." + type.okx();
        }

        static boolean canRest(OrderType type) {
            return type == OrderType.LIMIT || type == OrderType.POST_ONLY;
        }
    }

    record Cancel(Market market, OrderTracker.Tracked order) implements TraderOp {
        @Override
        public String label() {
            return "cancel";
        }
    }

    record Amend(Market market, OrderTracker.Tracked order, BigDecimal newPx) implements TraderOp {
        @Override
        public String label() {
            return "amend";
        }
    }
}
