package dev.bourse.client.rest.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.rest.Json;

import java.math.BigDecimal;

/** One price level of {@code market/books}: OKX's {@code [px, sz, "0", orderCount]}. */
public record BookLevel(BigDecimal px, BigDecimal sz, int orderCount) {
    static BookLevel of(JsonNode a) {
        if (!a.isArray() || a.size() < 2) {
            throw new IllegalStateException("not a book level: " + a);
        }
        return new BookLevel(Json.decimal(a.get(0)), Json.decimal(a.get(1)), a.size() > 3 ? a.get(3).asInt() : 0);
    }
}
