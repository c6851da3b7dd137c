package dev.bourse.instrument;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.fixed.PowerOfTen;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Immutable definition of a spot symbol. Prices are {@code long}s in units of 10^-priceScale quote per
 * base; sizes are in the base asset's units; quote amounts in the quote asset's units.
 *
 * <p>The definition is rejected unless the quote amount of every price on the tick grid times every
 * size on the lot grid is an exact number of quote units, so that no fill ever needs rounding.
 */
public final class Instrument {
    /** Fee rates are fixed-point with 8 decimals: 0.001 (10 bp) is 100_000. */
    public static final int FEE_RATE_SCALE = 8;
    public static final long FEE_RATE_ONE = 100_000_000L;
    /** |fee rate| is capped at 10 %: anything larger is a configuration mistake. */
    public static final long MAX_ABS_FEE_RATE = FEE_RATE_ONE / 10;

    private static final Pattern INST_ID = Pattern.compile("[A-Z0-9]{1,16}-[A-Z0-9]{1,16}");

    private final String instId;
    private final Asset base;
    private final Asset quote;
    private final int priceScale;
    private final long tickSize;
    private final long lotSize;
    private final long minSize;
    private final long maxSize;
    private final int bandBps;
    private final long referencePrice;
    private final int breakerBps;
    private final long breakerWindowMillis;
    private final long makerFeeRate;
    private final long takerFeeRate;
    private final SymbolState initialState;
    // quote = price * size * quoteFactor / 10^quoteDivisorExp, exact for every grid point (checked at build)
    private final long quoteFactor;
    private final int quoteDivisorExp; // quote = price * size / 10^quoteDivisorExp when quoteFactor is 1
    private final int tickExp;          // tickSize = 10^tickExp, or -1
    private final int lotExp;           // lotSize = 10^lotExp, or -1

    private Instrument(Builder b) {
        this.instId = b.instId;
        this.base = b.base;
        this.quote = b.quote;
        this.priceScale = b.priceScale;
        this.tickSize = b.tickSize;
        this.lotSize = b.lotSize;
        this.minSize = b.minSize;
        this.maxSize = b.maxSize;
        this.bandBps = b.bandBps;
        this.referencePrice = b.referencePrice;
        this.breakerBps = b.breakerBps;
        this.breakerWindowMillis = b.breakerWindowMillis;
        this.makerFeeRate = b.makerFeeRate;
        this.takerFeeRate = b.takerFeeRate;
        this.initialState = b.initialState;
        int exp = priceScale + base.scale() - quote.scale();
        this.quoteFactor = exp >= 0 ? 1 : Decimals.pow10(-exp);
        this.quoteDivisorExp = Math.max(exp, 0);
        this.tickExp = PowerOfTen.exponentOf(tickSize);
        this.lotExp = PowerOfTen.exponentOf(lotSize);
    }

    /** True if {@code price} is a multiple of the tick size. */
    public boolean onTick(long price) {
        return (tickExp >= 0 ? PowerOfTen.remainder(price, tickExp) : price % tickSize) == 0;
    }

    /** True if {@code size} is a multiple of the lot size. */
    public boolean onLot(long size) {
        return (lotExp >= 0 ? PowerOfTen.remainder(size, lotExp) : size % lotSize) == 0;
    }

    public static Builder builder(String instId, Asset base, Asset quote) {
        return new Builder(instId, base, quote);
    }

    /**
     * Quote amount of {@code size} at {@code price}, exact by construction.
     *
     * @throws ArithmeticException if the amount does not fit in a {@code long}
     */
    public long quoteAmount(long price, long size) {
        long hi = Math.multiplyHigh(price, size);
        long lo = price * size;
        if ((hi != 0 || lo < 0)) {
            throw new ArithmeticException("quote amount overflow");
        }
        return quoteFactor == 1 ? PowerOfTen.divide(lo, quoteDivisorExp) : Math.multiplyExact(lo, quoteFactor);
    }

    /** Largest lot-multiple size whose quote amount at {@code price} does not exceed {@code budget}. */
    public long sizeForQuote(long price, long budget) {
        long perLot = quoteAmount(price, lotSize);
        return (budget / perLot) * lotSize;
    }

