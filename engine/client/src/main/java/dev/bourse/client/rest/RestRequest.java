package dev.bourse.client.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bourse.client.rest.gate.Cost;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One REST request as it will be signed and sent: method, path, the query exactly as sent (percent-encoded, in the
 * order given), the exact body bytes, whether it is signed, what it costs in the gate and whether it may be retried.
 * Services build these; {@link RestTransport} sends them.
 */
public final class RestRequest {
    public enum Method { GET, POST }

    private static final String PREFIX = "/api/v5/";

    private final Method method;
    private final String path;
    private final String query;
    private final byte[] body;
    private final boolean signed;
    private final List<Cost> costs;
    private final boolean idempotent;

    private RestRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.query = b.query.toString();
        this.body = b.body;
        this.signed = b.signed;
        this.costs = b.costs.isEmpty() ? List.of(Cost.of(route(b.path))) : List.copyOf(b.costs);
        this.idempotent = b.idempotent == null ? b.method == Method.GET : b.idempotent;
    }

    public static Builder get(String path) {
        return new Builder(Method.GET, path);
    }

    public static Builder post(String path) {
        return new Builder(Method.POST, path);
    }

    public Method method() {
        return method;
    }

    /** The path without query: {@code /api/v5/trade/order}. */
    public String path() {
        return path;
    }

    /** The encoded query without '?', "" for none. */
    public String query() {
        return query;
    }

    /** Path and query as sent and signed: {@code /api/v5/trade/order?instId=BTC-USDT&ordId=1}. */
    public String target() {
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** The exact body bytes, or null (GET). */
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    byte[] bodyUnsafe() {
        return body;
    }

    public boolean signed() {
        return signed;
    }

    public List<Cost> costs() {
        return costs;
    }

    /** GETs are; POSTs are not unless said so. Only idempotent requests are retried. */
    public boolean idempotent() {
        return idempotent;
    }

    /** The path below {@code /api/v5/}: the name of its rate-limit rule unless a service says otherwise. */
    public String route() {
        return route(path);
    }

    static String route(String path) {
        return path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    }

    @Override
    public String toString() {
        return method + " " + target() + (body == null ? "" : " " + new String(body, StandardCharsets.UTF_8));
    }

    public static final class Builder {
        private final Method method;
        private final String path;
        private final StringBuilder query = new StringBuilder();
        private byte[] body;
        private boolean signed;
        private final List<Cost> costs = new ArrayList<>();
        private Boolean idempotent;

        private Builder(Method method, String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/': " + path);
            }
            this.method = method;
            this.path = path;
        }

        /** Adds {@code name=value} to the query; a null value is left out. */
        public Builder query(String name, String value) {
            if (value == null) {
                return this;
            }
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(encode(name)).append('=').append(encode(value));
            return this;
        }

        public Builder query(String name, BigDecimal value) {
            return query(name, value == null ? null : value.toPlainString());
        }

        public Builder query(String name, Long value) {
            return query(name, value == null ? null : value.toString());
        }

        public Builder query(String name, Integer value) {
            return query(name, value == null ? null : value.toString());
        }

        public Builder query(String name, Json.Okx value) {
            return query(name, value == null ? null : value.okx());
        }

        /** The JSON body, serialized once: these bytes are signed and sent. */
        public Builder body(JsonNode json) {
            try {
                this.body = Json.MAPPER.writeValueAsBytes(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("body cannot be serialized: " + e.getMessage(), e);
            }
            return this;
        }

        /** A private endpoint: signed with the client's credentials. */
        public Builder signed() {
            this.signed = true;
            return this;
        }

        /** What the request takes from the gate's budgets (default: one permit of its route). */
        public Builder cost(Cost cost) {
            costs.add(cost);
            return this;
        }

        public Builder costs(List<Cost> list) {
            costs.addAll(list);
            return this;
        }

        public Builder idempotent(boolean value) {
            this.idempotent = value;
            return this;
        }

        public RestRequest build() {
            if (method == Method.POST && body == null) {
                throw new IllegalArgumentException("a POST needs a body");
            }
            return new RestRequest(this);
        }
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters and ',' (OKX's list separator). */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ',') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
