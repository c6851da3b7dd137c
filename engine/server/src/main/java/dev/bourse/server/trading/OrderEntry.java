package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.auth.ApiPrincipal;

import java.util.concurrent.CompletableFuture;

/**
 * Order operations with OKX V5 arguments, shared by REST ({@code /api/v5/trade/*}) and the WebSocket
 * order ops. Each call takes one item ({@code instId} or {@code instIdCode}, {@code side}, {@code sz} …),
 * routes it to the shard that owns the instrument (local queue or forwarded to the owning pod) and
 * completes, after commit, with the OKX result item {@code {ordId, clOrdId, tag, ts, sCode, sMsg}}.
 * It never completes exceptionally: bad input, busy and unavailable shards become {@code sCode}/{@code sMsg}.
 */
public interface OrderEntry {
    CompletableFuture<ObjectNode> place(ApiPrincipal who, JsonNode args);

    CompletableFuture<ObjectNode> cancel(ApiPrincipal who, JsonNode args);

    CompletableFuture<ObjectNode> amend(ApiPrincipal who, JsonNode args);
}
