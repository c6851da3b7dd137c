package dev.bourse.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.auth.ApiPrincipal;
import dev.bourse.server.http.Json;
import dev.bourse.server.trading.OrderEntry;

import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket order ops' view of {@link OrderEntry}: the same per-user, per-instrument and account
 * limits as REST (OKX counts both together); a breach fails that item with 50011 / 50061.
 */
public final class RateLimitedOrderEntry implements OrderEntry {
    private final OrderEntry delegate;
    private final RateGate gate;

    public RateLimitedOrderEntry(OrderEntry delegate, RateGate gate) {
        this.delegate = delegate;
        this.gate = gate;
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
        String instId = args.path("instId").asText("");
        if (instId.isEmpty()) {
            instId = "code:" + args.path("instIdCode").asText("-");
        }
        try {
            gate.acquire(rule, who, null, instId, 1);
            return null;
        } catch (ApiError e) {
            ObjectNode item = Json.MAPPER.createObjectNode();
            item.put("ordId", args.path("ordId").asText(""));
            item.put("clOrdId", args.path("clOrdId").asText(""));
            item.put("tag", args.path("tag").asText(""));
            item.put("ts", Long.toString(System.currentTimeMillis()));
            item.put("sCode", e.code());
            item.put("sMsg", e.getMessage());
            item.put("subCode", "");
            return item;
        }
    }
}
