package dev.bourse.bench.load;

import dev.bourse.client.ws.OkxWebSocket;
import dev.bourse.client.ws.OpOutcomeUnknownException;
import dev.bourse.client.ws.WsErrorException;
import dev.bourse.client.ws.WsNotSentException;
import dev.bourse.client.ws.op.AmendOrder;
import dev.bourse.client.ws.op.CancelOrder;
import dev.bourse.client.ws.op.OpReply;
import dev.bourse.client.ws.op.OpResult;
import dev.bourse.client.ws.op.PlaceOrder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Order entry as WebSocket order ops on the trader's private connection (the one its {@code orders} pushes use). */
final class WsOrderEntry implements OrderEntry {
    private final OkxWebSocket ws;

    WsOrderEntry(OkxWebSocket ws) {
        this.ws = ws;
    }

    @Override
    public CompletableFuture<Answer> send(TraderOp op) {
        CompletableFuture<OpReply> f;
        try {
            f = switch (op) {
                case TraderOp.Place p -> ws.placeOrder(switch (p.type()) {
                    case MARKET -> PlaceOrder.market(p.market().instId(), p.side(), p.sz(), "base_ccy", p.clOrdId());
                    case LIMIT -> PlaceOrder.limit(p.market().instId(), p.side(), p.px(), p.sz(), p.clOrdId());
                    default -> PlaceOrder.priced(p.market().instId(), p.side(), p.type().okx(), p.px(), p.sz(),
                            p.clOrdId());
                });
                case TraderOp.Cancel c -> ws.cancelOrder(CancelOrder.byOrdId(c.market().instId(), c.order().ordId));
                case TraderOp.Amend a -> ws.amendOrder(AmendOrder.of(a.market().instId(), a.order().ordId, null,
                        a.newPx()));
            };
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
        return f.handle((reply, err) -> err != null ? failure(err) : answer(reply));
    }

    static Answer answer(OpReply reply) {
        if (reply.ok() && !reply.data().isEmpty()) {
            return Answer.accepted(reply.first().ordId());
        }
        for (OpResult r : reply.data()) {
            if (!r.ok()) {
                return Answer.rejected(r.sCode(), r.sMsg());
            }
        }
        return Answer.rejected(reply.code(), reply.msg());
    }

    static Answer failure(Throwable t) {
        Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return switch (e) {
            case WsErrorException w -> Answer.rejected(w.code(), w.getMessage().startsWith(w.code() + " ")
                    ? w.getMessage().substring(w.code().length() + 1) : w.getMessage());
            case WsNotSentException n -> Answer.failed("ws not sent");
            case OpOutcomeUnknownException u -> Answer.failed("ws sent, no answer: " + u.reason().name().toLowerCase());
            default -> Answer.failed("ws " + e.getClass().getSimpleName());
        };
    }
}
