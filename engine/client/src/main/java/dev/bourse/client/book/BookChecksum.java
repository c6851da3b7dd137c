package dev.bourse.client.book;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * OKX's order-book checksum: CRC32 (IEEE) of the UTF-8 string of the top 25 levels interleaved
 * {@code bidPx:bidSz:askPx:askSz:…} (bids best first, asks best first; a side with fewer levels is skipped where it
 * runs out), prices and sizes exactly as sent, read as a signed 32-bit integer.
 */
public final class BookChecksum {
    public static final int LEVELS = 25;

    private BookChecksum() {
    }

    /** The checksum string of the top {@value #LEVELS} levels. */
    public static String text(List<PriceLevel> bidsBestFirst, List<PriceLevel> asksBestFirst) {
        StringBuilder sb = new StringBuilder(LEVELS * 40);
        for (int i = 0; i < LEVELS; i++) {
            if (i < bidsBestFirst.size()) {
                append(sb, bidsBestFirst.get(i));
            }
            if (i < asksBestFirst.size()) {
                append(sb, asksBestFirst.get(i));
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, PriceLevel l) {
        if (!sb.isEmpty()) {
            sb.append(':');
        }
        sb.append(l.pxText()).append(':').append(l.szText());
    }

    /** CRC32 of {@code text} as a signed int. */
    public static int crc32(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    public static int of(List<PriceLevel> bidsBestFirst, List<PriceLevel> asksBestFirst) {
        return crc32(text(bidsBestFirst, asksBestFirst));
    }
}
