package dev.bourse.client.rest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.math.BigDecimal;
import java.util.List;

/**
 * The SDK's one Jackson setup. OKX sends numbers as strings and "" for "none": records take decimals as
 * {@link BigDecimal} (exact, never double) and "" becomes null; unknown fields are ignored, so a field OKX adds
 * tomorrow breaks nothing.
 */
public final class Json {
    public static final ObjectMapper MAPPER = mapper();

    private Json() {
    }

    private static ObjectMapper mapper() {
        JsonMapper m = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        for (LogicalType t : List.of(LogicalType.Float, LogicalType.Integer, LogicalType.Boolean)) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.EmptyString, CoercionAction.AsNull);
        }
        return m;
    }

    /** A request body under construction: fields with a null value are left out, decimals written as plain strings. */
    public static Fields fields() {
        return new Fields(JsonNodeFactory.instance.objectNode());
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** {@code node} as {@code type}; a shape that does not fit is an {@link IllegalStateException}. */
    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + type.getSimpleName() + " from " + node + ": " + e.getMessage(), e);
        }
    }

    /** Text of a field; null when missing, JSON null or "". */
    public static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.asText();
        return s.isEmpty() ? null : s;
    }

    /** A decimal from OKX's string form ("" and missing are null). */
    public static BigDecimal decimal(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String s = n.asText();
        return s.isEmpty() ? null : new BigDecimal(s);
    }

    /** Builder of a JSON object. */
    public static final class Fields {
        private final ObjectNode node;

        private Fields(ObjectNode node) {
            this.node = node;
        }

        public Fields put(String name, String value) {
            if (value != null) {
                node.put(name, value);
            }
            return this;
        }

        public Fields put(String name, BigDecimal value) {
            if (value != null) {
                node.put(name, value.toPlainString());
            }
            return this;
        }

        public Fields put(String name, Boolean value) {
            if (value != null) {
                node.put(name, value);
            }
            return this;
        }

        public Fields put(String name, Okx value) {
            if (value != null) {
                node.put(name, value.okx());
            }
            return this;
        }

        public ObjectNode node() {
            return node;
        }
    }

    /** A value with an OKX wire name ({@code buy}, {@code post_only} …). */
    public interface Okx {
        String okx();
    }
}
