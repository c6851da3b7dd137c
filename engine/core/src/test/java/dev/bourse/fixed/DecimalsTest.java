package dev.bourse.fixed;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class DecimalsTest {

    // ------------------------------------------------------------------ parse

    @Test
    void parseScalesExactly() {
        assertEquals(125_000_000L, Decimals.parse("1.25", 8)); // 1.25 * 10^8
        assertEquals(1_000L, Decimals.parse("0.00001", 8)); // 10^-5 * 10^8
        assertEquals(84769L, Decimals.parse("8476.9", 1));
        assertEquals(415L, Decimals.parse("415", 0));
        assertEquals(0L, Decimals.parse("0", 6));
        assertEquals(7L, Decimals.parse("0.000007", 6));
        assertEquals(3_000_000L, Decimals.parse("3", 6));
    }

    @Test
    void parseAcceptsAPointWithDigitsOnOneSideOnly() {
        assertEquals(50L, Decimals.parse(".5", 2));
        assertEquals(100L, Decimals.parse("1.", 2));
    }

    @Test
    void parseAcceptsSigns() {
        assertEquals(-300L, Decimals.parse("-3", 2));
        assertEquals(-1L, Decimals.parse("-0.0001", 4));
        assertEquals(300L, Decimals.parse("+3", 2));
        assertEquals(0L, Decimals.parse("-0", 2));
    }

    @Test
    void parseAcceptsTrailingZerosBeyondTheScale() {
        assertEquals(150L, Decimals.parse("1.50000", 2)); // the extra zeros change nothing
        assertEquals(1L, Decimals.parse("0.10", 1));
        assertEquals(7L, Decimals.parse("7.000", 0));
    }

    @Test
    void parseRejectsMoreDecimalsThanTheScale() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1.001", 2));
        assertTrue(e.getMessage().contains("more than 2 decimal places"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1.5001", 2)); // non-zero after zeros
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("0.1", 0));
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("0.000000001", 8));
    }

    @Test
    void parseRejectsGarbage() {
        for (String bad : new String[]{"", "-", "+", ".", "-.", "1.2.3", "1,5", " 1", "1 ", "1e5", "0x10", "abc",
                "--1", "+-1", "1-", "NaN", "Infinity", "\u0661"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Decimals.parse(bad, 4),
                    () -> "accepted '" + bad + "'");
            assertNotNull(e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse(null, 4));
    }

    @Test
    void parseRejectsOverflowWithIllegalArgument() {
        // 2^63 - 1 = 9223372036854775807 is the largest long
        assertEquals(Long.MAX_VALUE, Decimals.parse("9223372036854775807", 0));
        assertEquals(Long.MAX_VALUE, Decimals.parse("922337203.6854775807", 10));
        assertEquals(-Long.MAX_VALUE, Decimals.parse("-9223372036854775807", 0));
        // too large once scaled: 10 * 10^18 > 2^63
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("10", 18));
        // too large while reading the digits (the javadoc promises IllegalArgumentException for overflow)
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("9223372036854775808", 0));
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("99999999999999999999999", 0));
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("-99999999999999999999.5", 1));
    }

    @Test
    void parseRejectsAScaleOutsideZeroToEighteen() {
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1", -1));
        assertThrows(IllegalArgumentException.class, () -> Decimals.parse("1", 19));
        assertEquals(1_000_000_000_000_000_000L, Decimals.parse("1", 18));
    }

    @Test
    void ofBigDecimalIsExactOrRejected() {
        assertEquals(12_345L, Decimals.of(new BigDecimal("1.2345"), 4));
        assertEquals(12_345_000L, Decimals.of(new BigDecimal("1.2345"), 7));
        assertEquals(1L, Decimals.of(new BigDecimal("0.1000"), 1));
        assertThrows(IllegalArgumentException.class, () -> Decimals.of(new BigDecimal("1.23456"), 4));
        assertThrows(IllegalArgumentException.class, () -> Decimals.of(new BigDecimal("1e30"), 0));
    }

    @Test
    void pow10() {
        assertEquals(1L, Decimals.pow10(0));
        assertEquals(100_000_000L, Decimals.pow10(8));
        assertEquals(1_000_000_000_000_000_000L, Decimals.pow10(18));
        assertThrows(IllegalArgumentException.class, () -> Decimals.pow10(19));
        assertThrows(IllegalArgumentException.class, () -> Decimals.pow10(-1));
    }

    // ------------------------------------------------------------------ format

    @Test
    void formatIsCanonical() {
        assertEquals("8476.9", Decimals.format(84769L, 1));
        assertEquals("415", Decimals.format(41_500L, 2)); // no ".00"
        assertEquals("0.0001", Decimals.format(1L, 4)); // leading fractional zeros kept
        assertEquals("0.0001", Decimals.format(10_000L, 8));
        assertEquals("1.5", Decimals.format(150_000_000L, 8)); // trailing zeros dropped
        assertEquals("0", Decimals.format(0L, 8));
        assertEquals("12", Decimals.format(12L, 0));
        assertEquals("1.000001", Decimals.format(1_000_001L, 6));
    }

    @Test
    void formatNegative() {
        assertEquals("-0.5", Decimals.format(-5L, 1));
        assertEquals("-3", Decimals.format(-300L, 2));
        assertEquals("-0.0001", Decimals.format(-1L, 4));
        assertEquals("-92233720368547758.08", Decimals.format(Long.MIN_VALUE, 2));
        assertEquals("-9223372036854775808", Decimals.format(Long.MIN_VALUE, 0));
    }

    @Test
    void formatExtremes() {
        assertEquals("9223372036854775807", Decimals.format(Long.MAX_VALUE, 0));
        assertEquals("9.223372036854775807", Decimals.format(Long.MAX_VALUE, 18));
        assertEquals("0.000000000000000001", Decimals.format(1L, 18));
    }

    @Test
    void formatRoundTripsThroughParse() {
        long[] values = {0, 1, 9, 10, 99, 100, 101, 12_345_678, 100_000_000, 100_000_001, Long.MAX_VALUE, -7, -1_000};
        for (int scale = 0; scale <= 18; scale++) {
            for (long v : values) {
                String text = Decimals.format(v, scale);
                assertEquals(v, Decimals.parse(text, scale), text + " at scale " + scale);
                assertEquals(0, new BigDecimal(text).compareTo(BigDecimal.valueOf(v, scale)), text);
            }
        }
    }

    @Test
    void appendAppendsToExistingText() {
        StringBuilder sb = new StringBuilder("px=");
        assertSame(sb, Decimals.append(sb, 1005L, 1));
        assertEquals("px=100.5", sb.toString());
    }

    // ------------------------------------------------------------------ writeAscii

    @Test
    void writeAsciiMatchesFormat() {
        long[] values = {0, 1, 5, 10, 123, 1_000, 1_000_001, 84769, 99_999_999, 100_000_000, 123_456_789_012L,
                999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE};
        byte[] buf = new byte[64];
        for (int scale = 0; scale <= 18; scale++) {
            for (long v : values) {
                buf[0] = 'X';
                int end = Decimals.writeAscii(v, scale, buf, 1);
                String written = new String(buf, 1, end - 1, StandardCharsets.US_ASCII);
                assertEquals(Decimals.format(v, scale), written, v + " at scale " + scale);
                assertEquals('X', buf[0], "wrote before pos");
            }
        }
    }

    @Test
    void writeAsciiReturnsThePositionAfterTheText() {
        byte[] buf = new byte[16];
        int pos = Decimals.writeAscii(33661L, 1, buf, 0); // "3366.1"
        assertEquals(6, pos);
        pos = Decimals.writeAscii(7L, 0, buf, pos); // "7"
        assertEquals("3366.17", new String(buf, 0, pos, StandardCharsets.US_ASCII));
    }

    @Test
    void writeAsciiRejectsNegatives() {
        assertThrows(IllegalArgumentException.class, () -> Decimals.writeAscii(-1L, 2, new byte[32], 0));
    }

    // ------------------------------------------------------------------ scaleOf

    @Test
    void scaleOfIgnoresTrailingZeros() {
        assertEquals(2, Decimals.scaleOf("0.010"));
        assertEquals(1, Decimals.scaleOf("0.1"));
        assertEquals(1, Decimals.scaleOf("0.10000"));
        assertEquals(0, Decimals.scaleOf("1"));
        assertEquals(0, Decimals.scaleOf("100"));
        assertEquals(0, Decimals.scaleOf("5.000"));
        assertEquals(8, Decimals.scaleOf("0.00000001"));
    }

    @Test
    void toBigDecimal() {
        assertEquals(new BigDecimal("1.05"), Decimals.toBigDecimal(105, 2));
    }
}
