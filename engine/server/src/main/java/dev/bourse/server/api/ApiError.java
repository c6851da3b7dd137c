package dev.bourse.server.api;

/** A trader-API request refused with OKX's {@code code}/{@code msg} and HTTP status; nothing changed. */
public final class ApiError extends RuntimeException {
    private final String code;
    private final int status;

    public ApiError(int status, String code, String msg) {
        super(msg, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public static ApiError empty(String param) {
        return new ApiError(400, "50014", "Parameter " + param + " can not be empty.");
    }

    public static ApiError bad(String param) {
        return new ApiError(400, "51000", "Parameter " + param + " error");
    }

    public static ApiError unknownInstrument() {
        return new ApiError(200, "51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist.");
    }

    public static ApiError unavailable() {
        return new ApiError(503, "50001", "Service temporarily unavailable. Please try again later.");
    }
}
