package dev.bourse.client.rest.market;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.rest.Json;

import java.math.BigDecimal;

/**
 * One bar of {@code market/candles}: OKX's {@code [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]}.
 *
 * @param ts      the bar's opening time, epoch ms
 * @param confirm true when the bar is closed
 */
public record Candle(long ts, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal vol,
                     BigDecimal volCcy, BigDecimal volCcyQuote, boolean confirm) {
    static Candle of(JsonNode a) {
        if (!a.isArray() || a.size() < 5) {
            throw new IllegalStateException("not a candle: " + a);
        }
        return new Candle(a.get(0).asLong(), Json.decimal(a.get(1)), Json.decimal(a.get(2)), Json.decimal(a.get(3)),
                Json.decimal(a.get(4)), Json.decimal(a.get(5)), Json.decimal(a.get(6)), Json.decimal(a.get(7)),
                a.size() > 8 && "1".equals(a.get(8).asText()));
    }
}
