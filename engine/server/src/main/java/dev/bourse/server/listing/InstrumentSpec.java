package dev.bourse.server.listing;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;

import java.util.Map;

/**
 * An instrument definition in the decimal strings people write ({@code tickSz "0.1"}); the stored and
 * administered form. {@link #toInstrument} checks it with the core's rules (exact quote amounts etc.).
 *
 * @param bandBps     price protection band around the reference price, in basis points
 * @param breakerBps  move within {@code breakerWindowMillis} that halts the symbol; 0 disables the breaker
 * @param priceScale  decimals prices are stored with, fixed when the symbol is listed (a later tick may have
 *                    fewer decimals, never more); -1 = the tick's own decimals (instruments listed before it
 *                    was recorded)
 */
public record InstrumentSpec(String instId, String baseCcy, String quoteCcy, String tickSz, String lotSz, String minSz,
                             String maxSz, int bandBps, String refPx, int breakerBps, long breakerWindowMillis,
                             String makerFeeRate, String takerFeeRate, int priceScale) {

    /** A definition whose price scale is its tick's number of decimals. */
    public InstrumentSpec(String instId, String baseCcy, String quoteCcy, String tickSz, String lotSz, String minSz,
                          String maxSz, int bandBps, String refPx, int breakerBps, long breakerWindowMillis,
                          String makerFeeRate, String takerFeeRate) {
        this(instId, baseCcy, quoteCcy, tickSz, lotSz, minSz, maxSz, bandBps, refPx, breakerBps, breakerWindowMillis,
                makerFeeRate, takerFeeRate, -1);
    }

    /** The decimals prices of this instrument are stored with. */
    public int effectivePriceScale() {
        return priceScale >= 0 ? priceScale : Decimals.scaleOf(tickSz);
    }

    /** The same rules with the price scale stated explicitly (so two definitions compare by their rules). */
    public InstrumentSpec withPriceScale(int scale) {
        return new InstrumentSpec(instId, baseCcy, quoteCcy, tickSz, lotSz, minSz, maxSz, bandBps, refPx, breakerBps,
                breakerWindowMillis, makerFeeRate, takerFeeRate, scale);
    }

    public Instrument toInstrument(Map<String, Asset> assets) {
        return toInstrument(assets, SymbolState.TRADING);
    }

    /** The core's instrument, starting in {@code initialState} when it is listed. */
    public Instrument toInstrument(Map<String, Asset> assets, SymbolState initialState) {
        Asset base = assets.get(baseCcy);
        Asset quote = assets.get(quoteCcy);
        if (base == null || quote == null) {
            throw new IllegalArgumentException(instId + ": unknown asset " + (base == null ? baseCcy : quoteCcy));
        }
        int scale = effectivePriceScale();
        if (Decimals.scaleOf(tickSz) > scale) {
            throw new IllegalArgumentException(instId + ": tickSz " + tickSz + " has more decimals than the " + scale
                    + " its prices are stored with (fixed when it was listed)");
        }
        Instrument.Builder b = Instrument.builder(instId, base, quote)
                .tickSize(Decimals.parse(tickSz, scale), scale)
                .lotSize(lotSz)
                .minSize(minSz)
                .maxSize(maxSz)
                .bandBps(bandBps)
                .referencePrice(refPx)
                .fees(makerFeeRate, takerFeeRate)
                .initialState(initialState);
        if (breakerBps > 0) {
            b.breaker(breakerBps, breakerWindowMillis);
        }
        return b.build();
    }
}
