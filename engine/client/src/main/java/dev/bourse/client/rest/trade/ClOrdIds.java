package dev.bourse.client.rest.trade;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Client order ids: OKX accepts 1–32 ASCII letters and digits, unique per account. A {@code clOrdId} is the
 * idempotency key of an order — when a place-order's outcome is unknown, the order is looked up by it instead of
 * being sent blindly again (see {@link OrderReconciler}).
 *
 * <p>{@link #next} gives {@code prefix + time + session + counter} in base 36: the time (ms) and a random session
 * part keep ids of different processes and restarts apart, the counter those of one process; at most 32 characters.
 */
public final class ClOrdIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final int MAX_PREFIX = 8;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ClOrdIds DEFAULT = new ClOrdIds("");

    private final String prefix;
    private final String session;
    private final AtomicLong counter = new AtomicLong();

    /** @param prefix 0–8 letters or digits marking this client's orders (e.g. a strategy name) */
    public ClOrdIds(String prefix) {
        if (prefix == null || prefix.length() > MAX_PREFIX || !(prefix.isEmpty() || VALID.matcher(prefix).matches())) {
            throw new IllegalArgumentException("clOrdId prefix must be 0-" + MAX_PREFIX + " letters or digits: " + prefix);
        }
        this.prefix = prefix;
        StringBuilder s = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        this.session = s.toString();
    }

    /** A new id from a process-wide generator without prefix. */
    public static String generate() {
        return DEFAULT.next();
    }

    /** A new id, unique within this generator and (by time and session) across processes. */
    public String next() {
        // the counter wraps at 36^6 (2.2 billion) ids per millisecond-prefix: far beyond any order rate
        long n = counter.getAndIncrement() % 2_176_782_336L;
        return prefix + Long.toString(System.currentTimeMillis(), 36) + session + Long.toString(n, 36);
    }

    public static boolean isValid(String clOrdId) {
        return clOrdId != null && VALID.matcher(clOrdId).matches();
    }

    /** {@code clOrdId} if it is valid; an {@link IllegalArgumentException} naming the rule otherwise. */
    public static String check(String clOrdId) {
        if (!isValid(clOrdId)) {
            throw new IllegalArgumentException("clOrdId must be 1-32 letters or digits: " + clOrdId);
        }
        return clOrdId;
    }
}
