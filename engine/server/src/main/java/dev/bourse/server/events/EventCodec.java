package dev.bourse.server.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bourse.instrument.SymbolState;
import dev.bourse.order.CancelReason;
import dev.bourse.order.OrderState;
import dev.bourse.order.OrderType;
import dev.bourse.order.Side;
import dev.bourse.order.StpMode;
import dev.bourse.order.TargetCurrency;
import dev.bourse.server.shard.FillRecord;
import dev.bourse.server.shard.OrderRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact JSON of a {@link BatchEvents}, the payload of a Redis Streams entry. Amounts stay scaled
 * {@code long}s (JSON integers, exact), enums are written by name, absent strings as {@code null}.
 * Every {@link EngineEvent} variant round-trips to an equal record. Thread-safe.
 *
 * <pre>{"shard":0,"first":11,"last":12,"events":[{"t":"order",...},{"t":"trade",...},...]}</pre>
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    public byte[] encode(BatchEvents batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 256 * batch.events().size());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("shard", batch.shardId());
            g.writeNumberField("first", batch.firstSeq());
            g.writeNumberField("last", batch.lastSeq());
            g.writeArrayFieldStart("events");
            for (EngineEvent e : batch.events()) {
                write(g, e);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: only a bug gets here
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, EngineEvent event) throws IOException {
        g.writeStartObject();
        switch (event) {
            case EngineEvent.OrderEvent o -> {
                g.writeStringField("t", "order");
                g.writeNumberField("seq", o.seq());
                OrderRecord r = o.order();
                g.writeNumberField("ordId", r.ordId());
                g.writeNumberField("shardId", r.shardId());
                g.writeStringField("instId", r.instId());
                g.writeNumberField("userId", r.userId());
                g.writeStringField("clOrdId", r.clOrdId());
                g.writeStringField("tag", r.tag());
                name(g, "side", r.side());
                name(g, "type", r.type());
                name(g, "stp", r.stp());
                name(g, "tgtCcy", r.tgtCcy());
                g.writeNumberField("px", r.px());
                g.writeNumberField("sz", r.sz());
                g.writeNumberField("filledSz", r.filledSz());
                g.writeNumberField("filledQuote", r.filledQuote());
                g.writeNumberField("remainingSz", r.remainingSz());
                g.writeNumberField("held", r.held());
                g.writeNumberField("fee", r.fee());
                name(g, "state", r.state());
                name(g, "cancelReason", r.cancelReason());
                g.writeNumberField("queueSeq", r.queueSeq());
                g.writeNumberField("createdSeq", r.createdSeq());
                g.writeNumberField("updatedSeq", r.updatedSeq());
                g.writeNumberField("createdAt", r.createdAt());
                g.writeNumberField("updatedAt", r.updatedAt());
            }
            case EngineEvent.TradeEvent t -> {
                g.writeStringField("t", "trade");
                g.writeNumberField("seq", t.seq());
                FillRecord f = t.fill();
                g.writeNumberField("tradeId", f.tradeId());
                g.writeNumberField("shardId", f.shardId());
                g.writeNumberField("fillSeq", f.seq());
                g.writeStringField("instId", f.instId());
                g.writeNumberField("px", f.px());
                g.writeNumberField("sz", f.sz());
                g.writeNumberField("quoteAmt", f.quoteAmt());
                name(g, "takerSide", f.takerSide());
                g.writeNumberField("takerOrdId", f.takerOrdId());
                g.writeNumberField("takerUserId", f.takerUserId());
                g.writeNumberField("makerOrdId", f.makerOrdId());
                g.writeNumberField("makerUserId", f.makerUserId());
                g.writeNumberField("takerFee", f.takerFee());
                g.writeNumberField("takerFeeAsset", f.takerFeeAsset());
                g.writeNumberField("makerFee", f.makerFee());
                g.writeNumberField("makerFeeAsset", f.makerFeeAsset());
                g.writeNumberField("ts", f.ts());
            }
            case EngineEvent.BookLevelEvent b -> {
                g.writeStringField("t", "level");
                g.writeNumberField("seq", b.seq());
                g.writeStringField("instId", b.instId());
                name(g, "side", b.side());
                g.writeNumberField("px", b.px());
                g.writeNumberField("sz", b.sz());
                g.writeNumberField("orderCount", b.orderCount());
                g.writeNumberField("bookSeqId", b.bookSeqId());
            }
            case EngineEvent.SymbolStateEvent s -> {
                g.writeStringField("t", "state");
                g.writeNumberField("seq", s.seq());
                g.writeStringField("instId", s.instId());
                name(g, "from", s.from());
                name(g, "to", s.to());
                g.writeStringField("reason", s.reason());
            }
            case EngineEvent.BalanceEvent b -> {
                g.writeStringField("t", "balance");
                g.writeNumberField("accountId", b.accountId());
                g.writeNumberField("assetId", b.assetId());
                g.writeNumberField("availableDelta", b.availableDelta());
                g.writeNumberField("heldDelta", b.heldDelta());
            }
        }
        g.writeEndObject();
    }

    private static void name(JsonGenerator g, String field, Enum<?> value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value.name());
        }
    }

    /** Parses what {@link #encode} wrote; throws {@link IllegalArgumentException} on anything else. */
    public BatchEvents decode(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event batch: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not an event batch: not a JSON object");
        }
        JsonNode events = root.get("events");
        if (events == null || !events.isArray()) {
            throw new IllegalArgumentException("not an event batch: no events array");
        }
        List<EngineEvent> out = new ArrayList<>(events.size());
        for (JsonNode e : events) {
            out.add(read(e));
        }
        return new BatchEvents(integer(root, "shard"), longValue(root, "first"), longValue(root, "last"), List.copyOf(out));
    }

    private static EngineEvent read(JsonNode n) {
        String type = text(n, "t");
        if (type == null) {
            throw new IllegalArgumentException("event without a type");
        }
        return switch (type) {
            case "order" -> new EngineEvent.OrderEvent(longValue(n, "seq"), new OrderRecord(longValue(n, "ordId"),
                    integer(n, "shardId"), text(n, "instId"), longValue(n, "userId"), text(n, "clOrdId"),
                    optionalText(n, "tag"), named(n, "side", Side.class), named(n, "type", OrderType.class), named(n, "stp", StpMode.class),
                    named(n, "tgtCcy", TargetCurrency.class), longValue(n, "px"), longValue(n, "sz"),
                    longValue(n, "filledSz"), longValue(n, "filledQuote"), longValue(n, "remainingSz"),
                    longValue(n, "held"), longValue(n, "fee"), named(n, "state", OrderState.class),
                    named(n, "cancelReason", CancelReason.class), longValue(n, "queueSeq"), longValue(n, "createdSeq"),
                    longValue(n, "updatedSeq"), longValue(n, "createdAt"), longValue(n, "updatedAt")));
            case "trade" -> new EngineEvent.TradeEvent(longValue(n, "seq"), new FillRecord(longValue(n, "tradeId"),
                    integer(n, "shardId"), longValue(n, "fillSeq"), text(n, "instId"), longValue(n, "px"),
                    longValue(n, "sz"), longValue(n, "quoteAmt"), named(n, "takerSide", Side.class),
                    longValue(n, "takerOrdId"), longValue(n, "takerUserId"), longValue(n, "makerOrdId"),
                    longValue(n, "makerUserId"), longValue(n, "takerFee"), integer(n, "takerFeeAsset"),
                    longValue(n, "makerFee"), integer(n, "makerFeeAsset"), longValue(n, "ts")));
            case "level" -> new EngineEvent.BookLevelEvent(longValue(n, "seq"), text(n, "instId"),
                    named(n, "side", Side.class), longValue(n, "px"), longValue(n, "sz"), integer(n, "orderCount"),
                    longValue(n, "bookSeqId"));
            case "state" -> new EngineEvent.SymbolStateEvent(longValue(n, "seq"), text(n, "instId"),
                    named(n, "from", SymbolState.class), named(n, "to", SymbolState.class), text(n, "reason"));
            case "balance" -> new EngineEvent.BalanceEvent(longValue(n, "accountId"), integer(n, "assetId"),
                    longValue(n, "availableDelta"), longValue(n, "heldDelta"));
            default -> throw new IllegalArgumentException("unknown event type " + type);
        };
    }

    private static JsonNode field(JsonNode n, String name) {
        JsonNode v = n.get(name);
        if (v == null) {
            throw new IllegalArgumentException("event field " + name + " is missing");
        }
        return v;
    }

    private static long longValue(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("event field " + name + " is not a long: " + v);
        }
        return v.longValue();
    }

    private static int integer(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("event field " + name + " is not an int: " + v);
        }
        return v.intValue();
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = field(n, name);
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("event field " + name + " is not a string: " + v);
        }
        return v.textValue();
    }

    /** A field entries written before it existed lack (e.g. {@code tag} during a rolling upgrade): null. */
    private static String optionalText(JsonNode n, String name) {
        return n.has(name) ? text(n, name) : null;
    }

    private static <E extends Enum<E>> E named(JsonNode n, String name, Class<E> type) {
        String v = text(n, name);
        return v == null ? null : Enum.valueOf(type, v); // IllegalArgumentException on an unknown name
    }
}
