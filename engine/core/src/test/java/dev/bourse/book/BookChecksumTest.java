package dev.bourse.book;

import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.funds.InMemoryBalances;
import dev.bourse.instrument.Instrument;
import dev.bourse.matching.Command;
import dev.bourse.matching.MatchingEngine;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

class BookChecksumTest {
    // OKX's documented example: bids [3366.1 x 7, 3366 x 6], asks [3366.8 x 9, 3368 x 8]
    private static final String OKX_TEXT_1 = "3366.1:7:3366.8:9:3366:6:3368:8";
    private static final int OKX_CHECKSUM_1 = -1881014294;
    // and one bid against three asks: the asks continue alone
    private static final String OKX_TEXT_2 = "3366.1:7:3366.8:9:3368:8:3372:8";
    private static final int OKX_CHECKSUM_2 = 831078360;

    private static List<String> lvl(String px, String sz) {
        return List.of(px, sz);
    }

    @Test
    void okxVectorsAsText() {
        assertEquals(OKX_CHECKSUM_1, BookChecksum.of(OKX_TEXT_1));
        assertEquals(OKX_CHECKSUM_2, BookChecksum.of(OKX_TEXT_2));
    }

    @Test
    void okxVectorsAsLevelLists() {
        assertEquals(OKX_CHECKSUM_1, BookChecksum.compute(
                List.of(lvl("3366.1", "7"), lvl("3366", "6")),
                List.of(lvl("3366.8", "9"), lvl("3368", "8"))));
        assertEquals(OKX_CHECKSUM_2, BookChecksum.compute(
                List.of(lvl("3366.1", "7")),
                List.of(lvl("3366.8", "9"), lvl("3368", "8"), lvl("3372", "8"))));
    }

    @Test
    void listFormIgnoresExtraFieldsOfALevel() {
        // OKX levels are [px, sz, liquidated, orders]; only px and sz count
        assertEquals(OKX_CHECKSUM_1, BookChecksum.compute(
                List.of(List.of("3366.1", "7", "0", "1"), List.of("3366", "6", "0", "2")),
                List.of(List.of("3366.8", "9", "0", "3"), List.of("3368", "8", "0", "1"))));
    }

    @Test
    void scaledFormGivesTheSameValueForTheSameLevels() {
        // prices at scale 1, sizes at scale 8: 3366.1 -> 33661, 7 -> 700000000
        long[] bidPx = {33_661, 33_660};
        long[] bidSz = {700_000_000, 600_000_000};
        long[] askPx = {33_668, 33_680, 33_720};
        long[] askSz = {900_000_000, 800_000_000, 800_000_000};
        BookChecksum c = new BookChecksum();
        assertEquals(OKX_CHECKSUM_1, c.compute(bidPx, bidSz, 2, askPx, askSz, 2, 1, 8));
        assertEquals(OKX_CHECKSUM_2, c.compute(bidPx, bidSz, 1, askPx, askSz, 3, 1, 8));
        // the same instance is reusable
        assertEquals(OKX_CHECKSUM_1, c.compute(bidPx, bidSz, 2, askPx, askSz, 2, 1, 8));
    }

    @Test
    void scaledFormWritesCanonicalDecimals() {
        // 0.5 at scale 4 is "0.5", 12 at scale 2 is "0.12"
        long[] bp = {5_000};
        long[] bs = {12};
        long[] none = {};
        BookChecksum c = new BookChecksum();
        assertEquals(BookChecksum.of("0.5:0.12"), c.compute(bp, bs, 1, none, none, 0, 4, 2));
    }

