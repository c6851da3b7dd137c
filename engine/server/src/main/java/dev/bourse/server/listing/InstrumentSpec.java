package dev.bourse.server.listing;

import dev.bourse.asset.Asset;
import dev.bourse.instrument.Instrument;

import java.util.Map;

/**
 * An instrument definition in the decimal strings people write ({@code tickSz "0.1"}); the stored and
 * administered form. {@link #toInstrument} checks it with the core's rules (exact quote amounts etc.).
 *
 * @param bandBps     price protection band around the reference price, in basis points
 * @param breakerBps  move within {@code breakerWindowMillis} that halts the symbol; 0 disables the breaker
 */
public record InstrumentSpec(String instId, String baseCcy, String quoteCcy, String tickSz, String lotSz, String minSz,
                             String maxSz, int bandBps, String refPx, int breakerBps, long breakerWindowMillis,
                             String makerFeeRate, String takerFeeRate) {

    public Instrument toInstrument(Map<String, Asset> assets) {
        Asset base = assets.get(baseCcy);
        Asset quote = assets.get(quoteCcy);
        if (base == null || quote == null) {
            throw new IllegalArgumentException(instId + ": unknown asset " + (base == null ? baseCcy : quoteCcy));
        }
        Instrument.Builder b = Instrument.builder(instId, base, quote)
                .tickSize(tickSz)
                .lotSize(lotSz)
                .minSize(minSz)
                .maxSize(maxSz)
                .bandBps(bandBps)
                .referencePrice(refPx)
                .fees(makerFeeRate, takerFeeRate);
        if (breakerBps > 0) {
            b.breaker(breakerBps, breakerWindowMillis);
        }
        return b.build();
    }
}
