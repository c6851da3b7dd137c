package dev.bourse.client.rest.trade;

import java.math.BigDecimal;

/**
 * An order as {@code trade/order}, {@code orders-pending} and {@code orders-history} show it. {@code state}:
 * {@code live}, {@code partially_filled}, {@code filled}, {@code canceled} (OKX also {@code mmp_canceled}).
 * {@code fee} is negative when charged (OKX's sign), in {@code feeCcy}. Decimals are null where OKX sends "".
 */
public record Order(String instType, String instId, String ordId, String clOrdId, String tag, BigDecimal px,
                    BigDecimal sz, String ordType, String side, String tdMode, String tgtCcy, BigDecimal accFillSz,
                    BigDecimal fillPx, BigDecimal fillSz, String tradeId, Long fillTime, BigDecimal avgPx, String state,
                    String stpMode, BigDecimal fee, String feeCcy, BigDecimal rebate, String rebateCcy,
                    String cancelSource, String cancelSourceReason, Long uTime, Long cTime) {
    /** Still on the book: {@code live} or {@code partially_filled}. */
    public boolean open() {
        return "live".equals(state) || "partially_filled".equals(state);
    }
}
