package dev.bourse.client.rest.trade;

import java.math.BigDecimal;

/**
 * {@code GET /api/v5/trade/account-rate-limit}: new and amended orders allowed per 2 s over all instruments
 * ({@code accRateLimit}); the fill ratios are OKX's (VIP 5+), null otherwise.
 */
public record AccountRateLimit(Integer accRateLimit, Integer nextAccRateLimit, BigDecimal fillRatio,
                               BigDecimal mainFillRatio, Long ts) {
}
