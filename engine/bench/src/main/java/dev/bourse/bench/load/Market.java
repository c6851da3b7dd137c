package dev.bourse.bench.load;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * One instrument as the generator trades it: its increments (from {@code public/instruments}) and the mid price
 * the quotes are placed around. Prices are whole ticks and sizes whole lots, computed exactly.
 */
public record Market(String instId, String baseCcy, String quoteCcy, BigDecimal tickSz, BigDecimal lotSz,
                     BigDecimal minSz, BigDecimal mid) {
    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    public Market {
        if (tickSz.signum() <= 0 || lotSz.signum() <= 0 || minSz.signum() <= 0 || mid.signum() <= 0) {
            throw new IllegalArgumentException(instId + ": tick, lot, min size and mid must be positive");
        }
    }

    /**
     * The price {@code bps} basis points away from the mid (negative: below), rounded to a tick away from the mid,
     * so a quote {@code n} bps below the mid is never closer to it than {@code n} bps.
     */
    public BigDecimal priceAway(double bps) {
        BigDecimal factor = BigDecimal.ONE.add(BigDecimal.valueOf(bps).divide(TEN_THOUSAND, MathContext.DECIMAL64));
        BigDecimal raw = mid.multiply(factor);
        RoundingMode mode = bps >= 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
        BigDecimal ticks = raw.divide(tickSz, 0, mode);
        if (ticks.signum() <= 0) {
            ticks = BigDecimal.ONE;
        }
        return ticks.multiply(tickSz).stripTrailingZeros().max(tickSz);
    }

    /** A size worth about {@code notional} in quote currency at the mid, in whole lots and at least the minimum. */
    public BigDecimal sizeFor(BigDecimal notional) {
        BigDecimal lots = notional.divide(mid, MathContext.DECIMAL64).divide(lotSz, 0, RoundingMode.FLOOR);
        BigDecimal sz = lots.multiply(lotSz);
        return sz.max(minSz).stripTrailingZeros();
    }
}
