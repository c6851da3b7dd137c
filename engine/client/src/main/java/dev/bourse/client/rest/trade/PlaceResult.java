package dev.bourse.client.rest.trade;

/**
 * How {@link TradeService#placeOrReconcile} settled an order.
 *
 * @param clOrdId    the order's client id (the one given, or one generated)
 * @param ack        the place-order answer when one arrived (PLACED, RESENT), else null
 * @param order      the order as queried when it was found after an uncertain attempt (FOUND), else null
 * @param resolution how it was settled
 * @param sends      place-order requests sent (1 when nothing went wrong)
 */
public record PlaceResult(String clOrdId, OrderAck ack, Order order, Resolution resolution, int sends) {
    public enum Resolution {
        /** The first attempt was answered. */
        PLACED,
        /** An attempt's outcome was unknown; the query by clOrdId found the order. */
        FOUND,
        /** An attempt's outcome was unknown, the query found nothing, and sending it again (same clOrdId) was answered. */
        RESENT
    }

    /** The exchange's order id. */
    public String ordId() {
        return ack != null ? ack.ordId() : order.ordId();
    }
}
