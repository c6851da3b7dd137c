package dev.bourse.server.auth;

/**
 * A refused authentication in OKX's terms: the 501xx {@code code}, its {@code msg}, and the HTTP status
 * (401 for every signature/key failure). Carries no stack trace: it is an answer, not a fault.
 */
public final class AuthException extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public AuthException(String code, String msg, int httpStatus) {
        super(msg, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
