package dev.bourse.client.rest.market;

import java.math.BigDecimal;

/** A public trade of {@code market/trades} or {@code market/history-trades}; {@code side} is the taker's. */
public record MarketTrade(String instId, String tradeId, BigDecimal px, BigDecimal sz, String side, Long ts) {
}
