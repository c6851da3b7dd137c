package dev.bourse.client.rest.market;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v5/market/books}: asks ascending, bids descending, the book's time and {@code seqId} (the same
 * sequence the WebSocket {@code books} channel carries).
 */
public record OrderBook(List<BookLevel> asks, List<BookLevel> bids, long ts, Long seqId) {
    public OrderBook {
        asks = List.copyOf(asks);
        bids = List.copyOf(bids);
    }

    static OrderBook of(JsonNode n) {
        JsonNode seq = n.get("seqId");
        return new OrderBook(levels(n.path("asks")), levels(n.path("bids")), n.path("ts").asLong(),
                seq == null || seq.isNull() || seq.asText().isEmpty() ? null : seq.asLong());
    }

    private static List<BookLevel> levels(JsonNode a) {
        List<BookLevel> out = new ArrayList<>(a.size());
        for (JsonNode l : a) {
            out.add(BookLevel.of(l));
        }
        return out;
    }

    /** The best ask, or null when there are no asks. */
    public BookLevel bestAsk() {
        return asks.isEmpty() ? null : asks.getFirst();
    }

    /** The best bid, or null when there are no bids. */
    public BookLevel bestBid() {
        return bids.isEmpty() ? null : bids.getFirst();
    }
}
