package dev.bourse.client.error;

import java.time.Duration;

/**
 * Every failure of a REST call made through the SDK: either the exchange answered ({@link ApiException}) or it did
 * not ({@link RequestStateException}). Both carry what the runbook's evidence list asks for: method, path, the
 * attempt that failed (0 = first, {@code retryIndex}) and the time spent in the call so far.
 */
public abstract sealed class OkxClientException extends RuntimeException permits ApiException, RequestStateException {
    private final String method;
    private final String path;
    private final int attempt;
    private final Duration elapsed;

    protected OkxClientException(String message, Throwable cause, String method, String path, int attempt,
                                 Duration elapsed) {
        super(message, cause);
        this.method = method;
        this.path = path;
        this.attempt = attempt;
        this.elapsed = elapsed == null ? Duration.ZERO : elapsed;
    }

    /** {@code GET} or {@code POST}. */
    public String method() {
        return method;
    }

    /** The endpoint path without query, e.g. {@code /api/v5/trade/order}. */
    public String path() {
        return path;
    }

    /** Which attempt failed: 0 for the first, n for the n-th retry (only idempotent GETs are retried). */
    public int attempt() {
        return attempt;
    }

    /** Time from the start of the call (gate wait included) to this failure. */
    public Duration elapsed() {
        return elapsed;
    }
}
