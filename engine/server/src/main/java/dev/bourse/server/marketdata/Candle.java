package dev.bourse.server.marketdata;

import java.util.List;

/** One candlestick as OKX sends it; {@code volCcy} (quote) equals {@code volCcyQuote} for spot. */
public record Candle(long ts, String o, String h, String l, String c, String vol, String volCcy, boolean confirm) {

    /** {@code [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]}. */
    public List<String> toOkx() {
        return List.of(Long.toString(ts), o, h, l, c, vol, volCcy, volCcy, confirm ? "1" : "0");
    }
}
