package dev.bourse.client.ws;

/**
 * The server answered a request with an error event ({@code {"event":"error","code":…}}): it was refused before
 * anything was executed (malformed request, unknown op, not logged in …).
 */
public class WsErrorException extends WsException {
    private final String code;

    public WsErrorException(String code, String message) {
        super(code + " " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
