package dev.bourse.client.ws.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;

/**
 * The {@code orders} channel: the order's state after a change, with the fill that caused it (the fill fields are
 * empty, here null, when the change was not a fill). {@code state}: live, partially_filled, filled, canceled.
 * Fees are negative when charged, as on OKX.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderUpdate(String instType, String instId, String ordId, String clOrdId, String tag, BigDecimal px,
                          BigDecimal sz, String tgtCcy, String ordType, String side, String tdMode, String state,
                          BigDecimal accFillSz, BigDecimal avgPx, BigDecimal fillPx, BigDecimal fillSz,
                          String tradeId, Long fillTime, BigDecimal fillFee, String fillFeeCcy, String execType,
                          BigDecimal fee, String feeCcy, String stpMode, String cancelSource,
                          String cancelSourceReason, String reqId, String amendResult, String code, String msg,
                          Long cTime, Long uTime) {
}
