package dev.bourse.server.store;

import java.sql.SQLException;
import java.util.Set;

/** SQLSTATE codes the store reacts to, looked up anywhere in an exception's cause chain. */
public final class SqlStates {
    public static final String UNIQUE_VIOLATION = "23505";
    /** Another writer got in the way: the transaction can be computed again and retried. */
    public static final Set<String> RETRYABLE = Set.of("40001", "40P01", UNIQUE_VIOLATION, "55P03");

    private SqlStates() {
    }

    public static boolean any(Throwable e, Set<String> states) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && states.contains(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