    public String instId() {
        return instId;
    }

    public Asset base() {
        return base;
    }

    public Asset quote() {
        return quote;
    }

    public int priceScale() {
        return priceScale;
    }

    public long tickSize() {
        return tickSize;
    }

    public long lotSize() {
        return lotSize;
    }

    public long minSize() {
        return minSize;
    }

    public long maxSize() {
        return maxSize;
    }

    /** Price protection band in basis points around the reference price; 0 disables it. */
    public int bandBps() {
        return bandBps;
    }

    /** Reference price used before the symbol has traded or quoted; 0 if none. */
    public long referencePrice() {
        return referencePrice;
    }

    /** Circuit-breaker threshold in basis points; 0 disables the breaker. */
    public int breakerBps() {
        return breakerBps;
    }

    public long breakerWindowMillis() {
        return breakerWindowMillis;
    }

    /** Maker fee rate (scale {@value #FEE_RATE_SCALE}); negative means a rebate. */
    public long makerFeeRate() {
        return makerFeeRate;
    }

    public long takerFeeRate() {
        return takerFeeRate;
    }

    public SymbolState initialState() {
        return initialState;
    }

    /** Builder that takes decimals as text (the config/API edge) or as scaled longs. */
    public static final class Builder {
        private final String instId;
        private final Asset base;
        private final Asset quote;
        private int priceScale = -1;
        private long tickSize;
        private long lotSize;
        private long minSize;
        private long maxSize;
        private int bandBps;
        private long referencePrice;
        private int breakerBps;
        private long breakerWindowMillis;
        private long makerFeeRate;
        private long takerFeeRate;
        private SymbolState initialState = SymbolState.TRADING;
        private String referencePriceText;

        private Builder(String instId, Asset base, Asset quote) {
            this.instId = instId;
            this.base = base;
            this.quote = quote;
        }

        /** Tick size as decimal text; its number of decimals becomes the price scale. */
        public Builder tickSize(String tick) {
            this.priceScale = Decimals.scaleOf(tick);
            this.tickSize = Decimals.parse(tick, priceScale);
            return this;
        }

        public Builder tickSize(long tickUnits, int priceScale) {
            this.priceScale = priceScale;
            this.tickSize = tickUnits;
            return this;
        }

        public Builder lotSize(String lot) {
            this.lotSize = Decimals.parse(lot, base.scale());
            return this;
        }

        public Builder lotSize(long units) {
            this.lotSize = units;
            return this;
        }

        public Builder minSize(String min) {
            this.minSize = Decimals.parse(min, base.scale());
            return this;
        }

        public Builder minSize(long units) {
            this.minSize = units;
            return this;
        }

        public Builder maxSize(String max) {
            this.maxSize = Decimals.parse(max, base.scale());
            return this;
        }

        public Builder maxSize(long units) {
            this.maxSize = units;
            return this;
        }

        public Builder bandBps(int bps) {
            this.bandBps = bps;
            return this;
        }

        /** Reference price as text; parsed at the tick's scale when {@link #build()} runs. */
        public Builder referencePrice(String px) {
            this.referencePriceText = px;
            return this;
        }

        public Builder referencePrice(long units) {
            this.referencePrice = units;
            this.referencePriceText = null;
            return this;
        }

        public Builder breaker(int bps, long windowMillis) {
            this.breakerBps = bps;
            this.breakerWindowMillis = windowMillis;
            return this;
        }

        /** Fee rates as decimal fractions, e.g. "-0.0001" maker rebate, "0.001" taker. */
        public Builder fees(String maker, String taker) {
            this.makerFeeRate = Decimals.parse(maker, FEE_RATE_SCALE);
            this.takerFeeRate = Decimals.parse(taker, FEE_RATE_SCALE);
            return this;
        }

        public Builder fees(long makerRate, long takerRate) {
            this.makerFeeRate = makerRate;
            this.takerFeeRate = takerRate;
            return this;
        }

