package dev.bourse.client.book;

import dev.bourse.client.ws.model.BookData;
import dev.bourse.client.ws.model.BookLevel;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The local copy of one book channel of one instrument: bids and asks in sorted maps keyed by price. Incremental
 * channels ({@code books}, {@code books-l2-tbt}, {@code books50-l2-tbt}) start from a snapshot and apply updates
 * whose {@code prevSeqId} equals the last {@code seqId} (size "0" deletes a level), checking OKX's checksum when the
 * server sends a non-zero one; snapshot channels ({@code books5}, {@code bbo-tbt}) replace the whole book each push.
 * After a failed check the book is not ready (its last levels stay readable) until the next snapshot.
 * Thread-safe: one thread applies, any thread reads.
 */
public final class LocalOrderBook {
    private final BookKey key;
    private final TreeMap<BigDecimal, PriceLevel> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<BigDecimal, PriceLevel> asks = new TreeMap<>();
    private boolean ready;
    private long seqId = -1;
    private long ts;
    private long applied;
    private long checksumsVerified;

    public LocalOrderBook(BookKey key) {
        this.key = key;
    }

    /** A consistent copy of the book at one moment. */
    public record View(BookKey key, boolean ready, long seqId, long ts, List<PriceLevel> bids, List<PriceLevel> asks) {
        public Optional<PriceLevel> bestBid() {
            return bids.isEmpty() ? Optional.empty() : Optional.of(bids.getFirst());
        }

        public Optional<PriceLevel> bestAsk() {
            return asks.isEmpty() ? Optional.empty() : Optional.of(asks.getFirst());
        }
    }

    /** Replaces the book with {@code d}; checks the checksum when {@code checked} and the server sent one. */
    synchronized void snapshot(BookData d, boolean checked) {
        long newTs = parseTs(d.ts());
        List<PriceLevel> newBids = parse(d.bids());
        List<PriceLevel> newAsks = parse(d.asks());
        bids.clear();
        asks.clear();
        ready = false;
        put(bids, newBids);
        put(asks, newAsks);
        seqId = d.seqId() == null ? -1 : d.seqId();
        ts = newTs;
        applied++;
        if (checked) {
            verify(d);
        }
        ready = true;
    }

    /** Applies an incremental update; see the class comment. */
    synchronized void update(BookData d) {
        long newSeq = d.seqId() == null ? -1 : d.seqId();
        if (!ready) {
            throw new OrderBookNotReadyException(key, newSeq);
        }
        if (d.prevSeqId() == null || d.prevSeqId() != seqId) {
            ready = false;
            throw new OrderBookSequenceException(key, seqId, d.prevSeqId() == null ? -1 : d.prevSeqId(), newSeq);
        }
        long newTs = parseTs(d.ts());
        List<PriceLevel> changedBids = parse(d.bids());
        List<PriceLevel> changedAsks = parse(d.asks());
        put(bids, changedBids);
        put(asks, changedAsks);
        seqId = newSeq;
        ts = newTs;
        applied++;
        verify(d);
    }

    private void verify(BookData d) {
        Integer expected = d.checksum();
        if (expected == null || expected == 0) {
            return; // 0: the server does not compute it (OKX since mid-2026)
        }
        int actual = BookChecksum.of(top(bids, BookChecksum.LEVELS), top(asks, BookChecksum.LEVELS));
        if (actual != expected) {
            ready = false;
            throw new OrderBookChecksumException(key, seqId, expected, actual);
        }
        checksumsVerified++;
    }

    /** Reads every level before anything changes, so a malformed message leaves the book as it was. */
    private List<PriceLevel> parse(List<BookLevel> levels) {
        List<PriceLevel> out = new ArrayList<>(levels.size());
        for (BookLevel l : levels) {
            try {
                out.add(new PriceLevel(new BigDecimal(l.px()), new BigDecimal(l.sz()), l.orderCount(), l.px(), l.sz()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(key + ": malformed level " + l, e);
            }
        }
        return out;
    }

    /** Size 0 deletes the level. */
    private static void put(TreeMap<BigDecimal, PriceLevel> side, List<PriceLevel> levels) {
        for (PriceLevel l : levels) {
            if (l.sz().signum() == 0) {
                side.remove(l.px());
            } else {
                side.put(l.px(), l);
            }
        }
    }

    private long parseTs(String ts) {
        try {
            return ts == null || ts.isEmpty() ? 0 : Long.parseLong(ts);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": malformed ts " + ts, e);
        }
    }

    /** Forgets everything: not ready until the next snapshot. */
    public synchronized void reset() {
        bids.clear();
        asks.clear();
        ready = false;
        seqId = -1;
        ts = 0;
    }

    public BookKey key() {
        return key;
    }

    public String instId() {
        return key.instId();
    }

    public String channel() {
        return key.channel();
    }

    /** True after a snapshot and as long as every update since passed the sequence and checksum checks. */
    public synchronized boolean isReady() {
        return ready;
    }

    /** The {@code seqId} of the last message applied (-1: none). */
    public synchronized long seqId() {
        return seqId;
    }

    /** The {@code ts} (ms) of the last message applied. */
    public synchronized long ts() {
        return ts;
    }

    /** Messages applied since this book was created. */
    public synchronized long applied() {
        return applied;
    }

    /** Non-zero checksums that matched. */
    public synchronized long checksumsVerified() {
        return checksumsVerified;
    }

    public synchronized Optional<PriceLevel> bestBid() {
        return bids.isEmpty() ? Optional.empty() : Optional.of(bids.firstEntry().getValue());
    }

    public synchronized Optional<PriceLevel> bestAsk() {
        return asks.isEmpty() ? Optional.empty() : Optional.of(asks.firstEntry().getValue());
    }

    /** The best {@code depth} bids, best (highest) first. */
    public synchronized List<PriceLevel> bids(int depth) {
        return top(bids, depth);
    }

    /** The best {@code depth} asks, best (lowest) first. */
    public synchronized List<PriceLevel> asks(int depth) {
        return top(asks, depth);
    }

    public synchronized int bidCount() {
        return bids.size();
    }

    public synchronized int askCount() {
        return asks.size();
    }

    /** OKX's checksum of the current top 25 levels. */
    public synchronized int checksum() {
        return BookChecksum.of(top(bids, BookChecksum.LEVELS), top(asks, BookChecksum.LEVELS));
    }

    /** Every level, with the sequence state, taken at one moment. */
    public synchronized View view() {
        return new View(key, ready, seqId, ts, top(bids, Integer.MAX_VALUE), top(asks, Integer.MAX_VALUE));
    }

    private static List<PriceLevel> top(TreeMap<BigDecimal, PriceLevel> side, int depth) {
        if (depth <= 0 || side.isEmpty()) {
            return List.of();
        }
        List<PriceLevel> out = new ArrayList<>(Math.min(depth, side.size()));
        for (Map.Entry<BigDecimal, PriceLevel> e : side.entrySet()) {
            if (out.size() == depth) {
                break;
            }
            out.add(e.getValue());
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public synchronized String toString() {
        return "LocalOrderBook[" + key + " seqId=" + seqId + " ready=" + ready + " bid=" + bestBid().map(PriceLevel::pxText).orElse("-")
                + " ask=" + bestAsk().map(PriceLevel::pxText).orElse("-") + "]";
    }
}
