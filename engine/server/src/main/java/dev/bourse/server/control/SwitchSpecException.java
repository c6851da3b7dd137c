package dev.bourse.server.control;

/** A switch definition the board refuses, with the OKX-style code to answer. Nothing was changed. */
public final class SwitchSpecException extends Exception {
    private final String code;

    public SwitchSpecException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
