package dev.bourse.server.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.server.http.Json;

/**
 * What a forwarded request came back with: the peer's OKX envelope ({@code code}, {@code msg},
 * {@code data}) and HTTP status, or an envelope made here when the peer could not answer.
 */
public record PeerResponse(int status, ObjectNode envelope, Outcome outcome) {

    public enum Outcome {
        /** The peer answered {@code code "0"}. */
        OK,
        /** The peer answered with an error code (a refused order, a bad token, a busy shard ...). */
        REJECTED,
        /** The peer could not be reached: nothing was done there (50001). */
        UNAVAILABLE,
        /** Sent, but no answer in time: the peer may or may not have acted (50004). */
        TIMEOUT;

        String tag() {
            return name().toLowerCase();
        }
    }

    public static final String CODE_UNAVAILABLE = "50001";
    public static final String MSG_UNAVAILABLE = "Service temporarily unavailable. Please try again later.";
    public static final String CODE_TIMEOUT = "50004";
    public static final String MSG_TIMEOUT =
            "API endpoint request timeout. (does not mean that the request was successful or failed, please check the request result).";

    static PeerResponse unavailable() {
        return new PeerResponse(503, envelope(CODE_UNAVAILABLE, MSG_UNAVAILABLE), Outcome.UNAVAILABLE);
    }

    static PeerResponse timeout() {
        return new PeerResponse(400, envelope(CODE_TIMEOUT, MSG_TIMEOUT), Outcome.TIMEOUT); // OKX answers 50004 with 400
    }

    private static ObjectNode envelope(String code, String msg) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("code", code);
        n.put("msg", msg);
        n.putArray("data");
        return n;
    }

    public String code() {
        return envelope.path("code").asText();
    }

    public String msg() {
        return envelope.path("msg").asText();
    }

    /** The {@code data} array (empty when absent). */
    public ArrayNode data() {
        JsonNode d = envelope.get("data");
        return d instanceof ArrayNode a ? a : Json.MAPPER.createArrayNode();
    }

    public boolean ok() {
        return outcome == Outcome.OK;
    }
}
