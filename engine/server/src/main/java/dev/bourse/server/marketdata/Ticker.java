package dev.bourse.server.marketdata;

/**
 * 24-hour rolling ticker of a spot instrument, every amount as exact decimal text ("" when unknown, e.g.
 * no bid). {@code vol24h} is in base currency, {@code volCcy24h} in quote currency (OKX's spot meaning).
 */
public record Ticker(String instId, String last, String lastSz, String askPx, String askSz, String bidPx,
                     String bidSz, String open24h, String high24h, String low24h, String volCcy24h, String vol24h,
                     String sodUtc0, String sodUtc8, long ts) {
}
