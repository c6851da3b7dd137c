package dev.bourse.client.rest.market;

import java.math.BigDecimal;

/** {@code GET /api/v5/market/ticker(s)}: last trade, best bid/ask and 24 h rolling figures; null where OKX sends "". */
public record Ticker(String instType, String instId, BigDecimal last, BigDecimal lastSz, BigDecimal askPx,
                     BigDecimal askSz, BigDecimal bidPx, BigDecimal bidSz, BigDecimal open24h, BigDecimal high24h,
                     BigDecimal low24h, BigDecimal volCcy24h, BigDecimal vol24h, BigDecimal sodUtc0, BigDecimal sodUtc8,
                     Long ts) {
}
