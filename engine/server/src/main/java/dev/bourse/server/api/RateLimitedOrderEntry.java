package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.trading.InstrumentCatalog;
import dev.bourse.server.trading.OrderEntry;
import dev.bourse.server.trading.ShardOrderEntry;

import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket order ops' view of {@link OrderEntry}: the same per-user, per-instrument and account
 * limits as REST (OKX counts both together); a breach fails that item with 50011 / 50061.
 */
public final class RateLimitedOrderEntry implements OrderEntry {
    private final OrderEntry delegate;
    private final RateGate gate;
    private final InstrumentCatalog catalog;

    public RateLimitedOrderEntry(OrderEntry delegate, RateGate gate, InstrumentCatalog catalog) {
        this.delegate = delegate;
        this.gate = gate;
        this.catalog = catalog;
    }

    @Override
    public CompletableFuture<ObjectNode> place(ApiPrincipal who, JsonNode args) {
        ObjectNode refused = acquire("trade/order", who, args);
        return refused != null ? CompletableFuture.completedFuture(refused) : delegate.place(who, args);
    }

    @Override
    public CompletableFuture<ObjectNode> cancel(ApiPrincipal who, JsonNode args) {
        ObjectNode refused = acquire("trade/cancel-order", who, args);
        return refused != null ? CompletableFuture.completedFuture(refused) : delegate.cancel(who, args);
    }

    @Override
    public CompletableFuture<ObjectNode> amend(ApiPrincipal who, JsonNode args) {
        ObjectNode refused = acquire("trade/amend-order", who, args);
        return refused != null ? CompletableFuture.completedFuture(refused) : delegate.amend(who, args);
    }

    private ObjectNode acquire(String rule, ApiPrincipal who, JsonNode args) {
        String instId = catalog.instIdOf(args);
        try {
            gate.acquire(rule, who, null, instId, 1);
            return null;
        } catch (ApiError e) {
            return ShardOrderEntry.refusal(args, e.code(), e.getMessage());
        }
    }
}
