package dev.bourse.server.marketdata;

import java.util.List;

/**
 * Receives the projection's changes. Called on the projection's thread while it holds the instrument, so
 * a listener sees every instrument's changes in order and nothing in between; it must only hand off
 * (enqueue), never block.
 */
public interface MarketDataListener {

    /** One book change. */
    default void onBook(BookUpdate update) {
    }

    /**
     * The book (re)started from a snapshot: everything sent before is void; send {@code depth} (the
     * 400-level view) as a new snapshot.
     */
    default void onBookReset(BookDepth depth) {
    }

    /** New trades of one instrument, aggregated per taker order and price, oldest first. */
    default void onTrades(String instId, List<Trade> trades, long receivedNanos) {
    }

    /** The candle of {@code bar} changed (or was confirmed when the next one opened). */
    default void onCandle(String instId, Bar bar, Candle candle, long receivedNanos) {
    }

    /** The ticker changed; at most one call per instrument per throttle interval. */
    default void onTicker(Ticker ticker, long receivedNanos) {
    }
}
