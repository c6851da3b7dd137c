package dev.bourse.server.trading;

/**
 * A refused order argument: {@code code} is OKX's ({@code 50014} empty, {@code 51000} malformed,
 * {@code 51001} unknown instrument …). Thrown while parsing, before anything reaches a shard.
 */
final class OrderArgs extends RuntimeException {
    final String code;

    OrderArgs(String code, String msg) {
        super(msg, null, false, false);
        this.code = code;
    }

    static OrderArgs empty(String field) {
        return new OrderArgs("50014", "Parameter " + field + " can not be empty.");
    }

    static OrderArgs bad(String field) {
        return new OrderArgs("51000", "Parameter " + field + " error");
    }
}
