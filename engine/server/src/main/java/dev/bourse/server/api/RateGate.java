package dev.bourse.server.api;

import dev.bourse.server.auth.ApiPrincipal;

/**
 * The trader API's rate limits. {@link #acquire} throws {@link ApiError} (HTTP 429 / 50011 for an
 * endpoint limit, 50061 for the account-wide order limit) and otherwise consumes {@code permits}.
 */
public interface RateGate {

    /**
     * @param rule   the endpoint's rule, e.g. {@code trade/order}
     * @param who    the caller, or null for a public endpoint (limited per IP)
     * @param instId the instrument for per-instrument rules, else null
     */
    void acquire(String rule, ApiPrincipal who, String ip, String instId, int permits);

    /**
     * A batch endpoint: {@code ordersByInstId} counts the batch's orders per instrument; all or nothing,
     * the whole batch is refused when any limit would be exceeded.
     */
    void acquireBatch(String rule, ApiPrincipal who, java.util.Map<String, Integer> ordersByInstId);

    /** What {@code trade/account-rate-limit} reports for a user. */
    AccountRate accountRate(ApiPrincipal who);

    record AccountRate(long limit, long nextLimit, long ts) {
    }
}
