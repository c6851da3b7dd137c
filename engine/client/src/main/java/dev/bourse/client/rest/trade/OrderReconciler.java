package dev.bourse.client.rest.trade;

import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.RequestStateException;

import java.time.Duration;
import java.util.Objects;

/**
 * Places an order so that an unknown outcome never turns into a blind resend (runbook §6: the {@code clOrdId} is the
 * idempotency key; REST is the source of truth).
 *
 * <ol>
 *   <li>The order gets a {@code clOrdId} if it has none, and is sent.</li>
 *   <li>An answer settles it: an ack is returned, a rejection thrown ({@code ApiException}). Not sent at all
 *       ({@code dispatched=false}) on the first attempt: thrown — sending it again is safe and the caller's call.</li>
 *   <li>Sent without answer ({@code dispatched=true}): wait {@code settleDelay}, then query the order by
 *       {@code clOrdId}. Found: returned (FOUND). Not found (51603): sent again with the same {@code clOrdId} —
 *       should the first one land after all, the exchange refuses a second order with that id (Bourse answers the
 *       original order, OKX 51016, which leads to another query).</li>
 *   <li>Still unknown after {@code maxRounds}, or the query itself fails: a {@code RequestStateException} with
 *       dispatched=true — stop trading that instrument and reconcile.</li>
 * </ol>
 */
public final class OrderReconciler {
    /**
     * @param maxRounds   sends at most (1 = query once after an unknown outcome, never resend)
     * @param settleDelay pause before querying, so an order still in the exchange's queue can land first
     */
    public record Policy(int maxRounds, Duration settleDelay) {
        public Policy {
            if (maxRounds < 1) {
                throw new IllegalArgumentException("maxRounds must be at least 1: " + maxRounds);
            }
            Objects.requireNonNull(settleDelay, "settleDelay");
        }

        /** 3 sends, 500 ms before each query. */
        public static Policy defaults() {
            return new Policy(3, Duration.ofMillis(500));
        }
    }

    private static final String ORDER_NOT_FOUND = "51603";
    private static final String DUPLICATE_CL_ORD_ID = "51016";

    private final TradeService trade;
    private final ClOrdIds ids;
    private final Policy policy;

    public OrderReconciler(TradeService trade, ClOrdIds ids, Policy policy) {
        this.trade = trade;
        this.ids = ids;
        this.policy = policy;
    }

    public PlaceResult place(OrderRequest request) {
        OrderRequest order = request.clOrdId() == null ? request.withClOrdId(ids.next()) : request;
        String id = order.clOrdId();
        RequestStateException uncertain = null;
        for (int round = 1; round <= policy.maxRounds(); round++) {
            try {
                OrderAck ack = trade.placeOrder().order(order).execute();
                return new PlaceResult(id, ack, null, round == 1 ? PlaceResult.Resolution.PLACED
                        : PlaceResult.Resolution.RESENT, round);
            } catch (ApiException e) {
                if (uncertain == null || !DUPLICATE_CL_ORD_ID.equals(e.sCode())) {
                    throw e;
                }
                // an earlier send landed after all: the query below finds it
            } catch (RequestStateException e) {
                if (!e.dispatched() && uncertain == null) {
                    throw e;
                }
                uncertain = e;
            }
            Order found = query(order, round, uncertain);
            if (found != null) {
                return new PlaceResult(id, null, found, PlaceResult.Resolution.FOUND, round);
            }
        }
        throw unknown(order, policy.maxRounds(), "still not found after " + policy.maxRounds() + " sends", uncertain);
    }

    /** The order by clOrdId, or null when the exchange says it does not exist. */
    private Order query(OrderRequest order, int round, RequestStateException uncertain) {
        try {
            Thread.sleep(policy.settleDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unknown(order, round, "interrupted before the query", uncertain);
        }
        try {
            return trade.order().instId(order.instId()).clOrdId(order.clOrdId()).execute();
        } catch (ApiException e) {
            if (ORDER_NOT_FOUND.equals(e.sCode())) {
                return null;
            }
            RequestStateException u = unknown(order, round, "the query by clOrdId failed: " + e.getMessage(), uncertain);
            u.addSuppressed(e);
            throw u;
        } catch (RequestStateException e) {
            RequestStateException u = unknown(order, round, "the query by clOrdId failed: " + e.getMessage(), uncertain);
            u.addSuppressed(e);
            throw u;
        }
    }

    private static RequestStateException unknown(OrderRequest order, int sends, String why, RequestStateException cause) {
        return new RequestStateException(RequestStateException.Stage.HTTP, true, "POST", "/api/v5/trade/order",
                "outcome of clOrdId " + order.clOrdId() + " on " + order.instId() + " unknown: " + why, cause,
                cause == null ? sends - 1 : cause.attempt(), cause == null ? Duration.ZERO : cause.elapsed());
    }
}
