package dev.bourse.server.marketdata;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * OKX candlestick bars. Bars up to 4H start on UTC boundaries; without the {@code utc} suffix, bars from
 * 6H up open at Hong Kong time (UTC+8), as OKX's {@code 6H/12H/1D/2D/3D/1W/1M} do. Weeks start on Monday,
 * months on the 1st; multi-day bars count whole days from the epoch in their time zone.
 */
public enum Bar {
    M1("1m", 60_000L, 0), M3("3m", 180_000L, 0), M5("5m", 300_000L, 0), M15("15m", 900_000L, 0),
    M30("30m", 1_800_000L, 0), H1("1H", 3_600_000L, 0), H2("2H", 7_200_000L, 0), H4("4H", 14_400_000L, 0),
    H6("6H", 21_600_000L, 8), H12("12H", 43_200_000L, 8), D1("1D", 86_400_000L, 8), D2("2D", 172_800_000L, 8),
    D3("3D", 259_200_000L, 8), W1("1W", 604_800_000L, 8), MO1("1M", 0, 8),
    H6_UTC("6Hutc", 21_600_000L, 0), H12_UTC("12Hutc", 43_200_000L, 0), D1_UTC("1Dutc", 86_400_000L, 0),
    D2_UTC("2Dutc", 172_800_000L, 0), D3_UTC("3Dutc", 259_200_000L, 0), W1_UTC("1Wutc", 604_800_000L, 0),
    MO1_UTC("1Mutc", 0, 0);

    private static final long HOUR = 3_600_000L;
    /** 1970-01-05, the first Monday after the epoch (a Thursday). */
    private static final long FIRST_MONDAY = 4 * 86_400_000L;
    private static final Map<String, Bar> BY_NAME = new HashMap<>();

    static {
        for (Bar b : values()) {
            BY_NAME.put(b.okx, b);
        }
    }

    private final String okx;
    private final long millis;   // 0 = calendar month
    private final long offset;   // time zone offset in ms (UTC+8 or 0)

    Bar(String okx, long millis, int offsetHours) {
        this.okx = okx;
        this.millis = millis;
        this.offset = offsetHours * HOUR;
    }

    public String okx() {
        return okx;
    }

    /** The bar named {@code okx} ("1m", "1Dutc" …), or null. */
    public static Bar of(String okx) {
        return okx == null ? null : BY_NAME.get(okx);
    }

    /** Opening time of the bar that contains {@code ts}. */
    public long start(long ts) {
        long local = ts + offset;
        if (millis == 0) {
            LocalDateTime d = LocalDateTime.ofInstant(Instant.ofEpochMilli(local), ZoneOffset.UTC);
            LocalDateTime first = d.toLocalDate().withDayOfMonth(1).atStartOfDay();
            return first.toInstant(ZoneOffset.UTC).toEpochMilli() - offset;
        }
        long anchor = this == W1 || this == W1_UTC ? FIRST_MONDAY : 0;
        return Math.floorDiv(local - anchor, millis) * millis + anchor - offset;
    }

    /** Opening time of the bar after the one that opened at {@code start}. */
    public long next(long start) {
        if (millis == 0) {
            LocalDateTime d = LocalDateTime.ofInstant(Instant.ofEpochMilli(start + offset), ZoneOffset.UTC);
            return d.plusMonths(1).toInstant(ZoneOffset.UTC).toEpochMilli() - offset;
        }
        return start + millis;
    }
}
