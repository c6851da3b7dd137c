package dev.bourse.client.error;

import java.util.Set;

/**
 * Classification of SDK failures, for handling and for dashboards: the runbook's {@code IsRateLimitError} /
 * {@code IsAuthError} plus clock skew and the "sent or not" question. All accept any throwable (false for others).
 */
public final class OkxErrors {
    /** OKX's rate-limit codes: per endpoint (50011) and the account's order rate (50061). */
    public static final Set<String> RATE_LIMIT_CODES = Set.of("50011", "50061");
    /** Timestamp outside the 30 s window (50102) or not ISO-8601 (50112). */
    public static final Set<String> TIME_SKEW_CODES = Set.of("50102", "50112");

    private OkxErrors() {
    }

    /** HTTP 429, or code / item sCode 50011 or 50061. */
    public static boolean isRateLimit(Throwable t) {
        return t instanceof ApiException e && (e.httpStatus() == 429 || hasCode(e, RATE_LIMIT_CODES));
    }

    /** HTTP 401, or code 501xx (signature, key, passphrase, timestamp, IP, permission). */
    public static boolean isAuth(Throwable t) {
        if (!(t instanceof ApiException e)) {
            return false;
        }
        if (e.httpStatus() == 401 || isAuthCode(e.code())) {
            return true;
        }
        return e.items().stream().anyMatch(i -> isAuthCode(i.sCode()));
    }

    /** Code 50102 / 50112: run {@code syncTime()} and send again. */
    public static boolean isTimeSkew(Throwable t) {
        return t instanceof ApiException e && hasCode(e, TIME_SKEW_CODES);
    }

    /** The request never left the SDK: sending it again cannot duplicate anything. */
    public static boolean isNotSent(Throwable t) {
        return t instanceof RequestStateException e && !e.dispatched();
    }

    /** The request may have reached the exchange but no answer came: its outcome is unknown. */
    public static boolean isOutcomeUnknown(Throwable t) {
        return t instanceof RequestStateException e && e.dispatched();
    }

    private static boolean isAuthCode(String code) {
        return code != null && code.length() == 5 && code.startsWith("501");
    }

    private static boolean hasCode(ApiException e, Set<String> codes) {
        if (codes.contains(e.code())) {
            return true;
        }
        return e.items().stream().anyMatch(i -> codes.contains(i.sCode()));
    }
}