    @Test
    void onlyTheTop25LevelsOfEachSideCount() {
        int n = 40;
        long[] bidPx = new long[n];
        long[] bidSz = new long[n];
        long[] askPx = new long[n];
        long[] askSz = new long[n];
        List<List<String>> bids = new ArrayList<>();
        List<List<String>> asks = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            bidPx[i] = 10_000 - i; // 1000.0, 999.9, ...
            bidSz[i] = 1 + i;
            askPx[i] = 10_001 + i;
            askSz[i] = 100 + i;
            bids.add(lvl(Decimals.format(bidPx[i], 1), Decimals.format(bidSz[i], 0)));
            asks.add(lvl(Decimals.format(askPx[i], 1), Decimals.format(askSz[i], 0)));
            if (i < 25) {
                text.append(bids.get(i).get(0)).append(':').append(bids.get(i).get(1)).append(':')
                        .append(asks.get(i).get(0)).append(':').append(asks.get(i).get(1)).append(':');
            }
        }
        text.setLength(text.length() - 1);
        int expected = BookChecksum.of(text.toString());
        assertEquals(expected, BookChecksum.compute(bids, asks));
        assertEquals(expected, BookChecksum.compute(bids.subList(0, 25), asks.subList(0, 25)));
        assertNotEquals(expected, BookChecksum.compute(bids.subList(0, 24), asks.subList(0, 25)));
        assertEquals(expected, new BookChecksum().compute(bidPx, bidSz, n, askPx, askSz, n, 1, 0));
    }

    @Test
    void oneSideEmpty() {
        assertEquals(BookChecksum.of("3366.8:9:3368:8"),
                BookChecksum.compute(List.of(), List.of(lvl("3366.8", "9"), lvl("3368", "8"))));
        assertEquals(BookChecksum.of("3366.1:7:3366:6"),
                BookChecksum.compute(List.of(lvl("3366.1", "7"), lvl("3366", "6")), List.of()));
        long[] px = {33_661, 33_660};
        long[] sz = {7, 6};
        long[] none = {};
        BookChecksum c = new BookChecksum();
        assertEquals(BookChecksum.of("3366.1:7:3366:6"), c.compute(px, sz, 2, none, none, 0, 1, 0));
        assertEquals(BookChecksum.of("3366.1:7:3366:6"), c.compute(none, none, 0, px, sz, 2, 1, 0));
    }

    @Test
    void emptyBookIsTheCrcOfNothing() {
        assertEquals(0, BookChecksum.of(""));
        assertEquals(0, BookChecksum.compute(List.of(), List.of()));
        assertEquals(0, new BookChecksum().compute(new long[0], new long[0], 0, new long[0], new long[0], 0, 1, 8));
    }

    @Test
    void ofIsTheSignedCrc32OfTheUtf8Text() {
        CRC32 crc = new CRC32();
        crc.update("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals((int) crc.getValue(), BookChecksum.of("abc"));
        assertEquals(0x352441C2, BookChecksum.of("abc")); // well-known CRC32 of "abc"
    }

    @Test
    void scaledFormHandlesVeryLongNumbers() {
        // 25 levels of the longest canonical text ("0.000000000000000001", "9.223372036854775807")
        long[] px = new long[25];
        long[] sz = new long[25];
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            px[i] = Long.MAX_VALUE - i;
            sz[i] = 1 + i;
            String p = Decimals.format(px[i], 18);
            String s = Decimals.format(sz[i], 18);
            text.append(p).append(':').append(s).append(':').append(p).append(':').append(s).append(':');
        }
        text.setLength(text.length() - 1);
        assertEquals(BookChecksum.of(text.toString()), new BookChecksum().compute(px, sz, 25, px, sz, 25, 18, 18));
    }

    // ------------------------------------------------------------------ DepthSnapshot

    @Test
    void depthSnapshotCapturesLevelsCountsAndSeqId() {
        Asset eth = new Asset(0, "ETH", 8);
        Asset usd = new Asset(1, "USD", 2);
        // tick 0.1 x lot 1 = 0.1 USD: exact at scale 2
        Instrument ins = Instrument.builder("ETH-USD", eth, usd).tickSize("0.1").lotSize("1").minSize("1")
                .maxSize("100").build();
        InMemoryBalances bal = new InMemoryBalances(2);
        bal.deposit(1, 0, 1_000_000_000_000L);
        bal.deposit(1, 1, 1_000_000_000L);
        bal.deposit(2, 0, 1_000_000_000_000L);
        bal.deposit(2, 1, 1_000_000_000L);
        MatchingEngine e = new MatchingEngine(bal, null);
        int s = e.addInstrument(ins);
        Command c = new Command();
        long one = 100_000_000L; // 1 ETH
        // bids: 3366.1 x (3 + 4), 3366 x 6; asks: 3366.8 x 9, 3368 x 8
        assertNull(e.execute(c.place(1, s, Side.BUY, OrderType.LIMIT, 33_661, 3 * one, null, null, 1)));
        assertNull(e.execute(c.place(2, s, Side.BUY, OrderType.LIMIT, 33_661, 4 * one, null, null, 2)));
        assertNull(e.execute(c.place(1, s, Side.BUY, OrderType.LIMIT, 33_660, 6 * one, null, null, 3)));
        assertNull(e.execute(c.place(2, s, Side.SELL, OrderType.LIMIT, 33_680, 8 * one, null, null, 4)));
        assertNull(e.execute(c.place(1, s, Side.SELL, OrderType.LIMIT, 33_668, 9 * one, null, null, 5)));

        DepthSnapshot snap = new DepthSnapshot(5).capture(e.book(s));
        assertEquals(2, snap.bidLevels());
        assertEquals(2, snap.askLevels());
        assertEquals(33_661, snap.bidPrice(0));
        assertEquals(7 * one, snap.bidSize(0));
        assertEquals(2, snap.bidOrders(0));
        assertEquals(33_660, snap.bidPrice(1));
        assertEquals(6 * one, snap.bidSize(1));
        assertEquals(1, snap.bidOrders(1));
        assertEquals(33_668, snap.askPrice(0)); // best ask first even though it arrived last
        assertEquals(9 * one, snap.askSize(0));
        assertEquals(1, snap.askOrders(0));
        assertEquals(33_680, snap.askPrice(1));
        assertEquals(8 * one, snap.askSize(1));
        assertEquals(5, snap.seqId()); // five commands, each changed the book once
        assertEquals(OKX_CHECKSUM_1, snap.checksum(1, 8));

        // a later capture into the same snapshot reflects the new book
        assertNull(e.execute(c.cancel(1, s, 3, null, 6))); // the 3366 bid
        snap.capture(e.book(s));
        assertEquals(1, snap.bidLevels());
        assertEquals(6, snap.seqId());
        assertEquals(BookChecksum.of("3366.1:7:3366.8:9:3368:8"), snap.checksum(1, 8));
    }

    @Test
    void depthSnapshotKeepsOnlyMaxLevels() {
        Asset eth = new Asset(0, "ETH", 8);
        Asset usd = new Asset(1, "USD", 2);
        Instrument ins = Instrument.builder("ETH-USD", eth, usd).tickSize("1").lotSize("1").minSize("1")
                .maxSize("100").build();
        InMemoryBalances bal = new InMemoryBalances(2);
        bal.deposit(1, 1, 1_000_000_000L);
        MatchingEngine e = new MatchingEngine(bal, null);
        int s = e.addInstrument(ins);
        Command c = new Command();
        for (int i = 1; i <= 4; i++) {
            assertNull(e.execute(c.place(1, s, Side.BUY, OrderType.LIMIT, 100 + i, 100_000_000L, null, null, i)));
        }
        DepthSnapshot snap = new DepthSnapshot(2).capture(e.book(s));
        assertEquals(2, snap.bidLevels());
        assertEquals(0, snap.askLevels());
        assertEquals(104, snap.bidPrice(0));
        assertEquals(103, snap.bidPrice(1));
        assertEquals(BookChecksum.of("104:1:103:1"), snap.checksum(0, 8));
    }
}
