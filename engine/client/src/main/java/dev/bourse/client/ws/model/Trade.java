package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/** The {@code trades} channel: one trade; {@code side} is the taker's side. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Trade(String instId, String tradeId, BigDecimal px, BigDecimal sz, String side, long ts, String count,
                    Long seqId) {
}
