package dev.bourse.fixed;

import java.math.BigDecimal;

/**
 * Exact conversions between decimal text and scaled {@code long}s. Money never passes through
 * floating point: a value that does not fit the scale or the range is rejected, never rounded.
 */
public final class Decimals {
    private static final long[] POW10 = new long[19];

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private Decimals() {
    }

    /** 10^n for 0 ≤ n ≤ 18. */
    public static long pow10(int n) {
        if (n < 0 || n >= POW10.length) {
            throw new IllegalArgumentException("scale out of range 0..18: " + n);
        }
        return POW10[n];
    }

    /**
     * Parses a plain decimal ("12.5", "0.001", "-3") into units of 10^-scale.
     *
     * @throws IllegalArgumentException when the text is not a plain decimal, has more fractional
     *                                  digits than {@code scale} (other than trailing zeros) or overflows
     */
    public static long parse(CharSequence text, int scale) {
        pow10(scale);
        int n = text == null ? 0 : text.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty number");
        }
        int i = 0;
        boolean negative = false;
        char c0 = text.charAt(0);
        if (c0 == '-' || c0 == '+') {
            negative = c0 == '-';
            i = 1;
        }
        long value = 0;
        int fraction = -1; // digits seen after the point, -1 before the point
        boolean digits = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (fraction >= 0) {
                    throw new IllegalArgumentException("not a plain decimal: " + text);
                }
                fraction = 0;
                continue;
            }
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a plain decimal: " + text);
            }
            digits = true;
            int d = c - '0';
            if (fraction >= 0) {
                if (fraction == scale) {
                    if (d != 0) {
                        throw new IllegalArgumentException("more than " + scale + " decimal places: " + text);
                    }
                    continue; // trailing zero beyond the scale: exact
                }
                fraction++;
            }
            if (value > (Long.MAX_VALUE - d) / 10) {
                throw new IllegalArgumentException("out of range: " + text);
            }
            value = value * 10 + d;
        }
        if (!digits) {
            throw new IllegalArgumentException("not a plain decimal: " + text);
        }
        int missing = scale - Math.max(fraction, 0);
        try {
            value = Math.multiplyExact(value, POW10[missing]);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("out of range: " + text);
        }
        return negative ? -value : value;
    }

    /** Exact conversion of a {@link BigDecimal} (API edge) to units of 10^-scale. */
    public static long of(BigDecimal value, int scale) {
        try {
            return value.setScale(scale).unscaledValue().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("not exact at scale " + scale + " or out of range: " + value.toPlainString());
        }
    }

    public static BigDecimal toBigDecimal(long units, int scale) {
        return BigDecimal.valueOf(units, scale);
    }

    /** Canonical text: plain, no exponent, no trailing fractional zeros ("8476.9", "415", "0.0001"). */
    public static String format(long units, int scale) {
        StringBuilder sb = new StringBuilder(24);
        append(sb, units, scale);
        return sb.toString();
    }

    public static StringBuilder append(StringBuilder sb, long units, int scale) {
        if (units < 0) {
            sb.append('-');
            if (units == Long.MIN_VALUE) {
                return sb.append(BigDecimal.valueOf(units, scale).negate().stripTrailingZeros().toPlainString());
            }
            units = -units;
        }
        long p = pow10(scale);
        long whole = units / p;
        long frac = units % p;
        sb.append(whole);
        if (frac != 0) {
            int digits = scale;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            sb.append('.');
            String f = Long.toString(frac);
            for (int i = f.length(); i < digits; i++) {
                sb.append('0');
            }
            sb.append(f);
        }
        return sb;
    }

    /**
     * Writes the canonical text of {@code units} as ASCII into {@code buf} at {@code pos}; returns the
     * new position. Allocation-free twin of {@link #format} for checksums.
     */
    public static int writeAscii(long units, int scale, byte[] buf, int pos) {
        if (units < 0) {
            throw new IllegalArgumentException("negative value in book: " + units);
        }
        long p = POW10[scale];
        long whole = units / p;
        long frac = units % p;
        pos = writeDigits(whole, buf, pos);
        if (frac != 0) {
            int digits = scale;
            while (frac % 10 == 0) {
                frac /= 10;
                digits--;
            }
            buf[pos++] = '.';
            int len = digitCount(frac);
            for (int i = len; i < digits; i++) {
                buf[pos++] = '0';
            }
            pos = writeDigits(frac, buf, pos);
        }
        return pos;
    }

    private static int writeDigits(long v, byte[] buf, int pos) {
        int len = digitCount(v);
        int end = pos + len;
        int i = end;
        do {
            buf[--i] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return end;
    }

    private static int digitCount(long v) {
        int len = 1;
        while (len < 19 && v >= POW10[len]) {
            len++;
        }
        return len;
    }

    /** Number of decimal places a decimal text needs once trailing zeros are dropped ("0.010" → 2). */
    public static int scaleOf(String text) {
        BigDecimal d = new BigDecimal(text).stripTrailingZeros();
        return Math.max(d.scale(), 0);
    }
}
