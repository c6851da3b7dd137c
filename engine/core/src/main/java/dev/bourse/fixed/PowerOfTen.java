package dev.bourse.fixed;

/**
 * Division and remainder by 10^n with n known only at run time. A hardware 64-bit division costs tens
 * of cycles; each case below divides by a constant, which the JIT turns into a multiply and shift.
 * Tick sizes, lot sizes and scale factors are almost always powers of ten, so the hot path uses this.
 */
public final class PowerOfTen {
    private PowerOfTen() {
    }

    /** n if {@code value} is 10^n (0 ≤ n ≤ 18), else -1. */
    public static int exponentOf(long value) {
        long p = 1;
        for (int n = 0; n <= 18; n++) {
            if (p == value) {
                return n;
            }
            p *= 10;
        }
        return -1;
    }

    /** {@code v / 10^n} (truncating, like {@code /}). */
    public static long divide(long v, int n) {
        return switch (n) {
            case 0 -> v;
            case 1 -> v / 10L;
            case 2 -> v / 100L;
            case 3 -> v / 1_000L;
            case 4 -> v / 10_000L;
            case 5 -> v / 100_000L;
            case 6 -> v / 1_000_000L;
            case 7 -> v / 10_000_000L;
            case 8 -> v / 100_000_000L;
            case 9 -> v / 1_000_000_000L;
            case 10 -> v / 10_000_000_000L;
            case 11 -> v / 100_000_000_000L;
            case 12 -> v / 1_000_000_000_000L;
            case 13 -> v / 10_000_000_000_000L;
            case 14 -> v / 100_000_000_000_000L;
            case 15 -> v / 1_000_000_000_000_000L;
            case 16 -> v / 10_000_000_000_000_000L;
            case 17 -> v / 100_000_000_000_000_000L;
            case 18 -> v / 1_000_000_000_000_000_000L;
            default -> throw new IllegalArgumentException("exponent out of range 0..18: " + n);
        };
    }

    /** {@code v % 10^n} (sign of {@code v}, like {@code %}). */
    public static long remainder(long v, int n) {
        return v - divide(v, n) * Decimals.pow10(n);
    }
}
