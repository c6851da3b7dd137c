package dev.bourse.server.trading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.concurrent.CompletableFuture;

/**
 * Sends an internal-API request to the pod that owns another shard. Completes with the peer's OKX
 * envelope ({@code code}, {@code msg}, {@code data}); when the peer cannot be reached the envelope says
 * so with 50001, and after a send whose answer never came with 50004 — never exceptionally.
 */
public interface ShardForwarder {
    CompletableFuture<JsonNode> post(int shardId, String path, ObjectNode body);

    /** For a single-shard deployment: every instrument is local, so nothing is ever forwarded. */
    ShardForwarder NONE = (shardId, path, body) -> {
        ObjectNode env = dev.bourse.server.http.Json.MAPPER.createObjectNode();
        env.put("code", "50001");
        env.put("msg", "Service temporarily unavailable. Please try again later.");
        env.putArray("data");
        return CompletableFuture.completedFuture(env);
    };
}
