package dev.bourse.server.wallet;

/**
 * A wallet request refused before it changed anything: OKX's {@code code} (58xxx where OKX has one,
 * 51000/50014 for parameters), a message for the trader or operator, the HTTP status OKX would answer
 * and the {@code reason} tag of {@code bourse_wallet_refusals_total}.
 */
public final class WalletRefusal extends RuntimeException {
    private final String code;
    private final String reason;
    private final int status;

    public WalletRefusal(int status, String code, String reason, String msg) {
        super(msg, null, false, false);
        this.status = status;
        this.code = code;
        this.reason = reason;
    }

    public String code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public int status() {
        return status;
    }
}
