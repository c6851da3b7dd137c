package dev.bourse.server.auth;

/** A refused API-key management request, in OKX's terms ({@code code}, {@code msg}); it changed nothing. */
public final class ApiKeyRequestException extends RuntimeException {
    private final String code;

    public ApiKeyRequestException(String code, String msg) {
        super(msg, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    static ApiKeyRequestException parameter(String name) {
        return new ApiKeyRequestException("51000", "Parameter " + name + " error");
    }

    static ApiKeyRequestException empty(String name) {
        return new ApiKeyRequestException("50014", "Parameter " + name + " can not be empty.");
    }
}
