package dev.bourse.server.shard;

/**
 * A listing, rule change or move of a symbol that was refused: an OKX-style code ({@code 51000} the
 * request cannot be done as asked, {@code 51001} no such instrument, {@code 50001} not now, try again)
 * and a message saying why. Nothing was changed.
 */
public final class SymbolChangeRefused extends RuntimeException {
    private final String code;

    public SymbolChangeRefused(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
