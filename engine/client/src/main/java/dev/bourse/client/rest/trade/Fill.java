package dev.bourse.client.rest.trade;

import java.math.BigDecimal;

/**
 * The caller's side of one trade ({@code trade/fills}, {@code fills-history}): {@code execType} {@code T} (taker) or
 * {@code M} (maker); {@code fee} negative when charged, in {@code feeCcy}.
 */
public record Fill(String instType, String instId, String tradeId, String ordId, String clOrdId, String billId,
                   String tag, BigDecimal fillPx, BigDecimal fillSz, String side, String execType, BigDecimal fee,
                   String feeCcy, Long ts, Long fillTime) {
}