        public Builder initialState(SymbolState state) {
            this.initialState = Objects.requireNonNull(state, "state");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first field that makes the definition unsafe
         */
        public Instrument build() {
            if (instId == null || !INST_ID.matcher(instId).matches()) {
                throw new IllegalArgumentException("instId must look like BASE-QUOTE: " + instId);
            }
            Objects.requireNonNull(base, "base asset");
            Objects.requireNonNull(quote, "quote asset");
            if (base.id() == quote.id() || base.code().equals(quote.code())) {
                throw new IllegalArgumentException(instId + ": base and quote must differ");
            }
            if (!instId.equals(base.code() + "-" + quote.code())) {
                throw new IllegalArgumentException(instId + ": instId must be " + base.code() + "-" + quote.code());
            }
            if (priceScale < 0 || priceScale > 18 || tickSize <= 0) {
                throw new IllegalArgumentException(instId + ": tick size must be > 0");
            }
            if (lotSize <= 0) {
                throw new IllegalArgumentException(instId + ": lot size must be > 0");
            }
            if (minSize <= 0 || minSize % lotSize != 0) {
                throw new IllegalArgumentException(instId + ": min size must be a positive multiple of the lot size");
            }
            if (maxSize < minSize || maxSize % lotSize != 0) {
                throw new IllegalArgumentException(instId + ": max size must be a multiple of the lot size and >= min size");
            }
            if (bandBps < 0 || bandBps >= 10_000) {
                throw new IllegalArgumentException(instId + ": price band must be 0..9999 bps");
            }
            if (referencePriceText != null) {
                try {
                    referencePrice = Decimals.parse(referencePriceText, priceScale);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(instId + ": reference price " + e.getMessage());
                }
            }
            if (referencePrice < 0 || referencePrice % tickSize != 0) {
                throw new IllegalArgumentException(instId + ": reference price must be >= 0 and on the tick grid");
            }
            if (breakerBps < 0 || breakerBps >= 10_000 || (breakerBps > 0 && breakerWindowMillis <= 0)) {
                throw new IllegalArgumentException(instId + ": breaker needs 0..9999 bps and a positive window");
            }
            if (Math.abs(makerFeeRate) > MAX_ABS_FEE_RATE || takerFeeRate < 0 || takerFeeRate > MAX_ABS_FEE_RATE) {
                throw new IllegalArgumentException(instId + ": fee rates must be within ±10 % (taker >= 0)");
            }
            if (makerFeeRate < 0 && -makerFeeRate > takerFeeRate) {
                throw new IllegalArgumentException(instId + ": a maker rebate may not exceed the taker fee rate");
            }
            // Exactness: tick * lot (the smallest grid step of price*size) must be a whole number of
            // quote units; every grid point is a multiple of it.
            BigDecimal unitQuote = BigDecimal.valueOf(tickSize, priceScale)
                    .multiply(BigDecimal.valueOf(lotSize, base.scale()));
            if (unitQuote.stripTrailingZeros().scale() > quote.scale()) {
                throw new IllegalArgumentException(instId + ": tick " + Decimals.format(tickSize, priceScale)
                        + " x lot " + Decimals.format(lotSize, base.scale()) + " = "
                        + unitQuote.stripTrailingZeros().toPlainString() + " " + quote.code()
                        + " is not exact at the quote scale " + quote.scale());
            }
            int exp = priceScale + base.scale() - quote.scale();
            if (Math.abs(exp) > 18) {
                throw new IllegalArgumentException(instId + ": scales too far apart");
            }
            // The largest order must have a representable quote amount at the reference price's
            // order of magnitude; prices far beyond are rejected per order when they overflow.
            BigInteger maxQuote = BigInteger.valueOf(Math.max(referencePrice, tickSize)).multiply(BigInteger.valueOf(maxSize));
            if (maxQuote.bitLength() > 62) {
                throw new IllegalArgumentException(instId + ": max size at the reference price overflows the quote amount");
            }
            return new Instrument(this);
        }
    }

    @Override
    public String toString() {
        return "Instrument[" + instId + " tick=" + Decimals.format(tickSize, priceScale) + " lot="
                + Decimals.format(lotSize, base.scale()) + "]";
    }
}
