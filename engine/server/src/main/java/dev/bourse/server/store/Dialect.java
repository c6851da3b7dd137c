package dev.bourse.server.store;

/**
 * The few places where PostgreSQL and H2 differ. Everything else is one SQL text for both.
 */
public enum Dialect {
    POSTGRESQL,
    H2;

    public static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database URL: " + jdbcUrl);
    }

    /** SQL expression for the database clock in epoch milliseconds (one clock for every engine process). */
    public String nowMillis() {
        return switch (this) {
            case POSTGRESQL -> "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
            case H2 -> "DATEDIFF('MILLISECOND', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP(3))";
        };
    }

    /** Next value of a sequence. */
    public String nextValue(String sequence) {
        return "nextval('" + sequence + "')";
    }
}
