package dev.bourse.client.book;

import dev.bourse.client.ws.ChannelArg;
import dev.bourse.client.ws.WsPush;
import dev.bourse.client.ws.model.BookData;
import dev.bourse.client.ws.model.BookLevel;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderBookStoreTest {
    private final OrderBookStore store = new OrderBookStore();

    private static BookLevel l(String px, String sz) {
        return new BookLevel(px, sz, "0", "1");
    }

    private static BookData data(List<BookLevel> bids, List<BookLevel> asks, Integer checksum, Long prev, long seq) {
        return new BookData(asks, bids, "1700000000000", checksum, prev, seq, null);
    }

    private static List<String> levels(List<PriceLevel> side) {
        return side.stream().map(p -> p.pxText() + ":" + p.szText()).toList();
    }

    // ------------------------------------------------------------------------------------ checksum

    @Test
    void okxPublishedChecksumVectors() {
        // from OKX's documentation of the order-book checksum (reference/okx-v5/README.md)
        assertEquals(-1881014294, BookChecksum.crc32("3366.1:7:3366.8:9:3366:6:3368:8"));
        assertEquals(831078360, BookChecksum.crc32("3366.1:7:3366.8:9:3368:8:3372:8"));

        // the same books built through the store: two bids and two asks interleaved ...
        LocalOrderBook b = store.apply("books", "ETH-USDT", "snapshot",
                data(List.of(l("3366.1", "7"), l("3366", "6")), List.of(l("3366.8", "9"), l("3368", "8")),
                        -1881014294, -1L, 10));
        assertEquals(-1881014294, b.checksum());
        assertEquals(1, b.checksumsVerified());
        // ... then one bid and three asks: the missing bid is skipped where that side runs out
        b = store.apply("books", "ETH-USDT", "update",
                data(List.of(l("3366", "0")), List.of(l("3372", "8")), 831078360, 10L, 11));
        assertEquals("3366.1:7:3366.8:9:3368:8:3372:8", BookChecksum.text(b.bids(25), b.asks(25)));
        assertEquals(831078360, b.checksum());
        assertEquals(2, b.checksumsVerified());
        assertTrue(b.isReady());
    }

    /** The checksum rule written out independently of {@link BookChecksum}, for the randomized test. */
    private static int referenceChecksum(TreeMap<BigDecimal, String[]> bids, TreeMap<BigDecimal, String[]> asks) {
        List<String[]> b = new ArrayList<>(bids.values());
        List<String[]> a = new ArrayList<>(asks.values());
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            if (i < b.size()) {
                parts.add(b.get(i)[0] + ":" + b.get(i)[1]);
            }
            if (i < a.size()) {
                parts.add(a.get(i)[0] + ":" + a.get(i)[1]);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(String.join(":", parts).getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    @Test
    void randomizedUpdatesMatchAReferenceBookAndItsChecksum() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        String ctx = "seed " + seed;
        TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Comparator.reverseOrder());
        TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        long seq = 100;
        for (int step = 0; step < 300; step++) {
            List<BookLevel> bidChanges = changes(r, bids, 50_000, 59_999);
            List<BookLevel> askChanges = changes(r, asks, 60_000, 69_999);
            long next = seq + 1 + r.nextInt(3);
            int checksum = referenceChecksum(bids, asks);
            LocalOrderBook b = step == 0
                    ? store.apply("books", "BTC-USDT", "snapshot", data(bidChanges, askChanges, checksum, -1L, next))
                    : store.apply("books", "BTC-USDT", "update", data(bidChanges, askChanges, checksum, seq, next));
            seq = next;
            assertEquals(seq, b.seqId(), ctx);
            assertEquals(checksum, b.checksum(), ctx);
        }
        LocalOrderBook.View v = store.book("BTC-USDT").orElseThrow().view();
        assertEquals(bids.values().stream().map(x -> x[0] + ":" + x[1]).toList(), levels(v.bids()), ctx);
        assertEquals(asks.values().stream().map(x -> x[0] + ":" + x[1]).toList(), levels(v.asks()), ctx);
        assertTrue(v.ready(), ctx);
        assertEquals(300, store.book("BTC-USDT").orElseThrow().checksumsVerified(), ctx);
    }

    /** Random new, changed and deleted levels of one side, applied to the reference map as well. */
    private static List<BookLevel> changes(Random r, TreeMap<BigDecimal, String[]> side, int lo, int hi) {
        List<BookLevel> out = new ArrayList<>();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (!side.isEmpty() && r.nextInt(3) == 0) {
                List<BigDecimal> keys = new ArrayList<>(side.keySet());
                BigDecimal px = keys.get(r.nextInt(keys.size()));
                String pxText = side.remove(px)[0];
                out.add(l(pxText, "0"));
            } else {
                BigDecimal px = BigDecimal.valueOf(lo + r.nextInt(hi - lo), 0).add(BigDecimal.valueOf(r.nextInt(10), 1))
                        .stripTrailingZeros();
                String pxText = px.toPlainString();
                String sz = BigDecimal.valueOf(1 + r.nextInt(100_000), 5).stripTrailingZeros().toPlainString();
                if (out.stream().anyMatch(x -> new BigDecimal(x.px()).compareTo(px) == 0)) {
                    continue; // one change per price and message
                }
                side.put(px, new String[] {pxText, sz});
                out.add(l(pxText, sz));
            }
        }
        return out;
    }

    @Test
    void checksumMismatchFailsAndLeavesTheBookNotReady() {
        store.apply("books", "BTC-USDT", "snapshot", data(List.of(l("100", "1")), List.of(l("101", "2")), 0, -1L, 1));
        OrderBookChecksumException e = assertThrows(OrderBookChecksumException.class, () -> store.apply("books",
                "BTC-USDT", "update", data(List.of(l("100", "3")), List.of(), 12345, 1L, 2)));
        assertEquals(12345, e.expected());
        assertEquals(BookChecksum.crc32("100:3:101:2"), e.actual());
        assertEquals(new BookKey("books", "BTC-USDT"), e.key());
        assertFalse(store.book("BTC-USDT").orElseThrow().isReady());
        assertThrows(OrderBookNotReadyException.class, () -> store.apply("books", "BTC-USDT", "update",
                data(List.of(), List.of(), 0, 2L, 3)));
    }

    @Test
    void zeroChecksumIsNotChecked() {
        LocalOrderBook b = store.apply("{\"arg\":{\"channel\":\"books\",\"instId\":\"BTC-USDT\"},\"action\":\"snapshot\","
                + "\"data\":[{\"asks\":[[\"8476.98\",\"415\",\"0\",\"13\"],[\"8477\",\"7\",\"0\",\"2\"]],"
                + "\"bids\":[[\"8476.97\",\"256\",\"0\",\"12\"]],\"ts\":\"1597026383085\",\"checksum\":0,"
                + "\"prevSeqId\":-1,\"seqId\":123456}]}");
        assertTrue(b.isReady());
        assertEquals(0, b.checksumsVerified());
        assertEquals(123456, b.seqId());
        assertEquals(1597026383085L, b.ts());
        assertEquals(13, b.bestAsk().orElseThrow().orders());
    }

    // ------------------------------------------------------------------------------------ sequence

    @Test
    void sequenceGapIsDetectedAndNothingIsApplied() {
        store.apply("books", "BTC-USDT", "snapshot", data(List.of(l("100", "1")), List.of(l("101", "1")), null, -1L, 10));
        store.apply("books", "BTC-USDT", "update", data(List.of(l("99", "2")), List.of(), null, 10L, 15));
        // OKX: an update without changes repeats the seqId; after maintenance the sequence may restart lower
        store.apply("books", "BTC-USDT", "update", data(List.of(), List.of(), null, 15L, 15));
        store.apply("books", "BTC-USDT", "update", data(List.of(), List.of(l("102", "5")), null, 15L, 3));
        LocalOrderBook b = store.apply("books", "BTC-USDT", "update", data(List.of(), List.of(), null, 3L, 5));
        assertEquals(5, b.seqId());

        OrderBookSequenceException e = assertThrows(OrderBookSequenceException.class, () -> store.apply("books",
                "BTC-USDT", "update", data(List.of(l("100", "0")), List.of(), null, 6L, 7)));
        assertEquals(5, e.expectedPrevSeqId());
        assertEquals(6, e.prevSeqId());
        assertEquals(7, e.seqId());
        assertFalse(b.isReady());
        assertEquals(5, b.seqId());
        assertEquals(List.of("100:1", "99:2"), levels(b.bids(10)), "the gapped update was not applied");
        assertThrows(OrderBookNotReadyException.class, () -> store.apply("books", "BTC-USDT", "update",
                data(List.of(), List.of(), null, 5L, 6)));

        // a new snapshot recovers
        b = store.apply("books", "BTC-USDT", "snapshot", data(List.of(l("98", "1")), List.of(), null, -1L, 40));
        assertTrue(b.isReady());
        assertEquals(List.of("98:1"), levels(b.bids(10)));
    }

    @Test
    void updateBeforeSnapshotIsNotReady() {
        OrderBookNotReadyException e = assertThrows(OrderBookNotReadyException.class, () -> store.apply("books",
                "BTC-USDT", "update", data(List.of(l("100", "1")), List.of(), null, 1L, 2)));
        assertEquals(new BookKey("books", "BTC-USDT"), e.key());
        store.apply("books", "BTC-USDT", "snapshot", data(List.of(l("100", "1")), List.of(), null, -1L, 2));
        store.reset();
        assertThrows(OrderBookNotReadyException.class, () -> store.apply("books", "BTC-USDT", "update",
                data(List.of(), List.of(), null, 2L, 3)));
        LocalOrderBook b = store.book("BTC-USDT").orElseThrow();
        assertEquals(-1, b.seqId());
        assertEquals(0, b.bidCount());
    }

    // ------------------------------------------------------------------------------------ levels

    @Test
    void levelsAreSortedNumericallyAndZeroSizeDeletes() {
        LocalOrderBook b = store.apply("books", "BTC-USDT", "snapshot", data(
                List.of(l("9.5", "1"), l("10", "2"), l("9.75", "3")),
                List.of(l("11", "1"), l("10.5", "2"), l("100", "3")), null, -1L, 1));
        assertEquals(List.of("10:2", "9.75:3", "9.5:1"), levels(b.bids(10)));
        assertEquals(List.of("10.5:2", "11:1", "100:3"), levels(b.asks(10)));
        assertEquals(new BigDecimal("10"), b.bestBid().orElseThrow().px());
        // "10.0" is the same price as "10": the level is replaced, its text is the latest one sent
        b = store.apply("books", "BTC-USDT", "update", data(List.of(l("10.0", "4"), l("9.5", "0")),
                List.of(l("100", "0")), null, 1L, 2));
        assertEquals(List.of("10.0:4", "9.75:3"), levels(b.bids(10)));
        assertEquals(List.of("10.5:2"), levels(b.asks(1)));
        assertEquals(2, b.askCount());
    }

    @Test
    void malformedLevelIsRefusedWithoutChange() {
        store.apply("books", "BTC-USDT", "snapshot", data(List.of(l("100", "1")), List.of(), null, -1L, 1));
        assertThrows(IllegalArgumentException.class, () -> store.apply("books", "BTC-USDT", "update",
                data(List.of(l("99", "2"), l("abc", "1")), List.of(), null, 1L, 2)));
        LocalOrderBook b = store.book("BTC-USDT").orElseThrow();
        assertEquals(List.of("100:1"), levels(b.bids(10)));
        assertEquals(1, b.seqId());
        assertTrue(b.isReady());
        assertThrows(IllegalArgumentException.class, () -> store.apply("trades", "BTC-USDT", "update",
                data(List.of(), List.of(), null, 1L, 2)));
        assertThrows(IllegalArgumentException.class, () -> store.apply("books", "BTC-USDT", null,
                data(List.of(), List.of(), null, 1L, 2)));
        assertThrows(IllegalArgumentException.class, () -> store.apply("{\"arg\":{}}"));
    }

    @Test
    void books5AndBboReplaceTheWholeBookEachPush() {
        store.apply("{\"arg\":{\"channel\":\"books5\",\"instId\":\"BCH-USDT-SWAP\"},\"data\":[{\"asks\":[[\"111.06\",\"55154\",\"0\",\"2\"],"
                + "[\"111.07\",\"53276\",\"0\",\"2\"]],\"bids\":[[\"111.05\",\"57745\",\"0\",\"2\"]],\"instId\":\"BCH-USDT-SWAP\","
                + "\"ts\":\"1670324386802\",\"seqId\":363996337}]}");
        LocalOrderBook b = store.apply("{\"arg\":{\"channel\":\"books5\",\"instId\":\"BCH-USDT-SWAP\"},\"data\":[{\"asks\":[[\"111.08\",\"1\",\"0\",\"1\"]],"
                + "\"bids\":[],\"ts\":\"1670324386803\",\"seqId\":363996338}]}");
        assertEquals(List.of("111.08:1"), levels(b.asks(5)));
        assertEquals(0, b.bidCount());
        assertTrue(b.isReady());

        WsPush<BookData> bbo = new WsPush<>(ChannelArg.of("bbo-tbt", "BTC-USDT"), null, null,
                List.of(new BookData(List.of(l("60001", "1")), List.of(l("60000", "2")), "1", null, null, 7L, null)), 1);
        LocalOrderBook top = store.apply(bbo);
        assertEquals("60000", top.bestBid().orElseThrow().pxText());
        assertEquals("60001", top.bestAsk().orElseThrow().pxText());
        assertEquals(2, store.keys().size());
    }
}
