package dev.bourse.server.store;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN} in text format, built in memory and sent in one
 * round trip inside the caller's transaction. For the batch writer's bulk inserts: COPY costs the
 * server far less per row than a multi-row INSERT (no parse or plan, no per-row parameter binding),
 * which is most of a durable batch's time. PostgreSQL only; H2 keeps JDBC batches.
 *
 * <p>Values are escaped as the text format requires (backslash, tab, newline, carriage return);
 * {@code null} is {@code \N}. A string holding a NUL character cannot be stored by PostgreSQL and is
 * refused here rather than by the server.
 */
public final class CopyRows {
    private final String copySql;
    private final StringBuilder rows = new StringBuilder(4096);
    private boolean lineStart = true;
    private int count;

    /** {@code table} with its column list, e.g. {@code "fills (trade_id, px)"}. */
    public CopyRows(String tableAndColumns) {
        this.copySql = "COPY " + tableAndColumns + " FROM STDIN";
    }

    public CopyRows add(long v) {
        sep();
        rows.append(v);
        return this;
    }

    public CopyRows add(Long v) {
        return v == null ? addNull() : add(v.longValue());
    }

    public CopyRows add(String v) {
        if (v == null) {
            return addNull();
        }
        sep();
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                case '\0' -> throw new IllegalArgumentException("a NUL character cannot be stored: " + copySql);
                default -> rows.append(ch);
            }
        }
        return this;
    }

    public CopyRows addNull() {
        sep();
        rows.append("\\N");
        return this;
    }

    /** Ends the current row. */
    public CopyRows endRow() {
        rows.append('\n');
        lineStart = true;
        count++;
        return this;
    }

    /** The rows as they will be sent. */
    String text() {
        return rows.toString();
    }

    public int rowCount() {
        return count;
    }

    /** Sends the rows on {@code c} (a PostgreSQL connection, possibly pooled); returns the rows copied. */
    public long copyTo(Connection c) throws SQLException {
        if (count == 0) {
            return 0;
        }
        if (!lineStart) {
            throw new IllegalStateException("unfinished row in " + copySql);
        }
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY failed: " + e.getMessage(), e);
        }
    }

    private void sep() {
        if (!lineStart) {
            rows.append('\t');
        }
        lineStart = false;
    }
}
