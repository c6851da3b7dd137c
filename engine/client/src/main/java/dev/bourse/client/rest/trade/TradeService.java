package dev.bourse.client.rest.trade;

import dev.bourse.client.rest.RestTransport;

/**
 * Trading ({@code /api/v5/trade/…}, signed): each method returns a fresh service for one call, plus
 * {@link #placeOrReconcile} for orders whose outcome must never be guessed.
 */
public final class TradeService {
    private final RestTransport transport;
    private final ClOrdIds ids;

    public TradeService(RestTransport transport, ClOrdIds ids) {
        this.transport = transport;
        this.ids = ids;
    }

    /** The client's clOrdId generator. */
    public ClOrdIds clOrdIds() {
        return ids;
    }

    public PlaceOrderService placeOrder() {
        return new PlaceOrderService(transport);
    }

    public BatchOrdersService batchOrders() {
        return new BatchOrdersService(transport);
    }

    public CancelOrderService cancelOrder() {
        return new CancelOrderService(transport);
    }

    public CancelBatchOrdersService cancelBatchOrders() {
        return new CancelBatchOrdersService(transport);
    }

    public AmendOrderService amendOrder() {
        return new AmendOrderService(transport);
    }

    public AmendBatchOrdersService amendBatchOrders() {
        return new AmendBatchOrdersService(transport);
    }

    public CancelAllAfterService cancelAllAfter() {
        return new CancelAllAfterService(transport);
    }

    /** {@code GET /api/v5/trade/order}: one order by ordId or clOrdId. */
    public OrderDetailsService order() {
        return new OrderDetailsService(transport);
    }

    public OrdersPendingService ordersPending() {
        return new OrdersPendingService(transport);
    }

    public OrdersHistoryService ordersHistory() {
        return new OrdersHistoryService(transport, false);
    }

    public OrdersHistoryService ordersHistoryArchive() {
        return new OrdersHistoryService(transport, true);
    }

    public FillsService fills() {
        return new FillsService(transport, false);
    }

    public FillsService fillsHistory() {
        return new FillsService(transport, true);
    }

    public AccountRateLimitService accountRateLimit() {
        return new AccountRateLimitService(transport);
    }

    /** Places {@code order} and settles an unknown outcome by querying its clOrdId (see {@link OrderReconciler}). */
    public PlaceResult placeOrReconcile(OrderRequest order) {
        return placeOrReconcile(order, OrderReconciler.Policy.defaults());
    }

    public PlaceResult placeOrReconcile(OrderRequest order, OrderReconciler.Policy policy) {
        return new OrderReconciler(this, ids, policy).place(order);
    }
}
