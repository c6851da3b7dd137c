package dev.bourse.server.auth;

/**
 * Every way authentication is refused, with OKX's REST code/message (HTTP 401) and its WebSocket
 * {@code login} counterpart (60xxx). Codes are strings, as OKX sends them.
 */
public enum AuthFailure {
    EMPTY_KEY("50103", "Request header \"OK-ACCESS-KEY\" cannot be empty.", "60027", "Parameter apiKey can not be empty."),
    EMPTY_PASSPHRASE("50104", "Request header \"OK-ACCESS-PASSPHRASE\" cannot be empty.", "60027",
            "Parameter passphrase can not be empty."),
    EMPTY_SIGN("50106", "Request header \"OK-ACCESS-SIGN\" cannot be empty.", "60027", "Parameter sign can not be empty."),
    EMPTY_TIMESTAMP("50107", "Request header \"OK-ACCESS-TIMESTAMP\" cannot be empty.", "60027",
            "Parameter timestamp can not be empty."),
    INVALID_TIMESTAMP("50112", "Invalid OK-ACCESS-TIMESTAMP.", "60004", "Invalid timestamp"),
    EXPIRED_TIMESTAMP("50102", "Timestamp request expired.", "60006", "Timestamp request expired"),
    /** Not even shaped like a key. */
    INVALID_KEY("50111", "Invalid OK-ACCESS-KEY.", "60005", "Invalid apiKey"),
    /** Well-formed but unknown or revoked (OKX answers a deleted key the same way, with HTTP 401). */
    UNKNOWN_KEY("50119", "API key doesn't exist", "60032", "API key doesn't exist."),
    IP_NOT_ALLOWED("50110", "Your IP %s is not included in your API key's IP whitelist.", "60009", "Login failure"),
    WRONG_PASSPHRASE("50105", "Request header \"OK-ACCESS-PASSPHRASE\" incorrect.", "60024", "Wrong passphrase"),
    INVALID_SIGN("50113", "Invalid signature.", "60007", "Invalid sign"),
    /** The key lacks the permission the endpoint needs (e.g. a read-only key placing an order). */
    NO_PERMISSION("50120", "This API key doesn't have permission to use this function", "50120",
            "This API key doesn't have permission to use this function"),
    /** The store could not be read, or a secret could not be opened: not the client's fault. */
    SYSTEM_ERROR("50026", "System error. Try again later", "63999",
            "Login failed due to internal error. Please try again later.");

    private final String restCode;
    private final String restMsg;
    private final String wsCode;
    private final String wsMsg;

    AuthFailure(String restCode, String restMsg, String wsCode, String wsMsg) {
        this.restCode = restCode;
        this.restMsg = restMsg;
        this.wsCode = wsCode;
        this.wsMsg = wsMsg;
    }

    public String restCode() {
        return restCode;
    }

    public String wsCode() {
        return wsCode;
    }

    public int httpStatus() {
        return this == SYSTEM_ERROR ? 500 : 401;
    }

    /** The REST answer; {@code arg} fills the message's placeholder (the client IP for 50110). */
    public AuthException rest(String arg) {
        return new AuthException(restCode, restMsg.contains("%s") ? restMsg.formatted(arg) : restMsg, httpStatus());
    }

    public AuthException ws() {
        return new AuthException(wsCode, wsMsg, httpStatus());
    }
}
