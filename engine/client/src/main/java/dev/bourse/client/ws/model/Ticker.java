package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/** The {@code tickers} channel: 24 h rolling figures and the best bid and ask. Empty fields are null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Ticker(String instType, String instId, BigDecimal last, BigDecimal lastSz, BigDecimal askPx,
                     BigDecimal askSz, BigDecimal bidPx, BigDecimal bidSz, BigDecimal open24h, BigDecimal high24h,
                     BigDecimal low24h, BigDecimal volCcy24h, BigDecimal vol24h, BigDecimal sodUtc0,
                     BigDecimal sodUtc8, long ts) {
}
