package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;

/**
 * A {@code candle<bar>} row: {@code [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]}; {@code confirm} is "1"
 * once the bar is closed.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"ts", "open", "high", "low", "close", "vol", "volCcy", "volCcyQuote", "confirm"})
public record Candle(long ts, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal vol,
                     BigDecimal volCcy, BigDecimal volCcyQuote, String confirm) {
    public boolean closed() {
        return "1".equals(confirm);
    }
}
