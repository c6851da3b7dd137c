package dev.bourse.server.reconcile;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Collects anomalies while the checks stream their results. Every anomaly is counted, but only the
 * first {@code listLimit} of each check are kept: a systematic fault (a bad migration, a buggy
 * release) can break millions of rows, and the report must stay small enough to print and store.
 */
final class Anomalies {
    static final int DEFAULT_LIST_LIMIT = 1_000;

    private final int listLimit;
    private final List<Anomaly> listed = new ArrayList<>();
    private final EnumMap<Check, Long> found = new EnumMap<>(Check.class);

    Anomalies() {
        this(DEFAULT_LIST_LIMIT);
    }

    Anomalies(int listLimit) {
        if (listLimit < 0) {
            throw new IllegalArgumentException("listLimit must be >= 0");
        }
        this.listLimit = listLimit;
        for (Check c : Check.values()) {
            found.put(c, 0L);
        }
    }

    void add(Check check, String subject, Object expected, Object actual) {
        long n = found.merge(check, 1L, Long::sum);
        if (n <= listLimit) {
            listed.add(new Anomaly(check, subject, String.valueOf(expected), String.valueOf(actual)));
        }
    }

    /** The anomalies kept, in the order found. */
    List<Anomaly> listed() {
        return List.copyOf(listed);
    }

    /** Anomalies found per check, listed or not; every check present. */
    Map<Check, Long> found() {
        return new EnumMap<>(found);
    }
}
