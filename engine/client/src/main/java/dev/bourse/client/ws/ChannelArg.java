package dev.bourse.client.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One subscription argument, e.g. {@code {"channel":"books","instId":"BTC-USDT"}}: the channel and its string
 * parameters. Two args are equal when all their fields are, which is how acknowledgements are matched to
 * requests and how the client remembers what to resubscribe after a reconnect.
 */
public final class ChannelArg {
    private final Map<String, String> fields;

    private ChannelArg(Map<String, String> fields) {
        String channel = fields.get("channel");
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("a channel argument needs a channel: " + fields);
        }
        this.fields = Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    /** A public channel of one instrument: {@code books}, {@code books5}, {@code bbo-tbt}, {@code trades}, {@code tickers}, {@code candle1m} … */
    public static ChannelArg of(String channel, String instId) {
        return new ChannelArg(Map.of("channel", channel, "instId", instId));
    }

    public static ChannelArg of(Map<String, String> fields) {
        return new ChannelArg(fields);
    }

    /** {@code orders} for an instrument type ({@code SPOT} or {@code ANY}). */
    public static ChannelArg orders(String instType) {
        return new ChannelArg(Map.of("channel", "orders", "instType", instType));
    }

    /** {@code orders} of one instrument. */
    public static ChannelArg orders(String instType, String instId) {
        return new ChannelArg(Map.of("channel", "orders", "instType", instType, "instId", instId));
    }

    /** {@code account}: every currency. */
    public static ChannelArg account() {
        return new ChannelArg(Map.of("channel", "account"));
    }

    /** {@code account} of one currency. */
    public static ChannelArg account(String ccy) {
        return new ChannelArg(Map.of("channel", "account", "ccy", ccy));
    }

    /** The textual fields of an {@code arg} object from the server (acks and pushes). */
    public static ChannelArg fromJson(JsonNode arg) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : arg.properties()) {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                m.put(e.getKey(), e.getValue().asText());
            }
        }
        return new ChannelArg(m);
    }

    /** This argument with one more parameter. */
    public ChannelArg with(String key, String value) {
        Map<String, String> m = new TreeMap<>(fields);
        m.put(key, value);
        return new ChannelArg(m);
    }

    public String channel() {
        return fields.get("channel");
    }

    /** The instrument, or null for channels that have none. */
    public String instId() {
        return fields.get("instId");
    }

    public String get(String key) {
        return fields.get(key);
    }

    public Map<String, String> fields() {
        return fields;
    }

    /** True when every field of this arg has the same value in {@code other} (a push's arg may add e.g. {@code uid}). */
    public boolean isCoveredBy(ChannelArg other) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!e.getValue().equals(other.fields.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        fields.forEach(n::put);
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelArg a && a.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
