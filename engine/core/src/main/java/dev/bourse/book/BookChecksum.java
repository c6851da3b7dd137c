package dev.bourse.book;

import dev.bourse.fixed.Decimals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * OKX order-book checksum: CRC32 (IEEE) over the UTF-8 text of the top 25 levels interleaved as
 * {@code bidPx:bidSz:askPx:askSz:...} (bids descending, asks ascending; when one side runs out the
 * other continues alone), as a signed 32-bit integer. Prices and sizes must be written exactly as they
 * are sent; Bourse sends the canonical form of {@link Decimals#format}.
 *
 * <p>One instance owns a scratch buffer: not thread-safe, allocation-free per call.
 */
public final class BookChecksum {
    public static final int LEVELS = 25;

    private final CRC32 crc = new CRC32();
    private byte[] buf = new byte[LEVELS * 2 * 2 * 21 + 64];

    /**
     * Checksum of scaled levels, best first. {@code bidCount}/{@code askCount} may exceed 25; only the
     * top 25 of each side count.
     */
    public int compute(long[] bidPx, long[] bidSz, int bidCount, long[] askPx, long[] askSz, int askCount,
                       int priceScale, int sizeScale) {
        int nb = Math.min(bidCount, LEVELS);
        int na = Math.min(askCount, LEVELS);
        int pos = 0;
        for (int i = 0; i < Math.max(nb, na); i++) {
            if (i < nb) {
                pos = field(bidPx[i], priceScale, pos);
                pos = field(bidSz[i], sizeScale, pos);
            }
            if (i < na) {
                pos = field(askPx[i], priceScale, pos);
                pos = field(askSz[i], sizeScale, pos);
            }
        }
        crc.reset();
        crc.update(buf, 0, Math.max(pos - 1, 0)); // drop the trailing ':'
        return (int) crc.getValue();
    }

    private int field(long units, int scale, int pos) {
        if (buf.length - pos < 24) {
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        }
        pos = Decimals.writeAscii(units, scale, buf, pos);
        buf[pos++] = ':';
        return pos;
    }

    /**
     * Checksum of levels given as the strings that were sent, each level {@code [px, sz, ...]}, best
     * first. This is what a client verifies.
     */
    public static int compute(List<? extends List<String>> bids, List<? extends List<String>> asks) {
        StringBuilder sb = new StringBuilder(1024);
        int nb = Math.min(bids.size(), LEVELS);
        int na = Math.min(asks.size(), LEVELS);
        for (int i = 0; i < Math.max(nb, na); i++) {
            if (i < nb) {
                sb.append(bids.get(i).get(0)).append(':').append(bids.get(i).get(1)).append(':');
            }
            if (i < na) {
                sb.append(asks.get(i).get(0)).append(':').append(asks.get(i).get(1)).append(':');
            }
        }
        if (!sb.isEmpty()) {
            sb.setLength(sb.length() - 1);
        }
        return of(sb.toString());
    }

    /** CRC32 of {@code text} as a signed 32-bit integer. */
    public static int of(String text) {
        CRC32 c = new CRC32();
        c.update(text.getBytes(StandardCharsets.UTF_8));
        return (int) c.getValue();
    }
}
