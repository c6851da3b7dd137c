package dev.bourse.client.error;

import java.time.Duration;
import java.util.List;

/**
 * The exchange answered, and the answer is an error: a non-2xx HTTP status or an envelope {@code code} other than
 * {@code "0"}. The request was processed as far as the exchange says; {@link #requestId} (the response header
 * {@code x-request-id}) finds it in the exchange's logs.
 *
 * <p>For order operations OKX answers {@code code} 1 (all items failed) or 2 (some failed) with the reason per item:
 * {@link #items} holds every item of the answer, successful ones included, and {@link #sCode} is the first failed
 * item's code, so a single {@code trade/order} rejection reads as {@code e.sCode() == "51008"}.
 */
public final class ApiException extends OkxClientException {
    private final int httpStatus;
    private final String requestId;
    private final String code;
    private final String msg;
    private final String body;
    private final List<ItemResult> items;

    public ApiException(int httpStatus, String method, String path, String requestId, String code, String msg, String body,
                        List<ItemResult> items, int attempt, Duration elapsed) {
        super(describe(httpStatus, method, path, requestId, code, msg, items), null, method, path, attempt, elapsed);
        this.httpStatus = httpStatus;
        this.requestId = requestId;
        this.code = code == null ? "" : code;
        this.msg = msg == null ? "" : msg;
        this.body = body == null ? "" : body;
        this.items = items == null ? List.of() : List.copyOf(items);
    }

    private static String describe(int status, String method, String path, String requestId, String code, String msg,
                                   List<ItemResult> items) {
        StringBuilder sb = new StringBuilder().append(method).append(' ').append(path).append(": HTTP ").append(status)
                .append(" code=").append(code).append(" msg=").append(msg);
        if (items != null) {
            for (ItemResult i : items) {
                if (!i.ok()) {
                    sb.append(" [").append(i.index()).append("] sCode=").append(i.sCode()).append(" sMsg=").append(i.sMsg());
                }
            }
        }
        return sb.append(" requestId=").append(requestId).toString();
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The response header {@code x-request-id}; null when the server sent none. */
    public String requestId() {
        return requestId;
    }

    /** The envelope's {@code code} ("" when the body was not OKX's envelope, e.g. a proxy's HTML error page). */
    public String code() {
        return code;
    }

    public String msg() {
        return msg;
    }

    /** The raw response body. */
    public String body() {
        return body;
    }

    /** Every item of an order operation's answer (empty for other endpoints). */
    public List<ItemResult> items() {
        return items;
    }

    /** The items that failed. */
    public List<ItemResult> failedItems() {
        return items.stream().filter(i -> !i.ok()).toList();
    }

    /** The first failed item's {@code sCode}, else the envelope's {@code code}. */
    public String sCode() {
        for (ItemResult i : items) {
            if (!i.ok()) {
                return i.sCode();
            }
        }
        return code;
    }

    /** The first failed item's {@code sMsg}, else the envelope's {@code msg}. */
    public String sMsg() {
        for (ItemResult i : items) {
            if (!i.ok()) {
                return i.sMsg();
            }
        }
        return msg;
    }

    /** {@code code} 2: some items of a batch succeeded (see {@link #items}). */
    public boolean partial() {
        return "2".equals(code);
    }
}
