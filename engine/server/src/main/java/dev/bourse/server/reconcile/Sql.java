package dev.bourse.server.reconcile;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Read helpers for the checks: every query streams its rows instead of loading them. */
final class Sql {
    /**
     * Rows fetched per round trip. On PostgreSQL a fetch size inside a transaction makes the driver use
     * a cursor, so a query over millions of orders never materialises its result in memory.
     */
    private static final int FETCH_SIZE = 10_000;

    @FunctionalInterface
    interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private Sql() {
    }

    static void forEachRow(Connection c, String sql, RowHandler handler) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }

    /**
     * A SUM over BIGINT columns as plain digits. Both databases widen such sums to NUMERIC, so a
     * corrupted total beyond the range of a long is still reported rather than failing the run.
     */
    static BigInteger sum(ResultSet rs, int column) throws SQLException {
        BigDecimal v = rs.getBigDecimal(column);
        return v == null ? BigInteger.ZERO : v.toBigInteger();
    }

    /** {@code 'A', 'B'} for an SQL IN list of enum constants (names are identifiers, never user input). */
    static String inList(Enum<?>... values) {
        return Arrays.stream(values).map(v -> "'" + v.name() + "'").collect(Collectors.joining(", "));
    }
}
