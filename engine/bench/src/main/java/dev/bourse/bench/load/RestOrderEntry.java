package dev.bourse.bench.load;

import dev.bourse.client.OkxClient;
import dev.bourse.client.error.ApiException;
import dev.bourse.client.error.RequestStateException;
import dev.bourse.client.rest.trade.OrderAck;
import dev.bourse.client.rest.trade.OrderRequest;
import dev.bourse.client.rest.trade.OrderType;
import dev.bourse.client.rest.trade.Side;
import dev.bourse.client.rest.trade.TargetCurrency;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * REST order entry through one trader's {@link OkxClient} (its own connection pool and request gate). Each request
 * runs on its own virtual thread, so a slow answer holds up nothing but itself.
 */
final class RestOrderEntry implements OrderEntry {
    private final OkxClient client;
    private final Executor executor;

    RestOrderEntry(OkxClient client, Executor executor) {
        this.client = client;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<Answer> send(TraderOp op) {
        return CompletableFuture.supplyAsync(() -> call(op), executor);
    }

    private Answer call(TraderOp op) {
        try {
            OrderAck ack = switch (op) {
                case TraderOp.Place p -> {
                    OrderRequest r = OrderRequest.of(p.market().instId(), p.side().equals("buy") ? Side.BUY : Side.SELL,
                            p.type(), p.type() == OrderType.MARKET ? null : p.px(), p.sz()).withClOrdId(p.clOrdId());
                    if (p.type() == OrderType.MARKET) {
                        r = r.withTgtCcy(TargetCurrency.BASE_CCY);
                    }
                    yield client.trade().placeOrder().order(r).execute();
                }
                case TraderOp.Cancel c -> client.trade().cancelOrder().instId(c.market().instId())
                        .ordId(c.order().ordId).execute();
                case TraderOp.Amend a -> client.trade().amendOrder().instId(a.market().instId())
                        .ordId(a.order().ordId).newPx(a.newPx()).execute();
            };
            return Answer.accepted(ack.ordId());
        } catch (ApiException e) {
            return Answer.rejected(e.sCode(), e.sMsg());
        } catch (RequestStateException e) {
            return Answer.failed(failureKind(e));
        } catch (RuntimeException e) {
            return Answer.failed("rest " + e.getClass().getSimpleName());
        }
    }

    /** e.g. {@code rest http sent, no answer: timeout}, {@code rest gate not sent: deadline}. */
    static String failureKind(RequestStateException e) {
        String m = e.getMessage();
        String marker = "dispatched=" + e.dispatched() + ": ";
        int at = m.indexOf(marker);
        String why = at < 0 ? "" : m.substring(at + marker.length());
        int colon = why.indexOf(':');
        if (colon >= 0) {
            why = why.substring(0, colon);
        }
        return "rest " + e.stage().name().toLowerCase() + (e.dispatched() ? " sent, no answer" : " not sent")
                + (why.isBlank() ? "" : ": " + why.trim());
    }
}
