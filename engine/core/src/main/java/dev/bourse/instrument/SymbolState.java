package dev.bourse.instrument;

/** Trading state of a symbol. Cancels are always accepted so users can release held funds. */
public enum SymbolState {
    /** Orders are accepted and matched. */
    TRADING("live"),
    /** Only cancels and size-reducing amends (same price) are accepted; nothing matches. */
    CANCEL_ONLY("cancel_only"),
    /** New orders and amends are rejected, nothing matches; cancels are still accepted. */
    HALTED("suspend");

    private final String okxState;

    SymbolState(String okxState) {
        this.okxState = okxState;
    }

    /** The {@code state} value OKX's {@code public/instruments} uses for this state. */
    public String okxState() {
        return okxState;
    }
}
