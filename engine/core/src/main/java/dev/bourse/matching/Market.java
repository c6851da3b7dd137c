package dev.bourse.matching;

import dev.bourse.instrument.Instrument;
import dev.bourse.instrument.SymbolState;
import dev.bourse.risk.CircuitBreaker;
import dev.bourse.risk.PriceBand;

/** Runtime state of one symbol: definition, book, trading state, last price and breaker. */
final class Market {
    /** Dense id; shifts down when a symbol listed before this one leaves the engine. */
    int symbolId;
    /** Replaced when the control plane changes the rules; the book stays. */
    Instrument instrument;
    final OrderBook book = new OrderBook();
    CircuitBreaker breaker;
    SymbolState state;
    long lastTradePrice;
    long bookChangedAtSeq = -1;
    /** Operator's tighter price band in bps, 0 when none: replaces the instrument's band while set. */
    int bandOverrideBps;

    Market(int symbolId, Instrument instrument) {
        this.symbolId = symbolId;
        this.instrument = instrument;
        this.state = instrument.initialState();
        this.breaker = new CircuitBreaker(instrument.breakerBps(), instrument.breakerWindowMillis());
    }

    /** Last trade, else mid (floored to the tick), else the instrument's default; 0 if none. */
    long referencePrice() {
        if (lastTradePrice > 0) {
            return lastTradePrice;
        }
        long bid = book.bestBid();
        long ask = book.bestAsk();
        if (bid > 0 && ask > 0) {
            long mid = bid + (ask - bid) / 2;
            return mid - mid % instrument.tickSize();
        }
        return instrument.referencePrice();
    }

    int bandBps() {
        return bandOverrideBps > 0 ? bandOverrideBps : instrument.bandBps();
    }

    long bandUpper() {
        return PriceBand.upper(referencePrice(), bandBps(), instrument.tickSize());
    }

    long bandLower() {
        return PriceBand.lower(referencePrice(), bandBps(), instrument.tickSize());
    }
}
