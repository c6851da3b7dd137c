package dev.bourse.client.rest;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-call settings. The deadline covers everything: waiting in the gate, every attempt and the pauses between
 * them. Unset values fall back to the client's ({@code ClientConfig.requestTimeout}, {@code ClientConfig.retry}).
 *
 * @param timeout  from the start of the call, or null
 * @param deadline wall-clock deadline, or null (the earlier of the two applies)
 * @param retry    retry policy for GETs, or null
 */
public record RequestOptions(Duration timeout, Instant deadline, RetryPolicy retry) {
    public static final RequestOptions DEFAULT = new RequestOptions(null, null, null);

    public static RequestOptions timeout(Duration timeout) {
        return new RequestOptions(timeout, null, null);
    }

    public static RequestOptions deadline(Instant deadline) {
        return new RequestOptions(null, deadline, null);
    }

    public RequestOptions withTimeout(Duration t) {
        return new RequestOptions(t, deadline, retry);
    }

    public RequestOptions withDeadline(Instant d) {
        return new RequestOptions(timeout, d, retry);
    }

    public RequestOptions withRetry(RetryPolicy r) {
        return new RequestOptions(timeout, deadline, r);
    }
}
