package dev.bourse.server.marketdata;

import java.util.List;

/**
 * An immutable copy of the top of one book as the projection holds it: best first, at the instrument's
 * scales. {@code ready} is false while the book waits for its first snapshot (or a resync after a gap):
 * the levels are then empty and must not be shown as the book.
 */
public record BookDepth(String instId, List<BookLevel> bids, List<BookLevel> asks, long seqId, int checksum, long ts,
                        boolean ready) {
}
